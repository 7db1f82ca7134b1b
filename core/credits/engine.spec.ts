import { getShippedRuleSet } from '../rules';
import { type CreditEntryInput, evaluate, paceOf } from './engine';

const nmo = getShippedRuleSet('nmo-709n');
const seedAccreditation = getShippedRuleSet('seed-accreditation');
const seedActions = getShippedRuleSet('seed-actions');

let nextId = 0;
function entry(typeCode: string, quantity: number, date: string, extra: Partial<CreditEntryInput> = {}): CreditEntryInput {
  return { id: `e${++nextId}`, typeCode, quantity, date, ...extra };
}

function repeat(times: number, make: (i: number) => CreditEntryInput): CreditEntryInput[] {
  return Array.from({ length: times }, (_, i) => make(i));
}

describe('a nurse three years into her 709н cycle with 60 ЗЕТ of ПК and 50 of ИОМ', () => {
  // Accredited on 2023-03-15: the cycle runs to 2028-03-14 (1827 days, two 29 Februaries).
  const entries = [
    entry('pk', 36, '2023-10-02', { verification: 'VERIFIED' }),
    entry('pk', 24, '2024-05-20', { verification: 'VERIFIED' }),
    ...repeat(10, (i) => entry('iom', 5, `2025-0${1 + (i % 9)}-10`)),
  ];
  const result = evaluate(nmo, entries, { category: 'NURSE', cycleStart: '2023-03-15' }, '2026-03-15');

  it('counts 110 of 144, with 34 remaining: more than the ПК shortfall of 72 − 60 = 12', () => {
    expect(result.period).toEqual({ start: '2023-03-15', end: '2028-03-14' });
    expect(result.total).toBe(110);
    expect(result.required).toBe(144);
    expect(result.remaining).toBe(34);
    expect(result.met).toBe(false);
    // floor(110 / 144 × 1000) / 10
    expect(result.percent).toBe(76.3);
  });

  it('shows the ПК shortfall of 12 by group and the split by type', () => {
    expect(result.byGroup).toEqual([
      { group: 'pk', counted: 60, minimum: 72, shortfall: 12 },
      { group: 'iom', counted: 50, minimum: null, shortfall: 0 },
      { group: 'event', counted: 0, minimum: null, shortfall: 0 },
    ]);
    expect(result.byType).toEqual([
      { code: 'pk', group: 'pk', raw: 60, counted: 60, cap: null, entries: 2, unverified: 0 },
      { code: 'iom', group: 'iom', raw: 50, counted: 50, cap: null, entries: 10, unverified: 50 },
      { code: 'event', group: 'event', raw: 0, counted: 0, cap: null, entries: 0, unverified: 0 },
    ]);
  });

  it('is ahead of pace: a steady pace would be 144 × 1096 / 1827 ≈ 86.4 by now', () => {
    expect(result.pace).toEqual({ expected: 86.38, actual: 110, behind: false, status: 'ahead', lag: null });
  });

  it('has 730 days left and the portfolio window opening a year before the accreditation expires', () => {
    expect(result.daysLeft).toBe(730);
    expect(result.portfolioWindow).toEqual({ opensOn: '2027-03-15', open: false });
  });

  it('shows each year against the 50-a-year advice, prorated for the partial first and last years', () => {
    expect(result.byYear).toEqual([
      // 292 of 365 days of 2023 are in the cycle: 50 × 292 / 365 = 40.
      { year: 2023, total: 36, recommended: 40, belowRecommendation: true },
      { year: 2024, total: 24, recommended: 50, belowRecommendation: true },
      { year: 2025, total: 50, recommended: 50, belowRecommendation: false },
      { year: 2026, total: 0, recommended: 50 },
      { year: 2027, total: 0, recommended: 50 },
      // 74 of 366 days of 2028: 50 × 74 / 366 = 10.11.
      { year: 2028, total: 0, recommended: 10.11 },
    ]);
  });

  it('suggests one 34-hour ПК, or the 16-hour minimum ПК with an 18-hour ИОМ, or with two 9-hour events', () => {
    expect(result.suggestions).toEqual([
      { actions: [{ typeCode: 'pk', count: 1, quantityEach: 34 }], actionCount: 1, credits: 34 },
      {
        actions: [
          { typeCode: 'pk', count: 1, quantityEach: 16 },
          { typeCode: 'iom', count: 1, quantityEach: 18 },
        ],
        actionCount: 2,
        credits: 34,
      },
      {
        actions: [
          { typeCode: 'pk', count: 1, quantityEach: 16 },
          { typeCode: 'event', count: 2, quantityEach: 9 },
        ],
        actionCount: 3,
        credits: 34,
      },
    ]);
    expect(result.warnings).toEqual([]);
  });
});

