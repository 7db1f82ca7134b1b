import { daysFromCivil, fromDayNumber, type IsoDate, toDayNumber } from '../shared/dates';
import { statutoryCalendarYear } from './statutory-calendar';
import type { CalendarYearData } from './xmlcalendar';

export type { IsoDate };

export interface ProductionCalendarOptions {
  /** Called once per calendar (instance) and year the first time a date in a year without data is asked about. */
  onMissingYear?: (year: number) => void;
}

/** Days off and working days that differ from the plain week, by day number (days since 1970-01-01). */
type Exception = 'off' | 'work';

/** Refuses ranges longer than this (a century): a guard against a runaway loop on a wrong date. */
const MAX_SPAN_DAYS = 36_600;

/**
 * The Russian production calendar: which days are working days, and periods counted in working days
 * (ГК РФ ст. 191: a period starts the day after the event). A year without data falls back to what
 * ТК РФ ст. 112 says by itself (its holidays and the transfer of a weekend day that falls on one, the
 * January ones excepted: see statutoryCalendarYear) and is reported through `missingYears` and
 * `onMissingYear`; what is counted across such a year is provisional (`fallbackYearIn`).
 */
export class ProductionCalendar {
  private readonly data = new Map<number, CalendarYearData>();
  private readonly exceptions = new Map<number, Exception>();
  private readonly shortenedDays = new Set<number>();
  private readonly missing = new Set<number>();
  /** Days off of the ст. 112 fallback, per missing year, built the first time a day of that year is asked about. */
  private readonly fallbackDaysOff = new Map<number, ReadonlySet<number>>();

  constructor(
    years: Iterable<CalendarYearData>,
    private readonly options: ProductionCalendarOptions = {},
  ) {
    for (const year of years) this.data.set(year.year, year);
    for (const year of this.data.values()) {
      for (const date of year.daysOff) this.exceptions.set(toDayNumber(date), 'off');
      for (const date of year.workingWeekends) this.exceptions.set(toDayNumber(date), 'work');
      // A shortened day is worked even on a Saturday (1 November 2025 was one).
      for (const date of year.shortened) {
        this.exceptions.set(toDayNumber(date), 'work');
        this.shortenedDays.add(toDayNumber(date));
      }
    }
  }

  /** A calendar with these years added, replacing the same years of this one; same options. */
  withYears(years: Iterable<CalendarYearData>): ProductionCalendar {
    const merged = new Map(this.data);
    for (const year of years) merged.set(year.year, year);
    return new ProductionCalendar(merged.values(), this.options);
  }

  /** The data of each covered year, oldest first. */
  years(): CalendarYearData[] {
    return this.yearsCovered().map((y) => this.data.get(y)!);
  }

  yearsCovered(): number[] {
    return [...this.data.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.data.has(year);
  }

  /** Years asked about that have no data (the ст. 112 fallback was used for them). */
  get missingYears(): ReadonlySet<number> {
    return this.missing;
  }

  /**
   * The first year without data among the days of the period (from, to] (the days a period counted from
   * `from` looks at), or null when every one is covered: a date counted over it is provisional.
   */
  fallbackYearIn(from: IsoDate, to: IsoDate): number | null {
    if (to <= from) return null;
    const first = Number(fromDayNumber(toDayNumber(from) + 1).slice(0, 4));
    const last = Number(to.slice(0, 4));
    for (let year = first; year <= last; year++) if (!this.data.has(year)) return year;
    return null;
  }

  isWorkingDay(date: IsoDate): boolean {
    return this.isWorkingDayNumber(toDayNumber(date));
  }

  /** A working day shortened by one hour (the eve of a holiday); false for days off. */
  isShortened(date: IsoDate): boolean {
    return this.shortenedDays.has(toDayNumber(date));
  }

  /**
   * The Nth working day counted from the day after `date` (n = 1 is the first working day after it;
   * n = 0 is `date` itself).
   */
  addWorkingDays(date: IsoDate, n: number): IsoDate {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`addWorkingDays: n must be a whole number ≥ 0, got ${n}`);
    if (n > MAX_SPAN_DAYS) throw new RangeError(`addWorkingDays: n = ${n} is out of range`);
    let day = toDayNumber(date);
    let left = n;
    while (left > 0) {
      day += 1;
      if (this.isWorkingDayNumber(day)) left -= 1;
    }
    return fromDayNumber(day);
  }

  /** The first working day strictly after `date`. */
  nextWorkingDay(date: IsoDate): IsoDate {
    return this.addWorkingDays(date, 1);
  }

  /**
   * Working days in the half-open range (from, to]: `from` itself is not counted, `to` is, as a period
   * that starts the day after the event. Negative when `to` is before `from` (minus the working days in
   * (to, from]), so workingDaysBetween(a, b) = −workingDaysBetween(b, a).
   */
  workingDaysBetween(from: IsoDate, to: IsoDate): number {
    const start = toDayNumber(from);
    const end = toDayNumber(to);
    if (end < start) return -this.workingDaysBetween(to, from);
    if (end - start > MAX_SPAN_DAYS) throw new RangeError(`workingDaysBetween: ${from}..${to} spans more than a century`);
    let count = 0;
    for (let day = start + 1; day <= end; day++) if (this.isWorkingDayNumber(day)) count++;
    return count;
  }

  private isWorkingDayNumber(day: number): boolean {
    const exception = this.exceptions.get(day);
    if (exception) return exception === 'work';
    if (this.fallbackOf(day)?.has(day)) return false;
    const weekday = (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday; 0 = Sunday, 6 = Saturday
    return weekday !== 0 && weekday !== 6;
  }

  /**
   * The fallback days off of the day's year when that year has no data (noting the year the first time),
   * null for a covered year. Looked up only for plain days, and the last year seen is remembered, so
   * scanning a year does not convert every day back to a date.
   */
  private fallbackOf(day: number): ReadonlySet<number> | null {
    if (!this.yearRange || day < this.yearRange.start || day > this.yearRange.end) {
      const year = Number(fromDayNumber(day).slice(0, 4));
      this.yearRange = { start: daysFromCivil(year, 1, 1), end: daysFromCivil(year, 12, 31), fallback: this.fallbackYear(year) };
    }
    return this.yearRange.fallback;
  }

  private fallbackYear(year: number): ReadonlySet<number> | null {
    if (this.data.has(year)) return null;
    let daysOff = this.fallbackDaysOff.get(year);
    if (!daysOff) {
      daysOff = new Set([...statutoryCalendarYear(year).daysOff].map(toDayNumber));
      this.fallbackDaysOff.set(year, daysOff);
    }
    if (!this.missing.has(year)) {
      this.missing.add(year);
      this.options.onMissingYear?.(year);
    }
    return daysOff;
  }

  /** The last year seen and, when it has no data, its fallback days off. */
  private yearRange: { start: number; end: number; fallback: ReadonlySet<number> | null } | null = null;
}
