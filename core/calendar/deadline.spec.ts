import { loadShippedCalendar } from './calendar-loader';
import { deadlineAfter, endOfMoscowDay, moscowDateOf, workingDayDeadline, workingDaysLeft } from './deadline';

describe('deadlines in working days (Europe/Moscow)', () => {
  const calendar = loadShippedCalendar();

  it('a dispute filed on Friday 2025-12-26 at any hour is due by the end of 2026-01-21 Moscow', () => {
    const due = new Date('2026-01-21T20:59:59.999Z');
    for (const filed of ['2025-12-26T00:00:00+03:00', '2025-12-26T09:15:00+03:00', '2025-12-26T23:59:59+03:00']) {
      expect(deadlineAfter(calendar, new Date(filed), 10)).toEqual(due);
    }
  });

  it('an event at 23:30 Moscow on a Friday counts from that Friday', () => {
    const friday = new Date('2024-12-27T23:30:00+03:00'); // 20:30 UTC
    expect(moscowDateOf(friday)).toBe('2024-12-27');
    // Saturday 28 December 2024 was a working day (t="3"): the first working day after Friday.
    expect(deadlineAfter(calendar, friday, 1)).toEqual(endOfMoscowDay('2024-12-28'));
  });

  it('an event at 00:30 Moscow on Saturday (Friday 21:30 UTC) counts from Saturday', () => {
    const saturday = new Date('2024-12-27T21:30:00Z');
    expect(moscowDateOf(saturday)).toBe('2024-12-28');
    // 30 and 31 December 2024 and 1–8 January 2025 were days off.
    expect(deadlineAfter(calendar, saturday, 1)).toEqual(endOfMoscowDay('2025-01-09'));
    // On an ordinary weekend Friday and Saturday events lead to the same Monday.
    expect(deadlineAfter(calendar, new Date('2026-03-13T21:30:00Z'), 1)).toEqual(endOfMoscowDay('2026-03-16'));
    expect(deadlineAfter(calendar, new Date('2026-03-13T20:30:00Z'), 1)).toEqual(endOfMoscowDay('2026-03-16'));
  });

  it('ends at 23:59:59.999 Moscow', () => {
    expect(endOfMoscowDay('2026-01-21').toISOString()).toBe('2026-01-21T20:59:59.999Z');
  });

  it('counts working days left, today included, 0 once past', () => {
    const due = deadlineAfter(calendar, new Date('2025-12-26T12:00:00+03:00'), 10);
    expect(workingDaysLeft(calendar, new Date('2025-12-26T12:00:00+03:00'), due)).toBe(11); // the filing day itself is still a working day
    expect(workingDaysLeft(calendar, new Date('2025-12-29T08:00:00+03:00'), due)).toBe(10);
    expect(workingDaysLeft(calendar, new Date('2026-01-05T08:00:00+03:00'), due)).toBe(8);
    expect(workingDaysLeft(calendar, new Date('2026-01-21T23:59:00+03:00'), due)).toBe(1);
    expect(workingDaysLeft(calendar, new Date('2026-01-22T00:00:00+03:00'), due)).toBe(0);
  });

  it('a dispute filed on Monday 2026-12-21 is due on 13.01.2027 by ст. 112, marked provisional until 2027 is loaded', () => {
    // 22–25 and 28–30 December 2026; 31 December 2026 and 1–8 January 2027 off; 11, 12 and 13 January.
    expect(workingDayDeadline(calendar, new Date('2026-12-21T10:00:00+03:00'), 10)).toEqual({
      dueAt: endOfMoscowDay('2027-01-13'),
      fallbackYear: 2027,
    });
    // Counted entirely inside a shipped year: not provisional, even when it ends on 30 December.
    expect(workingDayDeadline(calendar, new Date('2026-12-21T10:00:00+03:00'), 7)).toEqual({
      dueAt: endOfMoscowDay('2026-12-30'),
      fallbackYear: null,
    });
    // An event late on 31 December Moscow time counts from 1 January: the period is all in 2027.
    expect(workingDayDeadline(calendar, new Date('2026-12-31T23:30:00+03:00'), 1).fallbackYear).toBe(2027);
  });
});
