import fc from 'fast-check';
import { parseRuleSet, type RuleSet, shippedRuleSets } from '../rules';
import { addDays, fromDayNumber, toDayNumber } from '../shared/dates';
import { type CreditEntryInput, evaluate } from './engine';
import type { CreditProfile } from './period';

/** Random rule sets that pass the schema: groups, minimums, caps, steps and odd weights included. */
const generatedRuleSet: fc.Arbitrary<RuleSet> = fc
  .record({
    types: fc.array(
      fc.record({
        weight: fc.constantFrom(0.25, 0.5, 1, 2, 3, 5, 15),
        min: fc.constantFrom(0, 1, 2, 16),
        span: fc.integer({ min: 0, max: 40 }),
        step: fc.option(fc.constantFrom(0.5, 1), { nil: undefined }),
        cap: fc.option(fc.integer({ min: 5, max: 120 }), { nil: undefined }),
        group: fc.option(fc.constantFrom('a', 'b'), { nil: undefined }),
      }),
      { minLength: 1, maxLength: 5 },
    ),
    calendarYear: fc.boolean(),
    required: fc.integer({ min: 1, max: 200 }),
    minimumA: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
    minimumB: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
  })
  .map(({ types, calendarYear, required, minimumA, minimumB }) => {
    const groups = new Set(types.map((t) => t.group));
    const minimums: Record<string, number> = {};
    if (minimumA !== undefined && groups.has('a')) minimums.a = Math.min(minimumA, required);
    if (minimumB !== undefined && groups.has('b')) minimums.b = Math.min(minimumB, required - (minimums.a ?? 0));
    return {
      code: 'generated',
      version: 1,
      name: { ru: 'Сгенерированные правила', en: 'Generated rules' },
      unit: 'points',
      creditTypes: types.map((t, i) => ({
        code: `t${i}`,
        name: { ru: `Тип ${i}`, en: `Type ${i}` },
        weight: t.weight,
        quantity: { min: t.min, max: Math.max(1, t.min + t.span), ...(t.step ? { step: t.step } : {}), unit: 'items' },
        ...(t.cap !== undefined ? { cap: t.cap } : {}),
        ...(t.group ? { group: t.group } : {}),
      })),
      period: calendarYear ? { kind: 'calendarYear' } : { kind: 'cycle', years: 5, anchor: 'lastAccreditation' },
      required,
      minimums,
    } as RuleSet;
  })
  .filter((ruleSet) => parseRuleSet(ruleSet).ok);

const anyRuleSet: fc.Arbitrary<RuleSet> = fc.oneof(fc.constantFrom(...shippedRuleSets), generatedRuleSet);

const DAY_2021 = toDayNumber('2021-01-01');
const date = (from = 0, to = 365 * 9) => fc.integer({ min: DAY_2021 + from, max: DAY_2021 + to }).map(fromDayNumber);

function entriesFor(ruleSet: RuleSet, maxLength = 30): fc.Arbitrary<CreditEntryInput[]> {
  const codes = [...ruleSet.creditTypes.map((t) => t.code), 'unknown'];
  return fc
    .array(
      fc.record({
        typeCode: fc.constantFrom(...codes),
        quantity: fc.oneof(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 60, noNaN: true })),
        date: date(),
        verification: fc.constantFrom(undefined, 'UNVERIFIED', 'VERIFIED', 'REJECTED'),
      }),
      { maxLength },
    )
    .map((rows) =>
      rows.map((row, i): CreditEntryInput => {
        const e: CreditEntryInput = { id: `e${i}`, typeCode: row.typeCode, quantity: row.quantity, date: row.date };
        if (row.verification) e.verification = row.verification as CreditEntryInput['verification'];
        return e;
      }),
    );
}

const profile: fc.Arbitrary<CreditProfile> = fc.record({
  cycleStart: fc.option(date(0, 365 * 5), { nil: null }),
});

const scenario = anyRuleSet.chain((ruleSet) =>
  fc.record({ ruleSet: fc.constant(ruleSet), entries: entriesFor(ruleSet), profile, asOf: date(365, 365 * 9) }),
);

