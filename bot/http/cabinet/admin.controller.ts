import { Body, Controller, Get, HttpCode, Inject, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { InputFile } from 'grammy';
import { z } from 'zod';
import { AnnouncementsService } from '../../../core/announcements/announcements.service';
import { AttendanceService } from '../../../core/attendance/attendance.service';
import { EventsService, type EventWithSeats } from '../../../core/events/events.service';
import { STAFF_CATEGORIES } from '../../../core/organizations/categories';
import { OrgAdminsService, type OrgAdmin } from '../../../core/organizations/org-admins.service';
import { ComplianceReportService, type ComplianceFilters } from '../../../core/reports/compliance-report.service';
import { OrganizationReadJournal } from '../../../core/reports/organization-reads';
import type { Clock } from '../../../core/shared/clock';
import type { Program, StaffCategory } from '../../../generated/prisma/client';
import type { Translate } from '../../../infra/i18n';
import { CLOCK } from '../../../infra/nest/tokens';
import { complianceReportFile } from '../../../infra/render/organization-report-files';
import { TelegramBot } from '../../telegram-bot';
import { CabinetAuthGuard } from './cabinet-auth.guard';
import { cabinetError, callerOf, personOf } from './cabinet-request';
import type { ActionResult, AdminEventView, AdminEvents, AnnouncementView, Compliance, EventPeople } from './wire';

const CHANNEL = 'cabinet';

/** The table's filters, sent in the body: a name part typed is personal data and never goes into a URL. */
const filtersQuery = z.strictObject({
  department: z.string().trim().min(1).max(200).optional(),
  category: z.enum(STAFF_CATEGORIES as [StaffCategory, ...StaffCategory[]]).optional(),
  status: z.enum(['behind', 'met', 'not-met', 'open-cases']).optional(),
  q: z.string().trim().max(100).optional(),
});
const exportQuery = filtersQuery.extend({ format: z.enum(['xlsx', 'pdf']) });

function filtersOf(input: z.infer<typeof filtersQuery>): ComplianceFilters {
  return {
    ...(input.department ? { department: input.department } : {}),
    ...(input.category ? { category: input.category } : {}),
    ...(input.status === 'behind' ? { behindPace: true } : {}),
    ...(input.status === 'met' ? { met: true } : {}),
    ...(input.status === 'not-met' ? { met: false } : {}),
    ...(input.status === 'open-cases' ? { openCases: true } : {}),
    ...(input.q ? { nameContains: input.q } : {}),
  };
}

/**
 * The education department's side of the cabinet (R-ORG): the compliance table with filters and its
 * XLSX/PDF exports, events and programs with sign-ups and attendance, announcements with their delivery
 * counts. Only for a person holding the organization's ADMIN role (403 for anyone else), only their own
 * organization, and every read is journaled as the chat's /report journals its reads.
 */
@Controller('cabinet/api/admin')
@UseGuards(CabinetAuthGuard)
export class AdminController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly telegram: TelegramBot,
    private readonly orgAdmins: OrgAdminsService,
    private readonly compliance: ComplianceReportService,
    private readonly events: EventsService,
    private readonly attendance: AttendanceService,
    private readonly announcements: AnnouncementsService,
    private readonly journal: OrganizationReadJournal,
  ) {}

  @Post('compliance')
  @HttpCode(200)
  async complianceTable(@Req() request: Request, @Body() query: unknown): Promise<Compliance> {
    const admin = await this.adminOf(request);
    const { t } = callerOf(request);
    const input = parseQuery(filtersQuery, query, t);
    const [report, departments] = await Promise.all([
      this.compliance.read(admin.organization, filtersOf(input), { actor: actorOf(admin), format: 'json', channel: CHANNEL }),
      this.compliance.departments(admin.organization.id),
    ]);
    return {
      organization: { code: report.organization.code, name: report.organization.name },
      asOf: report.asOf,
      rows: report.rows.map((row) => ({
        personId: row.personId,
        fullName: row.fullName,
        externalId: row.externalId,
        department: row.department,
        category: row.category,
        categoryLabel: row.category ? t(`reports.categories.${row.category}`) : '',
        linked: row.linked,
        cycleEnd: row.cycleEnd,
        daysLeft: row.daysLeft,
        total: row.total,
        required: row.required,
        remaining: row.remaining,
        percent: row.percent,
        met: row.met,
        pace: row.pace,
        paceLabel: t(`reports.pace.${row.pace}`),
        openDisputes: row.openDisputes,
        openAppeals: row.openAppeals,
        lastActivity: row.lastActivity?.toISOString() ?? null,
      })),
      categories: STAFF_CATEGORIES.map((code) => ({ code, label: t(`reports.categories.${code}`) })),
      departments,
      unitLabel: t('credits.unit.zet'),
    };
  }

  /** The same table as a file, filtered as on the screen (the page saves it from the answer's bytes). */
  @Post('compliance/export')
  async exportFile(@Req() request: Request, @Res() response: Response, @Body() query: unknown): Promise<void> {
    const admin = await this.adminOf(request);
    const { t, lang } = callerOf(request);
    const input = parseQuery(exportQuery, query, t);
    const report = await this.compliance.read(admin.organization, filtersOf(input), {
      actor: actorOf(admin),
      format: input.format,
      channel: CHANNEL,
    });
    const file = await complianceReportFile(report, input.format, t, lang, this.clock.now());
    response
      .status(200)
      .setHeader('Content-Type', file.contentType)
      .setHeader('Content-Length', String(file.bytes.length))
      .setHeader('Content-Disposition', `attachment; filename="${file.fileName}"`)
      .end(file.bytes);
  }

  /**
   * The file sent into the admin's own chat with the bot: a phone's webview often cannot save a download,
   * while a document in the chat opens everywhere, exactly like the one /report sends.
   */
  @Post('compliance/send')
  @HttpCode(200)
  async sendToChat(@Req() request: Request, @Body() query: unknown): Promise<ActionResult> {
    const admin = await this.adminOf(request);
    const { t, lang, user } = callerOf(request);
    const input = parseQuery(exportQuery, query, t);
    const report = await this.compliance.read(admin.organization, filtersOf(input), {
      actor: actorOf(admin),
      format: input.format,
      channel: CHANNEL,
    });
    const file = await complianceReportFile(report, input.format, t, lang, this.clock.now());
    try {
      await this.telegram.bot.api.sendDocument(user.id, new InputFile(file.bytes, file.fileName), {
        caption: t('reports.compliance-caption', { organization: admin.organization.name, count: report.rows.length }),
      });
    } catch {
      throw cabinetError(502, 'not-sent', t('cabinet.admin.not-sent'));
    }
    return { message: t('cabinet.admin.sent') };
  }

  @Get('events')
  async eventsAndPrograms(@Req() request: Request): Promise<AdminEvents> {
    const admin = await this.adminOf(request);
    const { t } = callerOf(request);
    const [events, programs] = await Promise.all([
      this.events.listEvents(admin.organization.id, { includeCancelled: true }),
      this.events.listPrograms(admin.organization.id),
    ]);
    await this.journal.record({ actor: actorOf(admin), organizationId: admin.organization.id, view: 'events', channel: CHANNEL });
    return {
      events: [...events].reverse().map((event) => adminEventView(event, programs, t)),
      programs: programs.map((program) => ({
        id: program.id,
        title: program.title,
        events: program.events,
        archived: program.archivedAt !== null,
        budget: program.budget === null ? null : Number(program.budget),
      })),
    };
  }

  /** Who signed up for an event and who claimed its attendance (names: journaled). */
  @Get('events/:id')
  async eventPeople(@Req() request: Request, @Param('id') eventId: string): Promise<EventPeople> {
    const admin = await this.adminOf(request);
    const { t } = callerOf(request);
    const [event, registrations, claims, programs] = await Promise.all([
      this.events.getEvent(admin.organization.id, eventId),
      this.events.registrations(admin.organization.id, eventId),
      this.attendance.claims(admin.organization.id, eventId),
      this.events.listPrograms(admin.organization.id),
    ]);
    if (!event || !registrations || !claims) throw cabinetError(404, 'not-found', t('events.refused.not-found'));
    await this.journal.record({
      actor: actorOf(admin),
      organizationId: admin.organization.id,
      view: 'event-people',
      channel: CHANNEL,
      details: { eventId: event.id },
    });
    return {
      event: adminEventView(event, programs, t),
      registrations: registrations.map((r) => ({
        fullName: r.fullName ?? '',
        categoryLabel: r.category ? t(`reports.categories.${r.category}`) : '',
        signedUpAt: r.signedUpAt.toISOString(),
        cancelledAt: r.cancelledAt?.toISOString() ?? null,
      })),
      claims: claims.claims.map((c) => ({
        fullName: c.fullName ?? '',
        claimedAt: c.claimedAt.toISOString(),
        quantity: c.quantity,
        personalCode: c.personalCode,
      })),
    };
  }

  @Get('announcements')
  async announcementCounts(@Req() request: Request): Promise<AnnouncementView[]> {
    const admin = await this.adminOf(request);
    const { t } = callerOf(request);
    const recent = await this.announcements.recent(admin.organization.id, 20);
    await this.journal.record({ actor: actorOf(admin), organizationId: admin.organization.id, view: 'announcements', channel: CHANNEL });
    return recent.map((a) => ({
      id: a.id,
      text: a.text,
      categoryLabel: a.category ? t(`reports.categories.${a.category}`) : t('reports.all-categories'),
      createdAt: a.createdAt.toISOString(),
      recipients: a.recipients,
      delivered: a.delivered,
      blocked: a.blocked,
      failed: a.failed,
      pending: a.pending,
      skipped: a.skipped,
    }));
  }

  /** The organization this person administers, checked on every request (a revoked role stops at once). */
  private async adminOf(request: Request): Promise<OrgAdmin> {
    const person = personOf(request);
    const admin = await this.orgAdmins.adminOf(person.id);
    if (!admin) throw cabinetError(403, 'not-admin', callerOf(request).t('cabinet.errors.not-admin'));
    return admin;
  }
}

function actorOf(admin: OrgAdmin) {
  return { type: 'admin' as const, id: admin.person.id };
}

function parseQuery<T extends z.ZodType>(schema: T, query: unknown, t: Translate): z.infer<T> {
  const result = schema.safeParse(query ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'query'}: ${issue.message}`).join('; ');
  throw cabinetError(400, 'bad-request', t('cabinet.errors.bad-request', { problems }));
}

function adminEventView(event: EventWithSeats, programs: Program[], t: Translate): AdminEventView {
  return {
    id: event.id,
    title: event.title,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    formatLabel: t(`events.format.${event.format}`),
    kindLabel: t(`events.kind.${event.kind}`),
    zet: event.zet,
    capacity: event.capacity,
    seatsTaken: event.seatsTaken,
    cancelled: event.status === 'CANCELLED',
    program: programs.find((p) => p.id === event.programId)?.title ?? null,
  };
}
