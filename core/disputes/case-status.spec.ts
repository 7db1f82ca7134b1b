import { canAppeal, caseTransition, CASE_STATUSES, isFinalCaseStatus } from './case-status';

const LEGAL = new Set([
  'SUBMITTED>UNDER_REVIEW',
  'SUBMITTED>APPROVED',
  'SUBMITTED>REJECTED',
  'UNDER_REVIEW>APPROVED',
  'UNDER_REVIEW>REJECTED',
]);

describe('dispute and appeal status machine', () => {
  const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is legal exactly when listed', (from, to) => {
    const expected = LEGAL.has(`${from}>${to}`) ? { ok: true } : { ok: false, reason: 'illegal-transition' };
    expect(caseTransition(from, to)).toEqual(expected);
  });

  it('checks all 16 pairs and allows exactly 5', () => {
    expect(pairs).toHaveLength(16);
    expect(pairs.filter(([f, t]) => caseTransition(f, t).ok)).toHaveLength(LEGAL.size);
  });

  it('treats decisions as final', () => {
    expect(CASE_STATUSES.filter(isFinalCaseStatus)).toEqual(['APPROVED', 'REJECTED']);
  });

  it.each(CASE_STATUSES)('a dispute in %s may be appealed only when rejected, and only once', (status) => {
    expect(canAppeal({ status }, null).ok).toBe(status === 'REJECTED');
    expect(canAppeal({ status }, { id: 'a' }).ok).toBe(false);
  });
});