describe('evaluation properties', () => {
  it('adding an entry never lowers the total nor raises what remains', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.record({ s: fc.constant(s), extra: entriesFor(s.ruleSet, 1).filter((e) => e.length === 1) })),
        ({ s, extra }) => {
          const before = evaluate(s.ruleSet, s.entries, s.profile, s.asOf);
          const after = evaluate(s.ruleSet, [...s.entries, { ...extra[0], id: 'added' }], s.profile, s.asOf);
          expect(after.total).toBeGreaterThanOrEqual(before.total);
          expect(after.remaining).toBeLessThanOrEqual(before.remaining);
        },
      ),
    );
  });

  it('never counts more of a type than its cap, and counts min(raw, cap)', () => {
    fc.assert(
      fc.property(scenario, ({ ruleSet, entries, profile: p, asOf }) => {
        const result = evaluate(ruleSet, entries, p, asOf);
        for (const type of result.byType) {
          if (type.cap !== null) expect(type.counted).toBeLessThanOrEqual(type.cap);
          expect(type.counted).toBe(type.cap === null ? type.raw : Math.min(type.raw, type.cap));
        }
      }),
    );
  });

  it('does not depend on the order of entries', () => {
    fc.assert(
      fc.property(
        scenario.chain((s) => fc.record({ s: fc.constant(s), order: fc.shuffledSubarray(s.entries, { minLength: s.entries.length }) })),
        ({ s, order }) => {
          expect(evaluate(s.ruleSet, order, s.profile, s.asOf)).toEqual(evaluate(s.ruleSet, s.entries, s.profile, s.asOf));
        },
      ),
    );
  });

  it('is met exactly when nothing remains, and remaining covers both the total and every group minimum', () => {
    fc.assert(
      fc.property(scenario, ({ ruleSet, entries, profile: p, asOf }) => {
        const result = evaluate(ruleSet, entries, p, asOf);
        expect(result.met).toBe(result.remaining === 0);
        expect(result.met).toBe(result.percent === 100);
        expect(result.remaining).toBeGreaterThanOrEqual(round2(result.required - result.total));
        const groupShortfalls = result.byGroup.reduce((sum, g) => sum + g.shortfall, 0);
        expect(result.remaining).toBeGreaterThanOrEqual(round2(groupShortfalls));
        expect(result.percent).toBeGreaterThanOrEqual(0);
        expect(result.percent).toBeLessThanOrEqual(100);
      }),
    );
  });

  it('splits the counted total across years without losing or inventing credits', () => {
    fc.assert(
      fc.property(scenario, ({ ruleSet, entries, profile: p, asOf }) => {
        const result = evaluate(ruleSet, entries, p, asOf);
        expect(round2(result.byYear.reduce((sum, y) => sum + y.total, 0))).toBe(result.total);
        expect(round2(result.byType.reduce((sum, t) => sum + t.counted, 0))).toBe(result.total);
      }),
    );
  });

  it('suggestions, entered on the evaluation day, meet the requirement', () => {
    fc.assert(
      fc.property(scenario, ({ ruleSet, entries, profile: p, asOf }) => {
        const result = evaluate(ruleSet, entries, p, asOf);
        const active = asOf >= result.period.start && asOf <= result.period.end;
        if (!result.met && active && ruleSet.creditTypes.every((t) => t.cap === undefined)) {
          expect(result.suggestions.length).toBeGreaterThan(0);
        }
        for (const suggestion of result.suggestions) {
          const added = suggestion.actions.flatMap((action) =>
            Array.from({ length: action.count }, (_, i): CreditEntryInput => ({
              id: `s-${action.typeCode}-${i}`,
              typeCode: action.typeCode,
              quantity: action.quantityEach,
              date: asOf,
            })),
          );
          const type = (code: string) => ruleSet.creditTypes.find((t) => t.code === code)!;
          for (const action of suggestion.actions) {
            expect(action.quantityEach).toBeGreaterThanOrEqual(type(action.typeCode).quantity.min);
            expect(action.quantityEach).toBeLessThanOrEqual(type(action.typeCode).quantity.max);
            const step = type(action.typeCode).quantity.step ?? 1;
            expect(Math.abs(action.quantityEach / step - Math.round(action.quantityEach / step))).toBeLessThan(1e-9);
          }
          const after = evaluate(ruleSet, [...entries, ...added], p, asOf);
          expect(after.met).toBe(true);
        }
        const counts = result.suggestions.map((s) => s.actionCount);
        expect(counts).toEqual([...counts].sort((a, b) => a - b));
        expect(result.suggestions.length).toBeLessThanOrEqual(3);
      }),
      { numRuns: 300 },
    );
  });

  it('counts an entry on the last day of the period and never one on the day after', () => {
    fc.assert(
      fc.property(anyRuleSet, date(0, 365 * 5), (ruleSet, cycleStart) => {
        const { period } = evaluate(ruleSet, [], { cycleStart }, cycleStart);
        const type = ruleSet.creditTypes[0];
        const q = type.quantity.max;
        // Calendar-year rule sets start a new period the next day, so look from their last day.
        const asOf = ruleSet.period.kind === 'cycle' ? addDays(period.end, 10) : period.end;
        const onLast = evaluate(ruleSet, [{ id: 'a', typeCode: type.code, quantity: q, date: period.end }], { cycleStart }, asOf);
        const after = evaluate(
          ruleSet,
          [{ id: 'a', typeCode: type.code, quantity: q, date: addDays(period.end, 1) }],
          { cycleStart },
          asOf,
        );
        expect(onLast.byType[0].raw).toBeGreaterThan(0);
        expect(after.byType[0].raw).toBe(0);
      }),
    );
  });
});

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
