import { moscowDateOf } from '../calendar/deadline';
import type { ProductionCalendar } from '../calendar/production-calendar';

/** Opening hours of the support desk in Moscow time, minutes after midnight (e.g. 09:00-18:00 → 540..1080). */
export interface SupportHours {
  start: number;
  end: number;
}

export type Availability = { open: true } | { open: false; opensAt: Date };

const MOSCOW_OFFSET_MS = 3 * 60 * 60 * 1000;

/** Parses "HH:MM-HH:MM"; null when malformed or when the end is not after the start. */
export function parseSupportHours(text: string): SupportHours | null {
  const match = /^(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})$/.exec(text.trim());
  if (!match) return null;
  const [h1, m1, h2, m2] = match.slice(1).map(Number);
  if (h1 > 23 || h2 > 24 || m1 > 59 || m2 > 59) return null;
  const start = h1 * 60 + m1;
  const end = h2 * 60 + m2;
  return end > start && end <= 24 * 60 ? { start, end } : null;
}

function instantOf(date: string, minutes: number): Date {
  return new Date(new Date(`${date}T00:00:00+03:00`).getTime() + minutes * 60_000);
}

/**
 * Whether an agent is expected now (a working day of the production calendar, within the hours), and
 * if not, when the desk opens next: today's opening before hours, else the next working day's.
 */
export function supportAvailability(calendar: ProductionCalendar, hours: SupportHours, now: Date): Availability {
  const today = moscowDateOf(now);
  const minutes = Math.floor(((now.getTime() + MOSCOW_OFFSET_MS) % 86_400_000) / 60_000);
  if (calendar.isWorkingDay(today)) {
    if (minutes >= hours.start && minutes < hours.end) return { open: true };
    if (minutes < hours.start) return { open: false, opensAt: instantOf(today, hours.start) };
  }
  return { open: false, opensAt: instantOf(calendar.nextWorkingDay(today), hours.start) };
}
