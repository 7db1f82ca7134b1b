import { loadShippedCalendar } from '../calendar/calendar-loader';
import { parseSupportHours } from './working-hours';
import { firstResponseDeadline } from './escalation';
import { fillCannedReply, firstNameOf } from './canned-replies';

describe('first response limit: 1 working day of support hours', () => {
  const calendar = loadShippedCalendar();
  const hours = parseSupportHours('09:00-18:00')!;
  const at = (iso: string) => firstResponseDeadline(calendar, hours, new Date(iso));

  it('within the hours: the same time the next working day', () => {
    expect(at('2026-01-13T12:00:00+03:00')).toEqual(new Date('2026-01-14T12:00:00+03:00'));
  });
  it('after hours on Friday: the end of Monday', () => {
    expect(at('2026-01-16T20:00:00+03:00')).toEqual(new Date('2026-01-19T18:00:00+03:00'));
  });
  it('on the New Year holidays: the end of 12.01.2026', () => {
    expect(at('2026-01-05T12:00:00+03:00')).toEqual(new Date('2026-01-12T18:00:00+03:00'));
  });
  it('on 31.12.2026, with no 2027 calendar: the end of 11.01.2027 by ст. 112 (not 1 January), a provisional limit', () => {
    const deadline = at('2026-12-31T12:00:00+03:00');
    expect(deadline).toEqual(new Date('2027-01-11T18:00:00+03:00'));
    expect(calendar.fallbackYearIn('2026-12-31', '2027-01-11')).toBe(2027);
  });
});

describe('canned reply placeholders', () => {
  it('takes the first name from ФИО and fills ticket and agent', () => {
    expect(firstNameOf('Иванова Мария Петровна')).toBe('Мария');
    expect(
      fillCannedReply('{{name}}, №{{ticket}} — {{agent}} {{other}}', {
        fullName: 'Иванова Мария Петровна',
        ticketNumber: 3,
        agentName: 'Оператор',
      }),
    ).toBe('Мария, №3 — Оператор {{other}}');
  });
});
