/**
 * Calendar dates are ISO strings ('2026-11-25'): a date of a course or a deadline has no time zone.
 * Converting an instant to a date always names the zone (Europe/Moscow unless the person chose another).
 */
import { isIsoDate, type IsoDate } from '../credits/dates';
import { dateTimeFormat } from './intl-formats';

export type { IsoDate };

export function localDateOf(instant: Date, timeZone: string): IsoDate {
  const parts = dateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
  return parts; // en-CA formats as YYYY-MM-DD
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
