import { Controller, Get, HttpCode, HttpException, HttpStatus, Inject, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { CalendarYearsService, type SettledDeadlines } from '../../core/calendar/calendar-years.service';
import { moscowDateOf } from '../../core/calendar/deadline';
import type { Clock } from '../../core/shared/clock';
import { CLOCK } from '../../infra/nest/tokens';
import { ADMIN_ACTOR } from '../http/actor';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { readCalendarXml } from './read-xml-body';

/** The production calendar's years: which are covered, and loading a newly published year without a release. */
@Controller('admin/calendar/years')
@UseGuards(AdminTokenGuard)
export class CalendarController {
  constructor(
    @Inject(CalendarYearsService) private readonly calendars: CalendarYearsService,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Covered years (shipped and loaded), those loaded by an admin, and which of this and next year (Moscow) are missing. */
  @Get()
  async list(): Promise<{ years: number[]; loaded: Array<{ year: number; loadedAt: Date }>; missing: number[] }> {
    const calendar = await this.calendars.current();
    const thisYear = Number(moscowDateOf(this.clock.now()).slice(0, 4));
    return {
      years: calendar.yearsCovered(),
      loaded: await this.calendars.storedYears(),
      missing: [thisYear, thisYear + 1].filter((year) => !calendar.hasYear(year)),
    };
  }

  /**
   * 201 { year, replaced, deadlines } when stored (a year already there is replaced): `deadlines` counts the
   * provisional dates recomputed on it, those that moved and the people told. 422 { error } naming what is
   * wrong with the XML.
   */
  @Post()
  @HttpCode(HttpStatus.CREATED)
  async load(@Req() request: Request): Promise<{ year: number; replaced: boolean; deadlines: SettledDeadlines }> {
    const xml = await readCalendarXml(request);
    const result = await this.calendars.load(xml, ADMIN_ACTOR);
    if (!result.ok) {
      throw new HttpException({ statusCode: 422, error: result.error }, HttpStatus.UNPROCESSABLE_ENTITY);
    }
    return { year: result.year, replaced: result.replaced, deadlines: result.deadlines };
  }
}
