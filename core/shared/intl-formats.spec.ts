import { dateTimeFormat, numberFormat, formatsPerTimeZone } from './intl-formats';

describe('cached Intl formatters', () => {
  it('builds one formatter per locale and options, and formats as a fresh one does', () => {
    const a = numberFormat('ru-RU', { maximumFractionDigits: 2 });
    expect(numberFormat('ru-RU', { maximumFractionDigits: 2 })).toBe(a);
    expect(numberFormat('en-GB', { maximumFractionDigits: 2 })).not.toBe(a);
    expect(numberFormat('ru-RU', { maximumFractionDigits: 0 })).not.toBe(a);
    expect(a.format(1234.567)).toBe(new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 }).format(1234.567));

    const moscow = dateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' });
    expect(dateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' })).toBe(moscow);
    expect(dateTimeFormat('en-CA', { timeZone: 'Asia/Vladivostok', year: 'numeric', month: '2-digit', day: '2-digit' })).not.toBe(moscow);
    expect(moscow.format(new Date('2026-12-31T22:30:00Z'))).toBe('2027-01-01');
  });

  it('refuses an unknown time zone as Intl does, every time', () => {
    expect(() => dateTimeFormat('en-GB', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
    expect(() => dateTimeFormat('en-GB', { timeZone: 'Mars/Olympus' })).toThrow(RangeError);
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
