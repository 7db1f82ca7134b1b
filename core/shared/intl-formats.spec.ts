import { formatsPerTimeZone, readableNumber } from './intl-formats';

describe('readableNumber', () => {
  it('formats as a fresh Intl formatter of the language does', () => {
    expect(readableNumber(1234.567, 'ru')).toBe(new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 }).format(1234.567));
    expect(readableNumber(1234.567, 'en')).toBe(new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }).format(1234.567));
  });
});

describe('formatsPerTimeZone', () => {
  it('builds one formatter per zone and reuses it', () => {
    const built: string[] = [];
    const formatFor = formatsPerTimeZone((timeZone) => {
      built.push(timeZone);
      return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' });
    });
    const instant = new Date('2026-11-25T22:30:00Z');
    expect(formatFor('Europe/Moscow').format(instant)).toBe('2026-11-26');
    expect(formatFor('Europe/Kaliningrad').format(instant)).toBe('2026-11-26');
    expect(formatFor('Europe/Moscow')).toBe(formatFor('Europe/Moscow'));
    expect(formatFor('America/New_York').format(instant)).toBe('2026-11-25');
    expect(built).toEqual(['Europe/Moscow', 'Europe/Kaliningrad', 'America/New_York']);
  });

  it('throws for an unknown zone every time rather than keeping a broken formatter', () => {
    const formatFor = formatsPerTimeZone((timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone }));
    expect(() => formatFor('Mars/Olympus')).toThrow(RangeError);
    expect(() => formatFor('Mars/Olympus')).toThrow(RangeError);
  });
});
