import { loadShippedCalendar } from '../calendar/calendar-loader';
import { deadlineAfter } from '../calendar/deadline';
import { identityMilestone, isNoticeDue, workingDayBefore } from './milestones';

const calendar = loadShippedCalendar();

describe('reminder milestones', () => {
  it('the notice day is the working day before the deadline, skipping days off', () => {
    // Rejected on Friday 2025-12-26: the window is 29, 30 December and 12–14 January; it ends on 14 January.
    const until = deadlineAfter(calendar, new Date('2025-12-26T12:00:00+03:00'), 5);
    expect(until.toISOString()).toBe('2026-01-14T20:59:59.999Z');
    expect(workingDayBefore(calendar, until)).toBe('2026-01-13');
    // A Monday deadline is noticed on the Friday before.
    expect(workingDayBefore(calendar, new Date('2026-11-30T23:59:59.999+03:00'))).toBe('2026-11-27');
  });

  it('a notice is due from its day until the deadline passes', () => {
    const until = new Date('2026-01-14T23:59:59.999+03:00');
    expect(isNoticeDue(calendar, new Date('2026-01-12T09:00:00+03:00'), until)).toBe(false);
    expect(isNoticeDue(calendar, new Date('2026-01-13T09:00:00+03:00'), until)).toBe(true);
    expect(isNoticeDue(calendar, new Date('2026-01-14T09:00:00+03:00'), until)).toBe(true);
    expect(isNoticeDue(calendar, new Date('2026-01-15T00:00:00+03:00'), until)).toBe(false);
  });

  it('identity milestones: 30 days, then 7, never both, nothing after expiry', () => {
    const expires = new Date('2027-03-02T10:00:00Z');
    const at = (days: number) => new Date(expires.getTime() - days * 86_400_000);
    expect(identityMilestone(at(31), expires)).toBeNull();
    expect(identityMilestone(at(30), expires)).toBe(30);
    expect(identityMilestone(at(8), expires)).toBe(30);
    expect(identityMilestone(at(7), expires)).toBe(7);
    expect(identityMilestone(at(1), expires)).toBe(7);
    expect(identityMilestone(at(0), expires)).toBeNull();
  });
});
