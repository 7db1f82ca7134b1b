import type { Prisma } from '../../generated/prisma/client';
import type { NotificationsService } from '../notifications/notifications.service';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { dbDateOf, localDateOf } from '../shared/local-date';
import { profileOf, toEngineEntry } from './credits.service';
import { evaluate, type Evaluation } from './engine';

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

/** Re-evaluates a person after a change or in the nightly sweep, and notifies threshold crossings. */
export class ReevaluationService {
  constructor(
    private readonly db: Database,
    private readonly ruleSets: RuleSetRepository,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async reevaluate(personId: string): Promise<{ evaluation: Evaluation; crossed: Threshold[] } | null> {
    const person = await this.db.person.findUnique({ where: { id: personId } });
    if (!person || person.deletedAt || person.onboardingStep !== 'LINKED') return null;
    const ruleSet = await this.ruleSets.forPerson(person);
    const entries = await this.db.creditEntry.findMany({ where: { personId, deletedAt: null } });
    const asOf = localDateOf(this.clock.now(), person.timeZone);
    const evaluation = evaluate(ruleSet, entries.map(toEngineEntry), profileOf(person), asOf);

    const previous = await this.db.statusSnapshot.findUnique({ where: { personId } });
    // A snapshot of another period (a new cycle, 1 January) says nothing about this one.
    const comparable =
      previous &&
      previous.ruleSetCode === ruleSet.code &&
      (previous.result as { period?: { start?: string } }).period?.start === evaluation.period.start;
    const crossed = crossedThresholds(comparable ? previous : null, evaluation);

    const snapshot = {
      ruleSetCode: ruleSet.code,
      ruleSetVersion: ruleSet.version,
      asOf: dbDateOf(asOf),
      met: evaluation.met,
      behindPace: evaluation.pace.behind,
      daysLeft: evaluation.daysLeft,
      result: JSON.parse(JSON.stringify(evaluation)) as Prisma.InputJsonObject,
    };
    await this.db.statusSnapshot.upsert({ where: { personId }, create: { personId, ...snapshot }, update: snapshot });

    for (const threshold of crossed) {
      const milestone = threshold.kind === 'credits.period-end' ? `:${threshold.milestone}` : '';
      const day = threshold.kind === 'credits.behind-pace' ? `:${asOf}` : '';
      await this.notifications.schedule({
        personId,
        kind: threshold.kind,
        subjectId: evaluation.period.start,
        dueAt: this.clock.now(),
        idempotencyKey: `${personId}:${threshold.kind}:${ruleSet.code}:${evaluation.period.start}${milestone}${day}`,
        payload: {
          ruleSetCode: ruleSet.code,
          total: evaluation.total,
          required: evaluation.required,
          remaining: evaluation.remaining,
          periodEnd: evaluation.period.end,
          daysLeft: evaluation.daysLeft,
          ...(threshold.kind === 'credits.period-end' ? { milestone: threshold.milestone } : {}),
          // How far behind words the nudge (a row written before the field reads as slightly behind).
          ...(threshold.kind === 'credits.behind-pace' ? { lag: evaluation.pace.lag } : {}),
        },
      });
    }
    return { evaluation, crossed };
  }

  /** Everyone linked, for the nightly sweep: ids only, in pages. */
  async linkedPeople(cursor: string | undefined, take: number): Promise<string[]> {
    const rows = await this.db.person.findMany({
      where: { onboardingStep: 'LINKED', deletedAt: null },
      select: { id: true },
      orderBy: { id: 'asc' },
      take,
      ...(cursor ? { skip: 1, cursor: { id: cursor } } : {}),
    });
    return rows.map((r) => r.id);
  }
}
