import type { Organization, StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { profileOf, toEngineEntry } from '../credits/credits.service';
import { addMonths, type IsoDate } from '../shared/dates';
import { evaluate, type Evaluation, type PaceStatus } from '../credits/engine';
import type { ImportActor } from '../organizations/import-report';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { RuleSet } from '../rules/rule-set.schema';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { localDateOf } from '../shared/local-date';

/** The zone of staff not linked yet (they have no settings): the organization's working day, Moscow. */
const ROSTER_TIME_ZONE = 'Europe/Moscow';

export interface ComplianceFilters {
  /** Only those behind the steady pace. */
  behindPace?: boolean;
  /** Only those whose cycle ends within this many months from today (already ended included). */
  deadlineWithinMonths?: number;
  category?: StaffCategory;
  /** Only this unit (отделение) of the roster. */
  department?: string;
  /** Only those who met the requirement (true) or who did not yet (false). */
  met?: boolean;
  /** Only those with a dispute or an appeal still open. */
  openCases?: boolean;
  /** Only those whose name contains this (any case; ё and е alike). */
  nameContains?: string;
}

/** One staff member as the education department reads them. */
export interface ComplianceRow {
  /** null for a roster entry whose person has not linked the bot yet. */
  personId: string | null;
  rosterEntryId: string | null;
  externalId: string | null;
  fullName: string;
  category: StaffCategory | null;
  /** The roster's unit (отделение); null when HR did not give one. */
  department: string | null;
  linked: boolean;
  ruleSetCode: string;
  cycleStart: IsoDate;
  cycleEnd: IsoDate;
  /** The engine's figures, as the person sees them in /credits. */
  total: number;
  required: number;
  remaining: number;
  percent: number;
  met: boolean;
  pace: PaceStatus;
  behindPace: boolean;
  daysLeft: number;
  /** Disputes and appeals SUBMITTED or UNDER_REVIEW. */
  openDisputes: number;
  openAppeals: number;
  /**
   * The latest thing the person did that shows they work on their credits: a credit entry recorded
   * (by them or imported), a document uploaded, an event sign-up or an attendance claim. null: none.
   */
  lastActivity: Date | null;
}

export interface ComplianceReport {
  organization: { id: string; code: string; name: string };
  /** The day the figures are for (Moscow). */
  asOf: IsoDate;
  filters: ComplianceFilters;
  rows: ComplianceRow[];
}

export interface ReportAccess {
  actor: ImportActor;
  /** How the report leaves: json, xlsx, pdf (journaled with the filters). */
  format: string;
  /** The channel, e.g. 'api', 'bot', 'cli'. */
  channel: string;
}

const OPEN_CASE = { in: ['SUBMITTED', 'UNDER_REVIEW'] as Array<'SUBMITTED' | 'UNDER_REVIEW'> };

/**
 * The compliance report of one organization (R-ORG): every staff member with where their credits stand,
 * evaluated live by the credit engine (the same function /credits uses, so the report never disagrees
 * with what a person sees, even before the evaluation worker refreshed their snapshot). Roster entries
 * not linked yet are included, evaluated from their imported credits: the department needs to see them.
 * Every read is journaled (who, which organization, which filters, which format).
 */
export class ComplianceReportService {
  constructor(
    private readonly db: Database,
    private readonly ruleSets: RuleSetRepository,
    private readonly clock: Clock,
  ) {}

  async read(organization: Organization, filters: ComplianceFilters, access: ReportAccess): Promise<ComplianceReport> {
    const report = await this.build(organization, filters);
    await recordAudit(this.db, {
      actorType: access.actor.type,
      actorId: access.actor.id,
      action: 'report.compliance.read',
      subjectType: 'organization',
      subjectId: organization.id,
      after: { filters, format: access.format, channel: access.channel, rows: report.rows.length },
    });
    return report;
  }

  /** The report without journaling it: for callers that journal the read themselves (none outside tests). */
  async build(organization: Organization, filters: ComplianceFilters): Promise<ComplianceReport> {
    const people = await this.db.person.findMany({
      where: {
        organizationId: organization.id,
        onboardingStep: 'LINKED',
        deletedAt: null,
        ...(filters.category ? { category: filters.category } : {}),
      },
      include: { rosterEntry: { select: { id: true, externalId: true, department: true } } },
    });
    const unlinked = await this.db.rosterEntry.findMany({
      where: { organizationId: organization.id, personId: null, ...(filters.category ? { category: filters.category } : {}) },
    });
    const personIds = people.map((p) => p.id);
    const rosterIds = unlinked.map((r) => r.id);

    const [personEntries, rosterEntries, disputes, appeals, activity] = await Promise.all([
      this.db.creditEntry.findMany({ where: { personId: { in: personIds }, deletedAt: null } }),
      this.db.creditEntry.findMany({ where: { rosterEntryId: { in: rosterIds }, personId: null, deletedAt: null } }),
      this.db.dispute.groupBy({ by: ['personId'], where: { personId: { in: personIds }, status: OPEN_CASE }, _count: { _all: true } }),
      this.db.appeal.groupBy({ by: ['personId'], where: { personId: { in: personIds }, status: OPEN_CASE }, _count: { _all: true } }),
      this.lastActivity(personIds, rosterIds),
    ]);
    const entriesByPerson = groupBy(personEntries, (e) => e.personId!);
    const entriesByRoster = groupBy(rosterEntries, (e) => e.rosterEntryId!);
    const disputesOf = new Map(disputes.map((d) => [d.personId, d._count._all]));
    const appealsOf = new Map(appeals.map((a) => [a.personId, a._count._all]));

    const ruleSetOf = this.ruleSetsByCategory(organization.id);
    const rows: ComplianceRow[] = [];
    for (const person of people) {
      const ruleSet = await ruleSetOf(person.category);
      const evaluation = evaluate(
        ruleSet,
        (entriesByPerson.get(person.id) ?? []).map(toEngineEntry),
        profileOf(person),
        localDateOf(this.clock.now(), person.timeZone),
      );
      rows.push({
        personId: person.id,
        rosterEntryId: person.rosterEntry?.id ?? null,
        externalId: person.rosterEntry?.externalId ?? null,
        fullName: person.fullName ?? '',
        category: person.category,
        department: person.rosterEntry?.department ?? null,
        linked: true,
        ...figures(evaluation),
        openDisputes: disputesOf.get(person.id) ?? 0,
        openAppeals: appealsOf.get(person.id) ?? 0,
        lastActivity: activity.get(person.id) ?? null,
      });
    }
    const rosterToday = localDateOf(this.clock.now(), ROSTER_TIME_ZONE);
    for (const entry of unlinked) {
      const ruleSet = await ruleSetOf(entry.category);
      const evaluation = evaluate(ruleSet, (entriesByRoster.get(entry.id) ?? []).map(toEngineEntry), profileOf(entry), rosterToday);
      rows.push({
        personId: null,
        rosterEntryId: entry.id,
        externalId: entry.externalId,
        fullName: entry.fullName,
        category: entry.category,
        department: entry.department,
        linked: false,
        ...figures(evaluation),
        openDisputes: 0,
        openAppeals: 0,
        lastActivity: activity.get(entry.id) ?? null,
      });
    }

    const asOf = localDateOf(this.clock.now(), ROSTER_TIME_ZONE);
    const deadline = filters.deadlineWithinMonths !== undefined ? addMonths(asOf, filters.deadlineWithinMonths) : null;
    const name = filters.nameContains ? searchable(filters.nameContains) : null;
    const selected = rows.filter(
      (r) =>
        (!filters.behindPace || r.behindPace) &&
        (deadline === null || r.cycleEnd <= deadline) &&
        (filters.department === undefined || r.department === filters.department) &&
        (filters.met === undefined || r.met === filters.met) &&
        (!filters.openCases || r.openDisputes + r.openAppeals > 0) &&
        (name === null || searchable(r.fullName).includes(name)),
    );
    selected.sort(byUrgency);
    return { organization: { id: organization.id, code: organization.code, name: organization.name }, asOf, filters, rows: selected };
  }

  /** The units (отделения) of the organization's roster, for the department's filter. */
  async departments(organizationId: string): Promise<string[]> {
    const rows = await this.db.rosterEntry.findMany({
      where: { organizationId, department: { not: null } },
      distinct: ['department'],
      select: { department: true },
      orderBy: { department: 'asc' },
    });
    return rows.map((r) => r.department!);
  }

  /** Rule sets depend on the organization's assignments and the category only: looked up once per category. */
  private ruleSetsByCategory(organizationId: string): (category: StaffCategory | null) => Promise<RuleSet> {
    const cache = new Map<string, Promise<RuleSet>>();
    return (category) => {
      const key = category ?? '-';
      let ruleSet = cache.get(key);
      if (!ruleSet) {
        ruleSet = this.ruleSets.forPerson({ organizationId, category });
        cache.set(key, ruleSet);
      }
      return ruleSet;
    };
  }

  /** Latest activity per person id (and per roster entry id for imported credits of the unlinked). */
  private async lastActivity(personIds: string[], rosterIds: string[]): Promise<Map<string, Date>> {
    const [credits, rosterCredits, documents, registrations, claims] = await Promise.all([
      this.db.creditEntry.groupBy({ by: ['personId'], where: { personId: { in: personIds }, deletedAt: null }, _max: { createdAt: true } }),
      this.db.creditEntry.groupBy({
        by: ['rosterEntryId'],
        where: { rosterEntryId: { in: rosterIds }, personId: null, deletedAt: null },
        _max: { createdAt: true },
      }),
      this.db.document.groupBy({ by: ['personId'], where: { personId: { in: personIds }, deletedAt: null }, _max: { createdAt: true } }),
      this.db.eventRegistration.groupBy({ by: ['personId'], where: { personId: { in: personIds } }, _max: { createdAt: true } }),
      this.db.attendanceClaim.groupBy({ by: ['personId'], where: { personId: { in: personIds } }, _max: { claimedAt: true } }),
    ]);
    const latest = new Map<string, Date>();
    const note = (id: string | null, at: Date | null | undefined) => {
      if (!id || !at) return;
      const known = latest.get(id);
      if (!known || at > known) latest.set(id, at);
    };
    for (const c of credits) note(c.personId, c._max.createdAt);
    for (const c of rosterCredits) note(c.rosterEntryId, c._max.createdAt);
    for (const d of documents) note(d.personId, d._max.createdAt);
    for (const r of registrations) note(r.personId, r._max.createdAt);
    for (const c of claims) note(c.personId, c._max.claimedAt);
    return latest;
  }
}

/** A name as a search matches it: any case, ё as е, single spaces. */
function searchable(text: string): string {
  return text.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

function figures(evaluation: Evaluation) {
  return {
    ruleSetCode: evaluation.ruleSetCode,
    cycleStart: evaluation.period.start,
    cycleEnd: evaluation.period.end,
    total: evaluation.total,
    required: evaluation.required,
    remaining: evaluation.remaining,
    percent: evaluation.percent,
    met: evaluation.met,
    pace: evaluation.pace.status,
    behindPace: evaluation.pace.behind,
    daysLeft: evaluation.daysLeft,
  };
}

/**
 * Most urgent first: those who have not met the requirement, the nearest cycle end first, then the
 * larger shortfall, then behind pace; those who are done come last. Names break ties.
 */
function byUrgency(a: ComplianceRow, b: ComplianceRow): number {
  if (a.met !== b.met) return a.met ? 1 : -1;
  if (a.cycleEnd !== b.cycleEnd) return a.cycleEnd < b.cycleEnd ? -1 : 1;
  if (a.remaining !== b.remaining) return b.remaining - a.remaining;
  if (a.behindPace !== b.behindPace) return a.behindPace ? -1 : 1;
  return a.fullName.localeCompare(b.fullName, 'ru');
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}
