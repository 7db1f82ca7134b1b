import { loadShippedCalendar } from '../calendar/calendar-loader';
import { parseSupportHours, supportAvailability } from './working-hours';

describe('support working hours (Moscow, production calendar)', () => {
  const calendar = loadShippedCalendar();
  const hours = parseSupportHours('09:00-18:00')!;
  const at = (iso: string) => supportAvailability(calendar, hours, new Date(iso));

  it('parses HH:MM-HH:MM and refuses nonsense', () => {
    expect(hours).toEqual({ start: 540, end: 1080 });
    expect(parseSupportHours('18:00-09:00')).toBeNull();
    expect(parseSupportHours('9-18')).toBeNull();
    expect(parseSupportHours('25:00-26:00')).toBeNull();
  });

  it('is open within the hours of a working day', () => {
    expect(at('2026-01-12T12:00:00+03:00')).toEqual({ open: true });
    expect(at('2026-01-12T17:59:00+03:00')).toEqual({ open: true });
  });

  it('before opening, opens the same day; after closing, the next working day', () => {
    expect(at('2026-01-12T08:00:00+03:00')).toEqual({ open: false, opensAt: new Date('2026-01-12T09:00:00+03:00') });
    expect(at('2026-01-12T18:00:00+03:00')).toEqual({ open: false, opensAt: new Date('2026-01-13T09:00:00+03:00') });
  });

  it('on the New Year holidays, the first working day after them (12.01.2026)', () => {
    expect(at('2026-01-05T12:00:00+03:00')).toEqual({ open: false, opensAt: new Date('2026-01-12T09:00:00+03:00') });
    expect(at('2026-01-10T08:00:00+03:00')).toEqual({ open: false, opensAt: new Date('2026-01-12T09:00:00+03:00') });
  });

  it('late on Friday in UTC is already Saturday in Moscow', () => {
    expect(at('2026-01-16T22:30:00Z')).toEqual({ open: false, opensAt: new Date('2026-01-19T09:00:00+03:00') });
  });
});
