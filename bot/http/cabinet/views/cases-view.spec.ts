import { loadShippedCalendar } from '../../../../core/calendar/calendar-loader';
import { deadlineAfter, endOfMoscowDay } from '../../../../core/calendar/deadline';
import { deadlineOf } from './cases-view';

describe("the cabinet's deadlines", () => {
  const calendar = loadShippedCalendar();

  it('are final when every year they span has its production calendar (2023–2026 are shipped)', () => {
    const filed = new Date('2025-12-26T12:00:00+03:00');
    const due = deadlineAfter(calendar, filed, 10);
    expect(deadlineOf(calendar, new Date('2026-01-12T10:00:00+03:00'), due, null)).toEqual({
      at: endOfMoscowDay('2026-01-21').toISOString(),
      // 12–16 and 19–21 January, today counted.
      workingDaysLeft: 8,
      provisional: false,
    });
  });

  it('are provisional when core counted them over a year whose calendar is not loaded', () => {
    const filed = new Date('2026-12-25T12:00:00+03:00');
    const due = deadlineAfter(calendar, filed, 10);
    expect(deadlineOf(calendar, filed, due, 2027).provisional).toBe(true);
  });

  it('count no working days once passed', () => {
    const filed = new Date('2025-03-03T12:00:00+03:00');
    const due = deadlineAfter(calendar, filed, 10);
    expect(deadlineOf(calendar, new Date('2025-06-01T12:00:00+03:00'), due, null).workingDaysLeft).toBe(0);
  });
});
