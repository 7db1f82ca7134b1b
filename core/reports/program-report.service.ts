import type { Organization } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import type { ReportAccess } from './compliance-report.service';

/** One program's money and people, as the education department accounts for them. */
export interface ProgramRow {
  programId: string;
  title: string;
  archived: boolean;
  /** Planned budget of the program, roubles; null when none was set. */
  budget: number | null;
  /** Events held or planned (not cancelled) and cancelled ones. */
  events: number;
  cancelledEvents: number;
  /** Sum of the costs of events not cancelled, roubles. */
  spent: number;
  /** budget − spent; null without a budget. Negative: over budget. */
  budgetLeft: number | null;
  /** Seats taken and not given back, on events not cancelled. */
  signUps: number;
  /** Attendance claims (one per person and event). */
  attendance: number;
  /** Distinct people who attended at least one event of the program. */
  participants: number;
  /** ЗЕТ credited through the program's events: each claim counts its event's ЗЕТ. */
  zetAwarded: number;
  /** Attendance at events not cancelled / their sign-ups (how many who signed up came), 0..1; null without sign-ups. */
  attendanceRate: number | null;
  /** participants / linked staff of the organization, 0..1; null without staff. */
  reach: number | null;
}

export interface ProgramReport {
  organization: { id: string; code: string; name: string };
  generatedAt: Date;
  /** Linked staff the reach is measured against. */
  staff: number;
  programs: ProgramRow[];
}

/**
 * Budget and participation per program of one organization (R-ORG), read straight from events,
 * registrations and attendance claims. Money is summed in kopecks to stay exact.
 */
export class ProgramReportService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  async read(organization: Organization, access: ReportAccess): Promise<ProgramReport> {
    const report = await this.build(organization);
    await recordAudit(this.db, {
      actorType: access.actor.type,
      actorId: access.actor.id,
      action: 'report.programs.read',
      subjectType: 'organization',
      subjectId: organization.id,
      after: { format: access.format, channel: access.channel, programs: report.programs.length },
    });
    return report;
  }

  async build(organization: Organization): Promise<ProgramReport> {
    const [programs, staff] = await Promise.all([
      this.db.program.findMany({
        where: { organizationId: organization.id },
        include: {
          events: {
            select: {
              status: true,
              cost: true,
              zet: true,
              registrations: { where: { cancelledAt: null }, select: { personId: true } },
              claims: { select: { personId: true } },
            },
          },
        },
        orderBy: [{ archivedAt: { sort: 'asc', nulls: 'first' } }, { createdAt: 'asc' }],
      }),
      this.db.person.count({ where: { organizationId: organization.id, onboardingStep: 'LINKED', deletedAt: null } }),
    ]);
    const rows = programs.map((program): ProgramRow => {
      let spentKopecks = 0;
      let events = 0;
      let cancelledEvents = 0;
      let signUps = 0;
      let attendance = 0;
      let zetAwarded = 0;
      let attendedHeld = 0;
      const participants = new Set<string>();
      for (const event of program.events) {
        // Claims of a cancelled event still happened and were credited; its seats and cost did not.
        attendance += event.claims.length;
        zetAwarded += event.zet * event.claims.length;
        for (const claim of event.claims) participants.add(claim.personId);
        if (event.status === 'CANCELLED') {
          cancelledEvents++;
          continue;
        }
        events++;
        signUps += event.registrations.length;
        attendedHeld += event.claims.length;
        if (event.cost) spentKopecks += Math.round(Number(event.cost) * 100);
      }
      const budget = program.budget === null ? null : Number(program.budget);
      const spent = spentKopecks / 100;
      return {
        programId: program.id,
        title: program.title,
        archived: program.archivedAt !== null,
        budget,
        events,
        cancelledEvents,
        spent,
        budgetLeft: budget === null ? null : (Math.round(budget * 100) - spentKopecks) / 100,
        signUps,
        attendance,
        participants: participants.size,
        zetAwarded: Math.round(zetAwarded * 100) / 100,
        attendanceRate: signUps > 0 ? Math.min(1, attendedHeld / signUps) : null,
        reach: staff > 0 ? participants.size / staff : null,
      };
    });
    return {
      organization: { id: organization.id, code: organization.code, name: organization.name },
      generatedAt: this.clock.now(),
      staff,
      programs: rows,
    };
  }
}
