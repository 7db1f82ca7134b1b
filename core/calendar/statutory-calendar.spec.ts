import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { addDays, endOfYear, startOfYear } from '../shared/dates';
import { findProjectRoot, loadShippedCalendar, SHIPPED_CALENDAR_DIR } from './calendar-loader';
import { ProductionCalendar } from './production-calendar';
import { STATUTORY_HOLIDAYS, statutoryCalendarYear } from './statutory-calendar';

const iso = (year: number, month: number, day: number) => `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;

describe('the ТК РФ ст. 112 fallback for a year without a production calendar', () => {
  const fallback2027 = new ProductionCalendar([statutoryCalendarYear(2027)]);
  const off = (date: string) => !fallback2027.isWorkingDay(date);

  it('2027: 1–8 January off (Friday to Friday), the January weekend days not moved anywhere', () => {
    for (let d = 1; d <= 8; d++) expect([iso(2027, 1, d), off(iso(2027, 1, d))]).toEqual([iso(2027, 1, d), true]);
    expect(off('2027-01-11')).toBe(false); // only the decree places 2 and 3 January, and it is unknown yet
    expect(off('2027-12-31')).toBe(false);
    expect(off('2027-05-04')).toBe(false);
  });

  it('2027: 23 February (Tuesday), 8 March (Monday) and 4 November (Thursday) off, nothing moved for them', () => {
    expect([off('2027-02-22'), off('2027-02-23'), off('2027-02-24')]).toEqual([false, true, false]);
    expect([off('2027-03-08'), off('2027-03-09')]).toEqual([true, false]);
    expect([off('2027-11-04'), off('2027-11-05')]).toEqual([true, false]);
  });

  it('2027: 1 May (Saturday) → Monday 3 May, 9 May (Sunday) → Monday 10 May, 12 June (Saturday) → Monday 14 June', () => {
    expect(['2027-05-01', '2027-05-02', '2027-05-03', '2027-05-04'].map(off)).toEqual([true, true, true, false]);
    expect(['2027-05-09', '2027-05-10', '2027-05-11'].map(off)).toEqual([true, true, false]);
    expect(['2027-06-11', '2027-06-12', '2027-06-13', '2027-06-14', '2027-06-15'].map(off)).toEqual([false, true, true, true, false]);
  });

  it('2027 as a whole: 249 working days; 116 days off (104 weekend days, 9 holidays on weekdays, 3 moved days off)', () => {
    const days = fallback2027.workingDaysBetween('2026-12-31', '2027-12-31');
    expect(days).toBe(249);
    expect(statutoryCalendarYear(2027).daysOff.size).toBe(14 + 3);
  });

  it('moves a day off past weekends and past another day already off', () => {
    // 2028: 12 June is a Monday, 4 November a Saturday → Monday 6 November; 2033: 1 May is a Sunday → Monday 2 May.
    expect([...statutoryCalendarYear(2028).daysOff].filter((d) => d >= '2028-11-01')).toEqual(['2028-11-04', '2028-11-06']);
    expect([...statutoryCalendarYear(2033).daysOff].filter((d) => d.startsWith('2033-05'))).toEqual([
      '2033-05-01',
      '2033-05-02',
      '2033-05-09',
    ]);
    // 2021: 9 May (Sunday) → Monday 10 May, as the law (and that year's calendar) had it.
    expect(statutoryCalendarYear(2021).daysOff.has('2021-05-10')).toBe(true);
  });

  describe('against the shipped years, wherever the decree did nothing special', () => {
    const shipped = loadShippedCalendar();
    const dir = join(findProjectRoot(), SHIPPED_CALENDAR_DIR);

    /**
     * The days a year's decree placed: working weekends (t="3", or t="2" on a weekend: a shortened working
     * Saturday) and transferred days off (an f="MM.DD" attribute).
     */
    function decreeDays(year: number): { placed: Set<string>; movedFrom: Map<string, string> } {
      const xml = readFileSync(join(dir, `${year}.xml`), 'utf8');
      const placed = new Set<string>();
      const movedFrom = new Map<string, string>();
      for (const [tag] of xml.matchAll(/<day\b[^>]*>/g)) {
        const d = /d="(\d\d)\.(\d\d)"/.exec(tag)!;
        const date = iso(year, Number(d[1]), Number(d[2]));
        const from = /f="(\d\d)\.(\d\d)"/.exec(tag);
        const weekend = [0, 6].includes(new Date(`${date}T00:00:00Z`).getUTCDay());
        if (/t="3"/.test(tag) || (/t="2"/.test(tag) && weekend)) placed.add(date);
        if (from) {
          placed.add(date);
          movedFrom.set(iso(year, Number(from[1]), Number(from[2])), date);
        }
      }
      return { placed, movedFrom };
    }

    it.each(shipped.yearsCovered())('%i: every holiday of ст. 112 ч. 1 is a day off', (year) => {
      const working = STATUTORY_HOLIDAYS.map(([m, d]) => iso(year, m, d)).filter((date) => shipped.isWorkingDay(date));
      expect(working).toEqual([]);
    });

    it('moves the same weekend holidays the decrees moved, to the same day, except where a decree relocated one', () => {
      const agreed: string[] = [];
      const relocated: string[] = [];
      for (const year of shipped.yearsCovered()) {
        const { movedFrom } = decreeDays(year);
        const holidays = new Set(STATUTORY_HOLIDAYS.map(([m, d]) => iso(year, m, d)));
        const moved = [...statutoryCalendarYear(year).daysOff].filter((date) => !holidays.has(date));
        for (const day of moved) {
          // The holiday a moved day comes from: the last weekend holiday before it.
          let holiday = addDays(day, -1);
          while (!holidays.has(holiday)) holiday = addDays(holiday, -1);
          const decreed = movedFrom.get(holiday);
          expect([holiday, decreed === undefined]).toEqual([holiday, false]); // the law moves it; a decree may only say where to
          (decreed === day ? agreed : relocated).push(`${holiday}→${decreed}`);
        }
      }
      expect(agreed).toEqual(['2023-11-04→2023-11-06', '2026-03-08→2026-03-09', '2026-05-09→2026-05-11']);
      // Постановление Правительства РФ от 04.10.2024 № 1335 placed them in May and June instead of 24 February and 10 March.
      expect(relocated).toEqual(['2025-02-23→2025-05-08', '2025-03-08→2025-06-13']);
    });

    it.each(shipped.yearsCovered())(
      '%i: every day the decree did not place is a working day or a day off exactly as the law alone says',
      (year) => {
        const { placed, movedFrom } = decreeDays(year);
        const law = new ProductionCalendar([statutoryCalendarYear(year)]);
        // The law's own move of a holiday the decree relocated is the decree's doing too.
        const relocatedByLaw = [...statutoryCalendarYear(year).daysOff].filter((d) => shipped.isWorkingDay(d));
        const differ: string[] = [];
        for (let day = startOfYear(year); day <= endOfYear(year); day = addDays(day, 1)) {
          if (placed.has(day) || relocatedByLaw.includes(day)) continue;
          if (law.isWorkingDay(day) !== shipped.isWorkingDay(day)) differ.push(day);
        }
        expect(differ).toEqual([]);
        expect(relocatedByLaw.every((d) => [...movedFrom.values()].every((to) => to !== d))).toBe(true);
      },
    );
  });
});
