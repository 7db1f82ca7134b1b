import type { CreditEntryInput } from '../credits/engine';
import { nmo709n } from '../rules/shipped/nmo-709n';
import { parseRussianDate } from '../shared/local-date';
import { checkPlanItem, overlaps, parseDateRange, type PlanItemInput, projectPlan } from './plan';

const span = (id: string, startsOn: string, endsOn: string) => ({ id, startsOn, endsOn });
const item = (id: string, typeCode: string, endsOn: string, hours: number, completed = false): PlanItemInput => ({
  id,
  typeCode,
  startsOn: endsOn,
  endsOn,
  hours,
  completed,
});
const entry = (id: string, typeCode: string, quantity: number, date: string): CreditEntryInput => ({
  id,
  typeCode,
  quantity,
  date,
  verification: 'VERIFIED',
});

describe('overlaps', () => {
  it('flags nothing for an empty plan or one item', () => {
    expect(overlaps([])).toEqual(new Set());
    expect(overlaps([span('a', '2026-01-01', '2026-01-05')])).toEqual(new Set());
  });

  it('does not flag ranges that touch (one ends the day before the other starts)', () => {
    expect(overlaps([span('a', '2026-01-01', '2026-01-05'), span('b', '2026-01-06', '2026-01-10')])).toEqual(new Set());
  });

  it('flags ranges sharing one day, and two one-day items on the same day', () => {
    expect(overlaps([span('a', '2026-01-01', '2026-01-05'), span('b', '2026-01-05', '2026-01-10')])).toEqual(new Set(['a', 'b']));
    expect(overlaps([span('a', '2026-03-03', '2026-03-03'), span('b', '2026-03-03', '2026-03-03')])).toEqual(new Set(['a', 'b']));
  });

  it('flags a nested range, and a later item overlapping a long earlier one past a short one in between', () => {
    expect(overlaps([span('outer', '2026-01-01', '2026-01-31'), span('inner', '2026-01-10', '2026-01-12')])).toEqual(
      new Set(['outer', 'inner']),
    );
    const flagged = overlaps([
      span('long', '2026-01-01', '2026-03-01'),
      span('short', '2026-01-02', '2026-01-03'),
      span('late', '2026-02-01', '2026-02-02'),
      span('free', '2026-04-01', '2026-04-02'),
    ]);
    expect(flagged).toEqual(new Set(['long', 'short', 'late']));
  });
});

describe('projectPlan (nmo-709n, cycle 15.03.2023 – 14.03.2028)', () => {
  const profile = { category: 'NURSE', cycleStart: '2023-03-15' };
  const today = '2026-11-25';
  const done = [entry('e1', 'pk', 36, '2024-05-10'), entry('e2', 'iom', 36, '2025-02-01'), entry('e3', 'iom', 20, '2025-06-01')];

  it('a plan that closes the gap is met by the period end', () => {
    const plan = [item('p1', 'pk', '2027-02-10', 36), item('p2', 'event', '2027-05-20', 12), item('p3', 'iom', '2027-09-01', 4)];
    const projection = projectPlan(nmo709n, done, plan, profile, today);
    expect(projection).toMatchObject({ periodEnd: '2028-03-14', met: true, remaining: 0, shortGroups: [] });
    expect(projection.countedItemIds).toEqual(['p1', 'p2', 'p3']);
  });

  it('a plan with enough hours but too little ПК leaves ПК short', () => {
    const plan = [item('p1', 'iom', '2027-02-10', 36), item('p2', 'iom', '2027-03-10', 36)];
    const projection = projectPlan(nmo709n, done, plan, profile, today);
    expect(projection.met).toBe(false);
    expect(projection.remaining).toBe(36);
    expect(projection.shortGroups).toEqual([expect.objectContaining({ group: 'pk', shortfall: 36 })]);
  });

  it('an item ending after the period end, or completed, does not count', () => {
    const plan = [
      item('late', 'pk', '2028-03-15', 36),
      item('done', 'pk', '2027-01-10', 36, true),
      item('last-day', 'event', '2028-03-14', 12),
    ];
    const projection = projectPlan(nmo709n, done, plan, profile, today);
    expect(projection.countedItemIds).toEqual(['last-day']);
    expect(projection.remaining).toBe(144 - 92 - 12);
  });

  it('keeps the fallback period when the cycle start is unknown', () => {
    const projection = projectPlan(nmo709n, [], [item('p', 'pk', '2027-06-01', 72)], { category: 'NURSE' }, today);
    expect(projection.periodEnd).toBe('2030-12-31');
    expect(projection.countedItemIds).toEqual(['p']);
  });
});

describe('checkPlanItem', () => {
  const draft = { typeCode: 'pk', title: 'Сестринское дело', startsOn: '2027-02-01', endsOn: '2027-02-10', hours: 36 };

  it('accepts a good draft and names every problem of a bad one', () => {
    expect(checkPlanItem(nmo709n, draft)).toEqual([]);
    expect(checkPlanItem(nmo709n, { ...draft, hours: 8, endsOn: '2027-01-31', title: ' ' }).map((p) => p.code)).toEqual([
      'hours-below-min',
      'title-empty',
      'end-before-start',
    ]);
    expect(checkPlanItem(nmo709n, { ...draft, typeCode: 'nope' })).toEqual([{ code: 'unknown-type' }]);
    expect(checkPlanItem(nmo709n, { ...draft, typeCode: 'event', hours: 13 })).toEqual([{ code: 'hours-above-max', max: 12 }]);
  });
});

describe('parseDateRange', () => {
  it('reads a range with a dash or one day, and refuses a non-date', () => {
    expect(parseDateRange('01.02.2027 - 05.02.2027', parseRussianDate)).toEqual({ startsOn: '2027-02-01', endsOn: '2027-02-05' });
    expect(parseDateRange('01.02.2027–05.02.2027', parseRussianDate)).toEqual({ startsOn: '2027-02-01', endsOn: '2027-02-05' });
    expect(parseDateRange('3.3.2027', parseRussianDate)).toEqual({ startsOn: '2027-03-03', endsOn: '2027-03-03' });
    expect(parseDateRange('31.02.2027 - 05.03.2027', parseRussianDate)).toBeNull();
    expect(parseDateRange('завтра', parseRussianDate)).toBeNull();
  });
});
