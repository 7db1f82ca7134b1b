import { type ActorType, recordAudit } from '../audit/audit-journal';
import type { Clock } from '../shared/clock';
import { systemClock } from '../shared/clock';
import type { Database } from '../shared/database';
import { calendarWithExtraYears, loadShippedCalendar } from './calendar-loader';
import type { ProductionCalendar, ProductionCalendarOptions } from './production-calendar';
import { CalendarXmlError, parseXmlCalendar } from './xmlcalendar';

export interface CalendarActor {
  type: ActorType;
  id?: string | null;
}

export type LoadYearResult = { ok: true; year: number; replaced: boolean } | { ok: false; error: string };

export interface CalendarRepositoryOptions extends ProductionCalendarOptions {
  /** The calendar shipped with the release; by default read from data/production-calendar/ru once. */
  shipped?: () => ProductionCalendar;
  /**
   * How long a built calendar is reused. Another process (the bot hosts the admin API, the worker
   * computes deadlines too) sees a newly loaded year at most this late.
   */
  ttlMs?: number;
  clock?: Clock;
}

const DEFAULT_TTL_MS = 10 * 60 * 1000;

/** The production calendar in force: the shipped years plus those an admin loaded (the CalendarYear table). */
export class CalendarRepository {
  private cached: { calendar: Promise<ProductionCalendar>; at: number } | null = null;
  private shippedCalendar: ProductionCalendar | null = null;

  constructor(
    private readonly db: Database,
    private readonly options: CalendarRepositoryOptions = {},
  ) {}

  /** Shipped + stored years; cached, rebuilt after `loadYear` here and after the TTL elsewhere. */
  current(): Promise<ProductionCalendar> {
    const now = (this.options.clock ?? systemClock).now().getTime();
    if (this.cached && now - this.cached.at < (this.options.ttlMs ?? DEFAULT_TTL_MS)) return this.cached.calendar;
    const calendar = this.build();
    const entry = { calendar, at: now };
    this.cached = entry;
    // A failed build is not kept: the next call tries again.
    calendar.catch(() => {
      if (this.cached === entry) this.cached = null;
    });
    return calendar;
  }

  /** The years an admin loaded, with when. */
  async storedYears(): Promise<Array<{ year: number; loadedAt: Date }>> {
    return this.db.calendarYear.findMany({ select: { year: true, loadedAt: true }, orderBy: { year: 'asc' } });
  }

  /** Validates one year's XML by parsing it, stores it (replacing the same year) with an audit record. */
  async loadYear(xml: string, actor: CalendarActor): Promise<LoadYearResult> {
    let year: number;
    let summary: { year: number; daysOff: number; workingWeekends: number; shortened: number };
    try {
      const data = parseXmlCalendar(xml);
      year = data.year;
      summary = { year, daysOff: data.daysOff.size, workingWeekends: data.workingWeekends.size, shortened: data.shortened.size };
    } catch (error) {
      if (error instanceof CalendarXmlError) return { ok: false, error: error.message };
      throw error;
    }
    const replaced = await this.db.$transaction(async (tx) => {
      const before = await tx.calendarYear.findUnique({ where: { year }, select: { year: true, loadedAt: true } });
      await tx.calendarYear.upsert({
        where: { year },
        create: { year, xml },
        update: { xml, loadedAt: (this.options.clock ?? systemClock).now() },
      });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id ?? null,
        action: 'calendar-year.loaded',
        subjectType: 'calendar_year',
        subjectId: String(year),
        before,
        after: summary,
      });
      return before !== null;
    });
    this.cached = null;
    return { ok: true, year, replaced };
  }

  private async build(): Promise<ProductionCalendar> {
    this.shippedCalendar ??= this.options.shipped?.() ?? loadShippedCalendar({ onMissingYear: this.options.onMissingYear });
    const stored = await this.db.calendarYear.findMany({ select: { year: true, xml: true }, orderBy: { year: 'asc' } });
    return calendarWithExtraYears(this.shippedCalendar, stored);
  }
}