describe('the last day of a cycle', () => {
  const profile = { cycleStart: '2023-03-15' };

  it('counts an entry dated the day the cycle ends', () => {
    const result = evaluate(nmo, [entry('iom', 6, '2028-03-14')], profile, '2028-03-14');
    expect(result.total).toBe(6);
    expect(result.daysLeft).toBe(0);
    expect(result.warnings).toEqual([]);
  });

  it('does not count an entry dated the day after, which belongs to the next cycle', () => {
    const result = evaluate(nmo, [entry('iom', 6, '2028-03-14'), entry('iom', 6, '2028-03-15')], profile, '2028-03-20');
    expect(result.total).toBe(6);
    expect(result.warnings).toEqual(['period-ended']);
    expect(result.suggestions).toEqual([]);
  });
});

describe('seed-actions resets on 1 January', () => {
  const entries = [entry('registration', 1, '2025-02-01'), entry('fee', 1, '2025-12-31'), entry('application', 1, '2026-01-01')];

  it('counts only 2025 on 31 December', () => {
    const result = evaluate(seedActions, entries, {}, '2025-12-31');
    expect(result.period).toEqual({ start: '2025-01-01', end: '2025-12-31' });
    expect(result.total).toBe(30);
    expect(result.warnings).toEqual(['future-entries-ignored']);
  });

  it('starts again from zero on 1 January, counting only the new year', () => {
    const result = evaluate(seedActions, entries, {}, '2026-01-01');
    expect(result.period).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(result.total).toBe(15);
    expect(result.byYear).toEqual([{ year: 2026, total: 15 }]);
    expect(result.portfolioWindow).toBeNull();
  });

  it('counts registration once a year, however many times it was entered', () => {
    const result = evaluate(
      seedActions,
      [entry('registration', 1, '2026-02-01'), entry('registration', 1, '2026-03-01')],
      {},
      '2026-06-01',
    );
    expect(result.byType[0]).toEqual({
      code: 'registration',
      group: null,
      raw: 20,
      counted: 10,
      cap: 10,
      entries: 2,
      unverified: 20,
    });
    expect(result.total).toBe(10);
    expect(result.suggestions.flatMap((s) => s.actions.map((a) => a.typeCode))).not.toContain('registration');
  });
});

describe('seed-accreditation: 100 points', () => {
  const profile = { cycleStart: '2024-01-10' };

  it('is met by 3 applications, 4 documents, 2 audits and 10 trainings (30 + 20 + 30 + 20)', () => {
    const entries = [
      ...repeat(3, () => entry('application', 1, '2024-03-01')),
      ...repeat(4, () => entry('document', 1, '2024-04-01')),
      ...repeat(2, () => entry('audit', 1, '2025-05-01')),
      ...repeat(10, () => entry('training', 1, '2025-06-01')),
    ];
    const result = evaluate(seedAccreditation, entries, profile, '2025-07-01');
    expect(result).toMatchObject({ total: 100, remaining: 0, percent: 100, met: true, suggestions: [] });
  });

  it('with 55 points suggests 3 more audits, or 5 applications, or 9 documents', () => {
    const entries = [
      entry('application', 1, '2024-03-01'),
      entry('audit', 1, '2024-05-01'),
      ...repeat(15, () => entry('training', 1, '2024-06-01')),
    ];
    const result = evaluate(seedAccreditation, entries, profile, '2025-07-01');
    expect(result.total).toBe(55);
    expect(result.remaining).toBe(45);
    expect(result.suggestions.map((s) => s.actions)).toEqual([
      [{ typeCode: 'audit', count: 3, quantityEach: 1 }],
      [{ typeCode: 'application', count: 5, quantityEach: 1 }],
      [{ typeCode: 'document', count: 9, quantityEach: 1 }],
    ]);
  });
});

