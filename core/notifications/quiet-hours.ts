import { formatsPerTimeZone } from '../shared/intl-formats';

/**
 * Quiet hours (R-SETTINGS, shift workers): minutes after local midnight, [start, end), wrapping past
 * midnight when start > end (22:00–08:00). A notice due inside them waits for their end.
 */
export interface QuietHours {
  start: number;
  end: number;
  timeZone: string;
}

const clockFormat = formatsPerTimeZone(
  (timeZone) => new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }),
);

function minutesOfDay(instant: Date, timeZone: string): number {
  const parts = clockFormat(timeZone).formatToParts(instant);
  const hour = Number(parts.find((p) => p.type === 'hour')?.value);
  const minute = Number(parts.find((p) => p.type === 'minute')?.value);
  return hour * 60 + minute;
}

export function isQuiet(instant: Date, quiet: QuietHours): boolean {
  if (quiet.start === quiet.end) return false;
  const m = minutesOfDay(instant, quiet.timeZone);
  return quiet.start < quiet.end ? m >= quiet.start && m < quiet.end : m >= quiet.start || m < quiet.end;
}

/** The first instant at or after `instant` outside quiet hours (to the minute). */
export function nextAllowedInstant(instant: Date, quiet: QuietHours): Date {
  if (!isQuiet(instant, quiet)) return instant;
  const m = minutesOfDay(instant, quiet.timeZone);
  const wait = (quiet.end - m + 24 * 60) % (24 * 60);
  const start = new Date(instant.getTime() + wait * 60_000);
  start.setUTCSeconds(0, 0);
  return start;
}
