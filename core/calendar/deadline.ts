import { addDays, type IsoDate } from '../shared/dates';
import type { ProductionCalendar } from './production-calendar';

/**
 * Moscow has been UTC+3 all year round since 26 October 2014 (no daylight saving), so a fixed offset
 * gives the Moscow date and end of day without a time-zone database. Instants before 2014 are not
 * deadlines this product computes.
 */
const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/** The Moscow calendar date of an instant. */
export function moscowDateOf(instant: Date): IsoDate {
  return new Date(instant.getTime() + MOSCOW_OFFSET_MS).toISOString().slice(0, 10);
}

/** 23:59:59.999 Moscow time of a date: the last instant a period ending that day still allows. */
export function endOfMoscowDay(date: IsoDate): Date {
  return new Date(`${date}T23:59:59.999+03:00`);
}

/** A deadline counted in working days, and whether the production calendar of every day it counted was known. */
export interface WorkingDayDeadline {
  /** 23:59:59.999 Moscow of the last working day. */
  dueAt: Date;
  /**
   * The first year of the period that had no production calendar, so its days were counted by ТК РФ
   * ст. 112 alone: the date is provisional until that year is loaded. Null when every year was known.
   */
  fallbackYear: number | null;
}

/**
 * The end (23:59:59.999 Moscow) of the Nth working day after the event's Moscow date: the period starts
 * the day after the event (ГК РФ ст. 191) whatever the hour of the event that day.
 */
export function workingDayDeadline(calendar: ProductionCalendar, event: Date, workingDays: number): WorkingDayDeadline {
  if (Number.isNaN(event.getTime())) throw new RangeError('deadlineAfter: the event is not a valid instant');
  const from = moscowDateOf(event);
  const last = calendar.addWorkingDays(from, workingDays);
  return { dueAt: endOfMoscowDay(last), fallbackYear: calendar.fallbackYearIn(from, last) };
}

/** The instant of `workingDayDeadline`, for callers that do not keep whether it is provisional. */
export function deadlineAfter(calendar: ProductionCalendar, event: Date, workingDays: number): Date {
  return workingDayDeadline(calendar, event, workingDays).dueAt;
}

/**
 * Working days left until a deadline, counting today (Moscow) when it is a working day: 1 on the last
 * day, 0 once the deadline has passed. For a deadline from `deadlineAfter` (the end of a working day),
 * 0 means overdue.
 */
export function workingDaysLeft(calendar: ProductionCalendar, now: Date, deadline: Date): number {
  if (now.getTime() > deadline.getTime()) return 0;
  const today = moscowDateOf(now);
  return calendar.workingDaysBetween(addDays(today, -1), moscowDateOf(deadline));
}