describe('entries that do not count', () => {
  const profile = { cycleStart: '2023-03-15' };

  it('ignores rejected entries, whatever their size', () => {
    const result = evaluate(
      nmo,
      [entry('pk', 72, '2024-01-10', { verification: 'REJECTED' }), entry('pk', 36, '2024-02-10', { verification: 'VERIFIED' })],
      profile,
      '2025-01-01',
    );
    expect(result.total).toBe(36);
    expect(result.byType[0]).toMatchObject({ raw: 36, entries: 1 });
  });

  it('ignores entries before the cycle, of unknown types, or with unusable data, and says so', () => {
    const result = evaluate(
      nmo,
      [
        entry('pk', 36, '2023-03-14'),
        entry('webinar', 2, '2024-01-10'),
        entry('iom', Number.NaN, '2024-01-10'),
        entry('iom', 3, '10.01.2024'),
        entry('iom', 4, '2024-01-10'),
      ],
      profile,
      '2025-01-01',
    );
    expect(result.total).toBe(4);
    expect(result.warnings).toEqual(['unknown-credit-type', 'invalid-entry']);
  });

  it('counts an oversized entry as the type allows at most, and flags it', () => {
    const result = evaluate(nmo, [entry('iom', 50, '2024-01-10')], profile, '2025-01-01');
    expect(result.total).toBe(36);
    expect(result.warnings).toEqual(['quantity-out-of-range']);
  });
});

describe('a person whose last accreditation date is unknown', () => {
  it('is evaluated over a cycle starting on 1 January of this year, with a warning to ask for the date', () => {
    const result = evaluate(nmo, [entry('pk', 36, '2025-12-01'), entry('pk', 36, '2026-02-01')], {}, '2026-04-01');
    expect(result.period).toEqual({ start: '2026-01-01', end: '2030-12-31' });
    expect(result.total).toBe(36);
    expect(result.warnings).toEqual(['cycle-start-unknown']);
  });
});

describe('pace is advice', () => {
  it('a doctor four years in with 40 ЗЕТ is behind, and the result says so without failing anything', () => {
    const result = evaluate(nmo, [entry('pk', 40, '2022-06-01')], { category: 'DOCTOR', cycleStart: '2022-01-10' }, '2026-01-10');
    expect(result.pace.status).toBe('behind');
    expect(result.pace.behind).toBe(true);
    expect(result.portfolioWindow).toEqual({ opensOn: '2026-01-10', open: true });
  });

  it('right at the start of a cycle nobody is behind', () => {
    const result = evaluate(nmo, [], { cycleStart: '2026-01-10' }, '2026-01-12');
    expect(result.pace.status).toBe('on-track');
    expect(result.pace.lag).toBeNull();
    expect(result.percent).toBe(0);
  });
});

describe('how far behind', () => {
  // A 100-day period requiring 100 (10,000 hundredths), 60 days in: the steady pace expects 60, and
  // still has 40 to bring in the 40 days left. Behind starts below 60 − 5% of 100 = 55.
  const at60 = (actual: number) => paceOf(10_000, 10_000 - actual * 100, 0, 99, 60);

  it('is slightly behind while the rest fits the rest of the period at up to 1.25× the steady pace', () => {
    expect(at60(54.99)).toMatchObject({ expected: 60, status: 'behind', lag: 'slightly' });
    // 50 remaining in 40 days' worth: exactly 1.25×.
    expect(at60(50)).toMatchObject({ status: 'behind', lag: 'slightly' });
  });

  it('is well behind beyond 1.25× and up to 2×', () => {
    expect(at60(49.99)).toMatchObject({ status: 'behind', lag: 'well' });
    // 80 remaining in 40 days' worth: exactly 2×.
    expect(at60(20)).toMatchObject({ status: 'behind', lag: 'well' });
  });

  it('is at risk beyond twice the steady pace, and when the period is over with credits missing', () => {
    expect(at60(19.99)).toMatchObject({ status: 'behind', lag: 'at-risk' });
    expect(at60(0)).toMatchObject({ status: 'behind', lag: 'at-risk' });
    expect(paceOf(10_000, 1000, 0, 99, 150)).toMatchObject({ expected: 100, status: 'behind', lag: 'at-risk' });
  });

  it('has no lag when on track or ahead', () => {
    expect(at60(55)).toMatchObject({ status: 'on-track', lag: null });
    expect(at60(90)).toMatchObject({ status: 'ahead', lag: null });
  });

  it('a nurse with nothing of the 107 ЗЕТ the steady pace expects is at risk, not «slightly behind»', () => {
    const result = evaluate(nmo, [], { category: 'NURSE', cycleStart: '2023-03-15' }, '2026-12-01');
    expect(Math.round(result.pace.expected)).toBe(107);
    expect(result.pace).toMatchObject({ actual: 0, status: 'behind', lag: 'at-risk' });
  });
});
