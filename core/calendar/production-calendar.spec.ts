import { addDays } from '../shared/dates';
import { loadShippedCalendar } from './calendar-loader';
import { ProductionCalendar } from './production-calendar';
import { statutoryCalendarYear } from './statutory-calendar';

describe('ProductionCalendar (shipped 2023–2026 data)', () => {
  const calendar = loadShippedCalendar();

  it('covers 2023–2026', () => {
    expect(calendar.yearsCovered()).toEqual([2023, 2024, 2025, 2026]);
    expect(calendar.hasYear(2026)).toBe(true);
    expect(calendar.hasYear(2027)).toBe(false);
  });

  it('counts 10 working days after Friday 2025-12-26 across the New Year holidays to 2026-01-21', () => {
    expect(calendar.addWorkingDays('2025-12-26', 10)).toBe('2026-01-21');
    const counted = [
      '2025-12-29',
      '2025-12-30',
      '2026-01-12',
      '2026-01-13',
      '2026-01-14',
      '2026-01-15',
      '2026-01-16',
      '2026-01-19',
      '2026-01-20',
      '2026-01-21',
    ];
    counted.forEach((date, i) => expect(calendar.addWorkingDays('2025-12-26', i + 1)).toBe(date));
  });

  it('knows 31 December 2025 and 1–11 January 2026 are days off', () => {
    expect(calendar.isWorkingDay('2025-12-31')).toBe(false);
    for (let d = 1; d <= 11; d++) expect(calendar.isWorkingDay(`2026-01-${String(d).padStart(2, '0')}`)).toBe(false);
    expect(calendar.isWorkingDay('2026-01-12')).toBe(true);
  });

  it('treats Friday 2026-01-09 (a transferred day off) as a day off', () => {
    expect(calendar.isWorkingDay('2026-01-09')).toBe(false);
  });

  it('treats working Saturdays (t="3") as working days', () => {
    expect(calendar.isWorkingDay('2024-04-27')).toBe(true);
    expect(calendar.isWorkingDay('2024-12-28')).toBe(true);
    expect(calendar.isWorkingDay('2024-04-20')).toBe(false); // an ordinary Saturday
    expect(calendar.nextWorkingDay('2024-04-26')).toBe('2024-04-27');
  });

  it('knows the May 2026 holidays', () => {
    const may = (d: number) => `2026-05-${String(d).padStart(2, '0')}`;
    const off = [1, 2, 3, 9, 10, 11];
    for (const d of [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12])
      expect([may(d), calendar.isWorkingDay(may(d))]).toEqual([may(d), !off.includes(d)]);
    expect(calendar.isShortened('2026-05-08')).toBe(true);
    expect(calendar.addWorkingDays('2026-04-30', 1)).toBe('2026-05-04');
    expect(calendar.addWorkingDays('2026-05-08', 1)).toBe('2026-05-12');
    expect(calendar.workingDaysBetween('2026-04-30', '2026-05-12')).toBe(6); // 4–8 and 12 May
  });

  it('knows the transferred days off of May and June 2025', () => {
    expect(calendar.isWorkingDay('2025-05-02')).toBe(false);
    expect(calendar.isWorkingDay('2025-05-08')).toBe(false);
    expect(calendar.isWorkingDay('2025-06-13')).toBe(false);
    expect(calendar.isWorkingDay('2025-11-01')).toBe(true); // t="2" on a Saturday: a shortened working day
  });

  it('counts working days in (from, to] and is antisymmetric', () => {
    expect(calendar.workingDaysBetween('2025-12-26', '2026-01-21')).toBe(10);
    expect(calendar.workingDaysBetween('2026-01-21', '2025-12-26')).toBe(-10);
    expect(calendar.workingDaysBetween('2026-01-12', '2026-01-12')).toBe(0);
    expect(calendar.workingDaysBetween('2026-01-11', '2026-01-12')).toBe(1);
    expect(calendar.addWorkingDays('2026-01-12', 0)).toBe('2026-01-12');
    expect(() => calendar.addWorkingDays('2026-01-12', -1)).toThrow(RangeError);
  });

  it('addWorkingDays(d, workingDaysBetween(d, x)) lands on the last working day ≤ x', () => {
    const start = '2023-02-01';
    for (let i = 0; i < 400; i++) {
      // A deterministic spread of pairs over 2023–2026 (no randomness: a failure must reproduce).
      const d = addDays(start, (i * 37) % 1250);
      const x = addDays(d, 1 + ((i * 13) % 60));
      const n = calendar.workingDaysBetween(d, x);
      let lastWorking = x;
      while (!calendar.isWorkingDay(lastWorking)) lastWorking = addDays(lastWorking, -1);
      if (n === 0) expect(lastWorking <= d).toBe(true);
      else expect([d, x, calendar.addWorkingDays(d, n)]).toEqual([d, x, lastWorking]);
    }
    expect(calendar.missingYears.size).toBe(0);
  });

  it('falls back to ТК РФ ст. 112 for 2027 (no file), reports the year once, and says which periods are provisional', () => {
    const reported: number[] = [];
    const shipped = loadShippedCalendar({ onMissingYear: (year) => reported.push(year) });
    expect(shipped.isWorkingDay('2026-12-31')).toBe(false);
    expect(shipped.missingYears.size).toBe(0);
    for (let d = 1; d <= 8; d++) expect(shipped.isWorkingDay(`2027-01-0${d}`)).toBe(false); // Friday 1 to Friday 8 January
    expect(shipped.isWorkingDay('2027-01-11')).toBe(true);
    // Before the fallback knew the holidays, three working days after 30 December 2026 ended on 5 January.
    expect(shipped.addWorkingDays('2026-12-30', 3)).toBe('2027-01-13');
    expect(reported).toEqual([2027]);
    expect([...shipped.missingYears]).toEqual([2027]);

    expect(shipped.fallbackYearIn('2026-12-30', '2027-01-13')).toBe(2027);
    expect(shipped.fallbackYearIn('2026-12-21', '2026-12-30')).toBeNull();
    expect(shipped.fallbackYearIn('2026-12-31', '2027-01-01')).toBe(2027); // 1 January is counted
    expect(shipped.fallbackYearIn('2026-12-31', '2026-12-31')).toBeNull(); // n = 0 counts nothing
    expect(shipped.fallbackYearIn('2026-12-30', '2029-01-15')).toBe(2027); // the first missing year
    expect(shipped.withYears([statutoryCalendarYear(2027)]).fallbackYearIn('2026-12-30', '2028-01-15')).toBe(2028);
  });

  it('an empty calendar is the law alone: weekends and the holidays of ст. 112', () => {
    const plain = new ProductionCalendar([]);
    expect(plain.workingDaysBetween('2026-01-04', '2026-01-11')).toBe(1); // 5–8 January are holidays, 9 January is a Friday
    expect(plain.workingDaysBetween('2026-03-01', '2026-03-08')).toBe(5);
    expect(plain.isWorkingDay('2026-03-09')).toBe(false); // 8 March 2026 was a Sunday
    expect([...plain.missingYears]).toEqual([2026]);
  });
});
