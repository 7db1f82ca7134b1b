/**
 * Calendar dates are ISO strings ('2026-11-25'): a date of a course or a deadline has no time zone.
 * Converting an instant to a date always names the zone (Europe/Moscow unless the person chose another).
 */
import { isIsoDate, type IsoDate } from './dates';
import { formatsPerTimeZone } from './intl-formats';

export type { IsoDate };

const isoDayFormat = formatsPerTimeZone(
  (timeZone) => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
);

export function localDateOf(instant: Date, timeZone: string): IsoDate {
  return isoDayFormat(timeZone).format(instant); // en-CA formats as YYYY-MM-DD
}

/** Parses the dd.mm.yyyy people type in Russia; null when it is not a real date. */
export function parseRussianDate(text: string): IsoDate | null {
  const m = /^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

export function formatRussianDate(date: IsoDate): string {
  const [y, m, d] = date.split('-');
  return `${d}.${m}.${y}`;
}

/** A @db.Date column comes back as midnight UTC of that date. */
export function isoDateOfDbDate(value: Date): IsoDate {
  return value.toISOString().slice(0, 10);
}

export function dbDateOf(date: IsoDate): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

/** Year, month, day, hour and minute as the clock in a zone shows them (24-hour), one formatter per zone. */
export const wallClockFormat = formatsPerTimeZone(
  (timeZone) =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    }),
);

/** The instant when the clock in `timeZone` shows `hour`:00 on `date` (offset taken at that moment). */
export function instantAtLocal(date: IsoDate, hour: number, timeZone: string): Date {
  const guess = new Date(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  const parts = Object.fromEntries(
    wallClockFormat(timeZone)
      .formatToParts(guess)
      .map((p) => [p.type, p.value]),
  );
  const shown = Date.UTC(Number(parts.year), Number(parts.month) - 1, Number(parts.day), Number(parts.hour), Number(parts.minute));
  return new Date(guess.getTime() - (shown - guess.getTime()));
}
