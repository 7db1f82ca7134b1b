import { APPLICATION_STATUSES, isFinalApplicationStatus, transition } from './application-status';

const LEGAL = new Set([
  'PROCESSING>UNDER_REVIEW',
  'PROCESSING>ACTION_REQUIRED',
  'PROCESSING>REJECTED',
  'UNDER_REVIEW>APPROVED',
  'UNDER_REVIEW>REJECTED',
  'UNDER_REVIEW>ACTION_REQUIRED',
  'ACTION_REQUIRED>UNDER_REVIEW',
  'ACTION_REQUIRED>REJECTED',
]);

describe('application status machine', () => {
  const pairs = APPLICATION_STATUSES.flatMap((from) => APPLICATION_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s is legal exactly when listed', (from, to) => {
    const expected = LEGAL.has(`${from}>${to}`) ? { ok: true } : { ok: false, reason: 'illegal-transition' };
    expect(transition(from, to)).toEqual(expected);
  });

  it('checks all 25 pairs and allows exactly 8', () => {
    expect(pairs).toHaveLength(25);
    expect(pairs.filter(([f, t]) => transition(f, t).ok)).toHaveLength(LEGAL.size);
  });

  it('treats APPROVED and REJECTED as final', () => {
    expect(APPLICATION_STATUSES.filter(isFinalApplicationStatus)).toEqual(['APPROVED', 'REJECTED']);
  });
});
