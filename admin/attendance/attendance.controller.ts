import {
  Body,
  Controller,
  Get,
  HttpCode,
  HttpStatus,
  Inject,
  NotFoundException,
  Param,
  Post,
  Req,
  UnprocessableEntityException,
  UseGuards,
} from '@nestjs/common';
import type { Request } from 'express';
import { z } from 'zod';
import type { Organization } from '../../generated/prisma/client';
import { attendanceDeepLink } from '../../core/attendance/attendance-code';
import { type IssueRefusal, MAX_CODE_DAYS, MAX_SHARED_CLAIMS } from '../../core/attendance/attendance.service';
import type { AdminServices } from '../services';
import { ADMIN_SERVICES, BOT_USERNAME } from '../tokens';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { parseBody } from '../http/errors';
import { actorOf, OrganizationScoped, organizationFor } from '../http/principal';

const expiry = {
  validForDays: z.number().int().min(1).max(MAX_CODE_DAYS).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
};
const issueSchema = z
  .discriminatedUnion('mode', [
    z.strictObject({ mode: z.literal('shared'), maxClaims: z.number().int().min(1).max(MAX_SHARED_CLAIMS), ...expiry }),
    z.strictObject({ mode: z.literal('personal'), personIds: z.array(z.string()).min(1).max(5000).optional(), ...expiry }),
  ])
  .refine((body) => body.validForDays === undefined || body.expiresAt === undefined, {
    message: 'give validForDays or expiresAt, not both',
  });
const revokeSchema = z.strictObject({ codeId: z.uuid().optional() });

/**
 * Attendance codes of an organization's event (R-ORG, #8): issue (codes in this answer only), who
 * claimed, revoke. An organization admin's key reaches its own organization's events only; another
 * organization's event is "not found" even by id.
 */
@Controller('admin/organizations/:code/events/:eventId')
@UseGuards(AdminTokenGuard)
@OrganizationScoped()
export class AttendanceController {
  constructor(
    @Inject(ADMIN_SERVICES) private readonly services: AdminServices,
    @Inject(BOT_USERNAME) private readonly botUsername: () => Promise<string>,
  ) {}

  @Post('codes')
  async issue(@Param('code') code: string, @Param('eventId') eventId: string, @Body() body: unknown, @Req() request: Request) {
    const input = parseBody(issueSchema, body);
    const organization = await this.organization(request, code);
    const expiresAt = input.expiresAt ? new Date(input.expiresAt) : undefined;
    const outcome = await this.services.attendance.issue(
      organization.id,
      eventId,
      input.mode === 'shared'
        ? { mode: 'shared', maxClaims: input.maxClaims, validForDays: input.validForDays, expiresAt }
        : { mode: 'personal', personIds: input.personIds, validForDays: input.validForDays, expiresAt },
      actorOf(request),
    );
    if (!outcome.ok) throw refusal(outcome, eventId);
    const bot = await this.botUsername();
    return {
      organization: organization.code,
      event: { id: outcome.event.id, title: outcome.event.title, zet: outcome.event.zet },
      codes: outcome.codes.map((c) => ({
        id: c.id,
        code: c.code,
        link: attendanceDeepLink(bot, c.code),
        maxClaims: c.maxClaims,
        expiresAt: c.expiresAt,
        personId: c.personId,
        fullName: c.fullName,
      })),
      notFound: outcome.notFound,
      alreadyClaimed: outcome.alreadyClaimed,
    };
  }

  @Get('claims')
  async claims(@Param('code') code: string, @Param('eventId') eventId: string, @Req() request: Request) {
    const organization = await this.organization(request, code);
    const listing = await this.services.attendance.claims(organization.id, eventId);
    if (!listing) throw new NotFoundException(`no event ${eventId} in organization ${organization.code}`);
    return {
      organization: organization.code,
      event: { id: listing.event.id, title: listing.event.title, zet: listing.event.zet },
      claims: listing.claims,
      codes: listing.codes,
    };
  }

  @Post('codes/revoke')
  @HttpCode(HttpStatus.OK)
  async revoke(@Param('code') code: string, @Param('eventId') eventId: string, @Body() body: unknown, @Req() request: Request) {
    const input = parseBody(revokeSchema, body);
    const organization = await this.organization(request, code);
    const outcome = await this.services.attendance.revoke(organization.id, eventId, actorOf(request), input.codeId);
    if (!outcome.ok) throw new NotFoundException(`no event ${eventId} in organization ${organization.code}`);
    return { organization: organization.code, revoked: outcome.revoked };
  }

  private organization(request: Request, code: string): Promise<Organization> {
    return organizationFor(request, code, (c) => this.services.organizations.findByCode(c));
  }
}

function refusal(outcome: IssueRefusal, eventId: string) {
  switch (outcome.reason) {
    case 'event-not-found':
      return new NotFoundException(`no event ${eventId} in this organization`);
    case 'event-cancelled':
      return new UnprocessableEntityException('the event is cancelled: nobody can be credited for it');
    case 'expiry-invalid':
      return new UnprocessableEntityException(`the codes must expire in the future, at most ${MAX_CODE_DAYS} days from now`);
    case 'max-claims-invalid':
      return new UnprocessableEntityException(`maxClaims must be a whole number from 1 to ${MAX_SHARED_CLAIMS}`);
    case 'zet-not-creditable':
      return new UnprocessableEntityException(
        `the organization's rule set cannot credit ${outcome.params.zet} ЗЕТ as one "${outcome.params.typeCode}" entry (${outcome.params.problem}${outcome.params.max ? `, at most ${outcome.params.max}` : ''}); split the event into days`,
      );
  }
}
