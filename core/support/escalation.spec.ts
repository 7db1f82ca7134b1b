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
