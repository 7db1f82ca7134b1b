import type { Prisma, StaffCategory } from '../../generated/prisma/client';
import { profileOf, toEngineEntry } from '../../core/credits/credits.service';
import { evaluate, type Evaluation } from '../../core/credits/engine';
import { crossedThresholds, type Threshold } from '../../core/credits/reevaluation.service';
import type { NotificationsService } from '../../core/notifications/notifications.service';
import { defaultRuleSetCode, findShippedRuleSet, parseRuleSet, type RuleSet } from '../../core/rules';
import type { Clock } from '../../core/shared/clock';
import type { Database } from '../../core/shared/database';
import { dbDateOf, localDateOf } from '../../core/shared/local-date';

/**
 * Re-evaluation as it was before the nightly sweep went batched (#18): one person, six round trips
 * through Prisma, one `schedule` per threshold crossed. Kept only as the reference the batched path is
 * compared with (core/credits/reevaluation.equivalence.spec.ts); the product never runs it. Copied from
 * `ReevaluationService.reevaluate` and `RuleSetRepository.forPerson`/`latest` of that time, unchanged
 * but for being functions, so that the comparison does not lean on any code it checks.
 */
export class PerPersonReevaluation {
  private readonly cache = new Map<string, { version: number; ruleSet: RuleSet }>();

  constructor(
    private readonly db: Database,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async reevaluate(personId: string): Promise<{ evaluation: Evaluation; crossed: Threshold[] } | null> {
    const person = await this.db.person.findUnique({ where: { id: personId } });
    if (!person || person.deletedAt || person.onboardingStep !== 'LINKED') return null;
    const ruleSet = await this.forPerson(person);
    const entries = await this.db.creditEntry.findMany({ where: { personId, deletedAt: null } });
    const asOf = localDateOf(this.clock.now(), person.timeZone);
    const evaluation = evaluate(ruleSet, entries.map(toEngineEntry), profileOf(person), asOf);

    const previous = await this.db.statusSnapshot.findUnique({ where: { personId } });
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
          // How far behind words the nudge, as the product writes it since the pace got its tiers.
          ...(threshold.kind === 'credits.behind-pace' ? { lag: evaluation.pace.lag } : {}),
        },
      });
    }
    return { evaluation, crossed };
  }

  private async latest(code: string): Promise<RuleSet | null> {
    const row = await this.db.ruleSet.findFirst({ where: { code }, orderBy: { version: 'desc' } });
    if (!row) return findShippedRuleSet(code) ?? null;
    const cached = this.cache.get(code);
    if (cached && cached.version === row.version) return cached.ruleSet;
    const parsed = parseRuleSet(row.definition);
    if (!parsed.ok) throw new Error(`Stored rule set ${code} v${row.version} is invalid: ${parsed.errors.join('; ')}`);
    this.cache.set(code, { version: row.version, ruleSet: parsed.ruleSet });
    return parsed.ruleSet;
  }

  private async forPerson(person: { organizationId: string | null; category: StaffCategory | null }): Promise<RuleSet> {
    let code = defaultRuleSetCode;
    if (person.organizationId) {
      const assignments = await this.db.ruleSetAssignment.findMany({ where: { organizationId: person.organizationId } });
      const specific = assignments.find((a) => a.category !== null && a.category === person.category);
      const general = assignments.find((a) => a.category === null);
      code = (specific ?? general)?.ruleSetCode ?? defaultRuleSetCode;
    }
    return (await this.latest(code)) ?? (await this.latest(defaultRuleSetCode))!;
  }
}
