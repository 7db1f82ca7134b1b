import fc from 'fast-check';
import { evaluate } from '../../core/credits/engine';
import { nmo709n } from '../../core/rules/shipped/nmo-709n';
import type { RuleSet } from '../../core/rules/rule-set.schema';
import { countedProgress } from './progress-steps';

const capped: RuleSet = {
  code: 'capped',
  version: 1,
  name: { ru: 'С лимитами', en: 'With caps' },
  unit: 'points',
  creditTypes: [
    { code: 'talk', name: { ru: 'Доклад', en: 'Talk' }, weight: 2.5, quantity: { min: 1, max: 4, unit: 'items' }, cap: 10 },
    { code: 'course', name: { ru: 'Курс', en: 'Course' }, weight: 1, quantity: { min: 1, max: 100, unit: 'hours' } },
  ],
  period: { kind: 'calendarYear' },
  required: 50,
  minimums: {},
};

describe('countedProgress', () => {
  it('adds up day by day, a cap used up by the earliest entries', () => {
    const entries = [
      { id: 'a', typeCode: 'talk', quantity: 3, date: '2025-02-01' },
      { id: 'b', typeCode: 'talk', quantity: 2, date: '2025-03-01' }, // 5 more, only 2.5 fit under the cap
      { id: 'c', typeCode: 'course', quantity: 6, date: '2025-03-01' },
      { id: 'd', typeCode: 'talk', quantity: 1, date: '2025-04-01' }, // cap used up: nothing
      { id: 'e', typeCode: 'course', quantity: 8, date: '2025-05-01', verification: 'REJECTED' as const },
      { id: 'f', typeCode: 'course', quantity: 4, date: '2025-07-01' }, // after asOf
    ];
    const evaluation = evaluate(capped, entries, {}, '2025-06-15');
    expect(countedProgress(capped, entries, evaluation)).toEqual([
      { date: '2025-02-01', credits: 7.5 },
      { date: '2025-03-01', credits: 8.5 },
    ]);
  });

  it('ends where the engine says the total is', () => {
    const typeCodes = ['pk', 'iom', 'event', 'unknown', 'talk', 'course'];
    const entry = fc.record({
      id: fc.string({ minLength: 1, maxLength: 3 }),
      typeCode: fc.constantFrom(...typeCodes),
      quantity: fc.oneof(fc.integer({ min: 0, max: 120 }), fc.double({ min: 0, max: 50, noNaN: true })),
      date: fc
        .date({ min: new Date('2022-06-01'), max: new Date('2026-06-01'), noInvalidDate: true })
        .map((d) => d.toISOString().slice(0, 10)),
      verification: fc.constantFrom('UNVERIFIED' as const, 'VERIFIED' as const, 'REJECTED' as const),
    });
    fc.assert(
      fc.property(fc.constantFrom(nmo709n, capped), fc.array(entry, { maxLength: 40 }), (ruleSet, entries) => {
        const evaluation = evaluate(ruleSet, entries, { cycleStart: '2023-03-15' }, '2025-06-15');
        const steps = countedProgress(ruleSet, entries, evaluation);
        const sumH = steps.reduce((sum, step) => sum + Math.round(step.credits * 100), 0);
        expect(sumH / 100).toBe(evaluation.total);
        expect(steps.map((step) => step.date)).toEqual([...new Set(steps.map((step) => step.date))].sort());
      }),
    );
  });
});
