import type { NotificationRequest, NotificationsService } from '../notifications/notifications.service';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { localDateOf } from '../shared/local-date';
import type { IsoDate } from '../shared/dates';
import { evaluate, type Evaluation } from './engine';
import { type PersonToEvaluate, ReevaluationRepository } from './reevaluation.repository';

/** Days before the period end at which a shortfall is worth a notice (R-REMIND). */
export const PERIOD_END_MILESTONES = [180, 90, 30, 7, 1] as const;

export type Threshold = { kind: 'credits.met' } | { kind: 'credits.behind-pace' } | { kind: 'credits.period-end'; milestone: number };

interface Previous {
  met: boolean;
  behindPace: boolean;
  daysLeft: number;
}

/**
 * What changed between two evaluations that a person should hear about. Pure: the worker stores the
 * snapshot and turns each crossing into exactly one notification (keyed by period and milestone).
 * A first evaluation (no comparable snapshot) is a baseline, not news: a person who just linked is
 * not told they are "behind"; only a near deadline is worth saying at once.
 */
export function crossedThresholds(previous: Previous | null, current: Evaluation): Threshold[] {
  const crossed: Threshold[] = [];
  if (previous) {
    if (current.met && !previous.met) crossed.push({ kind: 'credits.met' });
    if (!current.met && current.pace.behind && !previous.behindPace) crossed.push({ kind: 'credits.behind-pace' });
  }
  if (!current.met && current.daysLeft >= 0) {
    const before = previous?.daysLeft ?? Number.POSITIVE_INFINITY;
    // Only the nearest milestone passed: a person evaluated first at 20 days left hears of 30, not of 180 too.
    const passed = PERIOD_END_MILESTONES.filter((m) => current.daysLeft <= m && before > m);
    if (passed.length > 0) crossed.push({ kind: 'credits.period-end', milestone: Math.min(...passed) });
  }
  return crossed;
}

export interface ReevaluationBatch {
  /** People evaluated (linked and not deleted). */
  evaluated: number;
  /** The people who crossed thresholds, and which. */
  crossed: Array<{ personId: string; thresholds: Threshold[] }>;
  /** Snapshots that changed and were written; equal ones are left alone. */
  written: number;
  /** Notifications created for thresholds crossed (a retried batch creates none twice). */
  notified: number;
}

/**
 * Re-evaluates people and notifies threshold crossings: one person after a change (an entry added, a
 * decision), or a batch of the nightly sweep. Both go through `evaluateAndStore`, so a person's snapshot
 * and notices never depend on which path ran. A batch costs a fixed number of statements whatever its
 * size: people, rule sets (parsed once per version per process), entries, snapshots, one snapshot upsert,
 * and the notifications of the few who crossed a threshold.
 */
export class ReevaluationService {
  private readonly repository: ReevaluationRepository;

