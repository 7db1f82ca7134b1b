import { moscowDateOf } from '../calendar/deadline';
import type { ProductionCalendar } from '../calendar/production-calendar';
import { addDays, type IsoDate } from '../shared/dates';

/** Days before an identity confirmation expires when the person is told to renew it. */
export const IDENTITY_EXPIRY_MILESTONES = [30, 7] as const;
export type IdentityMilestone = (typeof IDENTITY_EXPIRY_MILESTONES)[number];

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The Moscow day a "1 working day before" notice goes out for a deadline that ends on `deadline`'s
 * Moscow day: the last working day before it (a Friday for a Monday deadline).
 */
export function workingDayBefore(calendar: ProductionCalendar, deadline: Date): IsoDate {
  const last = moscowDateOf(deadline);
  let day = last;
  // addWorkingDays only counts forward: step back one calendar day at a time to the previous working day.
  do day = addDays(day, -1);
  while (!calendar.isWorkingDay(day));
  return day;
}

/** True from the notice day until the deadline passes: a job that missed a day still sends it. */
export function isNoticeDue(calendar: ProductionCalendar, now: Date, deadline: Date): boolean {
  if (now.getTime() > deadline.getTime()) return false;
  return moscowDateOf(now) >= workingDayBefore(calendar, deadline);
}

/**
 * The identity milestone reached at `now`: the smallest milestone not yet passed, so a job that missed
 * the 30-day notice still sends the 7-day one, and never both on one day. Null outside the last 30 days.
 */
export function identityMilestone(now: Date, expiresAt: Date): IdentityMilestone | null {
  const left = expiresAt.getTime() - now.getTime();
  if (left <= 0) return null;
  const daysLeft = Math.ceil(left / DAY_MS);
  const reached = IDENTITY_EXPIRY_MILESTONES.filter((m) => daysLeft <= m);
  return reached.length === 0 ? null : reached[reached.length - 1];
}
