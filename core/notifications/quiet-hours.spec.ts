import { isQuiet, nextAllowedInstant } from './quiet-hours';

const night = { start: 22 * 60, end: 8 * 60, timeZone: 'Europe/Moscow' };

describe('quiet hours', () => {
  it('holds a notice due at 23:30 Moscow time until 08:00 the next morning', () => {
    const due = new Date('2026-11-25T20:30:00Z'); // 23:30 MSK
    expect(isQuiet(due, night)).toBe(true);
    expect(nextAllowedInstant(due, night).toISOString()).toBe('2026-11-26T05:00:00.000Z'); // 08:00 MSK
  });

  it('lets a notice due at noon go at once', () => {
    const noon = new Date('2026-11-25T09:00:00Z');
    expect(isQuiet(noon, night)).toBe(false);
    expect(nextAllowedInstant(noon, night)).toBe(noon);
  });

  it('respects the person’s own time zone and a daytime window for night-shift workers', () => {
    const daySleeper = { start: 9 * 60, end: 17 * 60, timeZone: 'Asia/Vladivostok' };
    const tenAmVladivostok = new Date('2026-11-25T00:00:00Z'); // 10:00 +10
    expect(isQuiet(tenAmVladivostok, daySleeper)).toBe(true);
    expect(nextAllowedInstant(tenAmVladivostok, daySleeper).toISOString()).toBe('2026-11-25T07:00:00.000Z');
  });

  it('treats equal start and end as no quiet hours at all', () => {
    expect(isQuiet(new Date('2026-11-25T20:30:00Z'), { ...night, end: night.start })).toBe(false);
  });
});