  constructor(
    db: Database,
    private readonly ruleSets: RuleSetRepository,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {
    this.repository = new ReevaluationRepository(db);
  }

  /** One person (after a change): the thresholds crossed; null when they are not linked or deleted. */
  async reevaluate(personId: string): Promise<{ crossed: Threshold[] } | null> {
    const batch = await this.reevaluateMany([personId]);
    return batch.evaluated === 0 ? null : { crossed: batch.crossed[0]?.thresholds ?? [] };
  }

  async reevaluateMany(personIds: readonly string[]): Promise<ReevaluationBatch> {
    return this.evaluateAndStore(await this.repository.linkedPeople(personIds));
  }

  /** One batch of the nightly sweep: everyone linked with an id from `first` to `last`. */
  async reevaluateBetween(first: string, last: string): Promise<ReevaluationBatch> {
    return this.evaluateAndStore(await this.repository.linkedPeopleBetween(first, last));
  }

  /** Everyone linked, for the nightly sweep: ids in keyset pages (`after` = the last id of the previous page). */
  async linkedPeople(after: string | undefined, take: number): Promise<string[]> {
    return this.repository.linkedIdsAfter(after, take);
  }

  private async evaluateAndStore(people: readonly PersonToEvaluate[]): Promise<ReevaluationBatch> {
    if (people.length === 0) return { evaluated: 0, crossed: [], written: 0, notified: 0 };
    const ids = people.map((p) => p.id);
    const [ruleSets, entries, previous] = await Promise.all([
      this.ruleSets.forPeople(people),
      this.repository.entriesOf(ids),
      this.repository.snapshotsOf(ids),
    ]);
    const now = this.clock.now();
    // Most people share a zone: one date per zone, not a formatting per person.
    const todayByZone = new Map<string, IsoDate>();
    const crossedBy: ReevaluationBatch['crossed'] = [];
    const snapshots: string[] = new Array(people.length);
    const requests: NotificationRequest[] = [];
    for (let i = 0; i < people.length; i++) {
      const person = people[i];
      const ruleSet = ruleSets[i];
      let asOf = todayByZone.get(person.timeZone);
      if (asOf === undefined) {
        asOf = localDateOf(now, person.timeZone);
        todayByZone.set(person.timeZone, asOf);
      }
      const profile = { category: person.category ?? undefined, cycleStart: person.cycleStart };
      const evaluation = evaluate(ruleSet, entries.of(person.id), profile, asOf);
      const before = previous.get(person.id);
      // A snapshot of another period (a new cycle, 1 January) says nothing about this one.
      const comparable = before && before.ruleSetCode === ruleSet.code && before.periodStart === evaluation.period.start;
      const crossed = crossedThresholds(comparable ? before : null, evaluation);
      snapshots[i] = ReevaluationRepository.snapshotJson({
        personId: person.id,
        ruleSetCode: ruleSet.code,
        ruleSetVersion: ruleSet.version,
        asOf,
        met: evaluation.met,
        behindPace: evaluation.pace.behind,
        daysLeft: evaluation.daysLeft,
        result: evaluation,
      });
      if (crossed.length === 0) continue;
      crossedBy.push({ personId: person.id, thresholds: crossed });
      for (const threshold of crossed) requests.push(notificationOf(person.id, ruleSet.code, asOf, evaluation, threshold, now));
    }

    // Snapshots and the notices they imply commit together: a batch that fails half way and runs again
    // compares with the old snapshots, finds the same crossings, and creates nothing twice (the keys).
    const { written, keys } = await this.repository.store(snapshots, requests, now);
    // Queued after the commit; a crash before this line is repaired by the reconciler (due pending rows).
    await this.notifications.dispatchKeys(keys);
    return { evaluated: people.length, crossed: crossedBy, written, notified: requests.length };
  }
}

function notificationOf(
  personId: string,
  ruleSetCode: string,
  asOf: IsoDate,
  evaluation: Evaluation,
  threshold: Threshold,
  now: Date,
): NotificationRequest {
  const milestone = threshold.kind === 'credits.period-end' ? `:${threshold.milestone}` : '';
  const day = threshold.kind === 'credits.behind-pace' ? `:${asOf}` : '';
  return {
    personId,
    kind: threshold.kind,
    subjectId: evaluation.period.start,
    dueAt: now,
    idempotencyKey: `${personId}:${threshold.kind}:${ruleSetCode}:${evaluation.period.start}${milestone}${day}`,
    payload: {
      ruleSetCode,
      total: evaluation.total,
      required: evaluation.required,
      remaining: evaluation.remaining,
      periodEnd: evaluation.period.end,
      daysLeft: evaluation.daysLeft,
      ...(threshold.kind === 'credits.period-end' ? { milestone: threshold.milestone } : {}),
      // How far behind words the nudge (a row written before the field reads as slightly behind).
      ...(threshold.kind === 'credits.behind-pace' ? { lag: evaluation.pace.lag } : {}),
    },
  };
}
