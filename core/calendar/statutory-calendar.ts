import { daysFromCivil, fromDayNumber, type IsoDate } from '../shared/dates';
import type { CalendarYearData } from './xmlcalendar';

/**
 * The non-working holidays of ТК РФ ст. 112 ч. 1 as [month, day]: 1–6 and 8 January (Новогодние
 * каникулы), 7 January (Рождество Христово), 23 February, 8 March, 1 May, 9 May, 12 June, 4 November.
 */
export const STATUTORY_HOLIDAYS: ReadonlyArray<readonly [month: number, day: number]> = [
  [1, 1],
  [1, 2],
  [1, 3],
  [1, 4],
  [1, 5],
  [1, 6],
  [1, 7],
  [1, 8],
  [2, 23],
  [3, 8],
  [5, 1],
  [5, 9],
  [6, 12],
  [11, 4],
];

const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday
const isWeekend = (day: number) => weekdayOf(day) === 0 || weekdayOf(day) === 6;

/**
 * What the law alone says of a year, before the government's yearly decree: the holidays of ст. 112 ч. 1
 * are days off, and a weekend day that falls on one of them moves to the next working day after the
 * holiday (ч. 2). The January holidays are the exception of ч. 2: their weekend days are placed only by
 * the decree (usually on 31 December or in May), which is unknown until it is published, so here they
 * are not moved at all. No working weekends and no shortened days: both come from the decree or ст. 95,
 * which nothing in this product counts on.
 *
 * A calendar built from this is a fallback for a year nobody has loaded yet: deadlines counted on it are
 * provisional (the decree may add days off or working Saturdays) and are recomputed when the year is loaded.
 */
export function statutoryCalendarYear(year: number): CalendarYearData {
  const holidays = STATUTORY_HOLIDAYS.map(([month, day]) => daysFromCivil(year, month, day));
  const off = new Set(holidays);
  for (const [month, day] of STATUTORY_HOLIDAYS) {
    if (month === 1) continue;
    const holiday = daysFromCivil(year, month, day);
    if (!isWeekend(holiday)) continue;
    // The day off moves to the first day after the holiday that is neither a weekend nor already off.
    let moved = holiday + 1;
    while (isWeekend(moved) || off.has(moved)) moved += 1;
    off.add(moved);
  }
  return {
    year,
    daysOff: new Set<IsoDate>([...off].sort((a, b) => a - b).map(fromDayNumber)),
    workingWeekends: new Set<IsoDate>(),
    shortened: new Set<IsoDate>(),
  };
}
