import type { Prisma } from '../../generated/prisma/client';
import { moscowDateOf } from '../calendar/deadline';
import type { EvaluationRequests } from '../credits/credits.service';
import { yearOf } from '../shared/dates';
import type { CalendarSource } from '../calendar/calendar-source';
import type { DeadlineSettler, SettledDeadlines } from '../calendar/calendar-years.service';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';

/** SyncRun.source of the daily reference refresh. */
export const REFERENCE_SYNC_SOURCE = 'reference';
const PAGE = 500;

export interface ReferenceSummary {
  ruleSets: Array<{ code: string; version: number }>;
  invalidRuleSets: Array<{ code: string; error: string }>;
  calendarYears: number[];
  /** This year (and next, from December) without production calendar data: deadlines in it are provisional (ТК РФ ст. 112 alone). */
  missingCalendarYears: number[];
  /** Provisional deadlines of a year loaded since they were counted, settled by this run (see ProvisionalDeadlines). */
  settledDeadlines: SettledDeadlines | null;
}

/**
 * Reference data (R-SYNC, daily at 02:00 Moscow): re-reads every rule set (the repository re-checks the
 * stored version on each read, so this surfaces a definition that no longer parses) and the production
 * calendar in force, settles deadlines still provisional although their year is loaded now (one counted
 * while a process had not yet seen a year the CLI loaded), and records the run. People are re-evaluated
 * against it by the 03:00 sweep.
 */
export class ReferenceRefreshService {
  constructor(
    private readonly db: Database,
    private readonly calendars: CalendarSource,
    private readonly deadlines: DeadlineSettler,
    private readonly ruleSets: RuleSetRepository,
    private readonly evaluations: EvaluationRequests,
    private readonly clock: Clock,
  ) {}

  async refresh(): Promise<{ ok: boolean; summary: ReferenceSummary }> {
    const run = await this.db.syncRun.create({ data: { source: REFERENCE_SYNC_SOURCE, startedAt: this.clock.now() } });
    const summary: ReferenceSummary = {
      ruleSets: [],
      invalidRuleSets: [],
      calendarYears: [],
      missingCalendarYears: [],
      settledDeadlines: null,
    };
    try {
      // list() is ordered by code, newest version first: the first row of each code is the one in force.
      const latest = new Map<string, number>();
      for (const row of await this.ruleSets.list()) if (!latest.has(row.code)) latest.set(row.code, row.version);
      for (const [code, version] of latest) {
        try {
          if (await this.ruleSets.latest(code)) summary.ruleSets.push({ code, version });
        } catch (error) {
          summary.invalidRuleSets.push({ code, error: error instanceof Error ? error.message : String(error) });
        }
      }
      const calendar = await this.calendars.current();
      summary.calendarYears = calendar.yearsCovered();
      const today = moscowDateOf(this.clock.now());
      const needed = [yearOf(today), ...(today.slice(5, 7) === '12' ? [yearOf(today) + 1] : [])];
      summary.missingCalendarYears = needed.filter((y) => !calendar.hasYear(y));
      summary.settledDeadlines = await this.deadlines.settle({ type: 'system', id: REFERENCE_SYNC_SOURCE });
      const ok = summary.invalidRuleSets.length === 0;
      await this.db.syncRun.update({
        where: { id: run.id },
        data: { finishedAt: this.clock.now(), ok, summary: summary as unknown as Prisma.InputJsonObject },
      });
      return { ok, summary };
    } catch (error) {
      await this.db.syncRun.update({
        where: { id: run.id },
        data: { finishedAt: this.clock.now(), ok: false, error: (error instanceof Error ? error.message : String(error)).slice(0, 2000) },
      });
      throw error;
    }
  }

  /**
   * 1 January: people whose rule set counts by calendar year start a new period; re-evaluating them now
   * resets their snapshot to the new year instead of waiting for the nightly sweep. Returns how many.
   */
  async resetCalendarYearPeople(): Promise<number> {
    let cursor: string | undefined;
    let total = 0;
    for (;;) {
      const people = await this.db.person.findMany({
        where: { onboardingStep: 'LINKED', deletedAt: null },
        select: { id: true, organizationId: true, category: true },
        orderBy: { id: 'asc' },
        take: PAGE,
        ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
      });
      if (people.length === 0) return total;
      for (const person of people) {
        const ruleSet = await this.ruleSets.forPerson(person);
        if (ruleSet.period.kind !== 'calendarYear') continue;
        await this.evaluations.request(person.id, 'year-reset');
        total += 1;
      }
      cursor = people[people.length - 1].id;
    }
  }
}
