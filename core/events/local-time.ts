import { instantAtLocal, wallClockFormat } from '../shared/local-date';
import { parseRussianDate } from '../shared/local-date';
import { formatsPerTimeZone } from '../shared/intl-formats';

const russianDayFormat = formatsPerTimeZone(
  (timeZone) => new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric' }),
);

/** "10.12.2026 10:00" read in a time zone (the admin's), or null when it is not a real date and time. */
export function parseLocalDateTime(text: string, timeZone: string): Date | null {
  const m = /^\s*(\S+)\s+(\d{1,2})[:.](\d{2})\s*$/.exec(text);
  if (!m) return null;
  const date = parseRussianDate(m[1]);
  const hour = Number(m[2]);
  const minute = Number(m[3]);
  if (!date || hour > 23 || minute > 59) return null;
  return new Date(instantAtLocal(date, hour, timeZone).getTime() + minute * 60_000);
}

/**
 * The end of an event from what an admin types after its start: hours ("2", "1,5") or the end time of
 * the same day ("12:30"). Null when neither.
 */
export function parseEnd(text: string, startsAt: Date, timeZone: string): Date | null {
  const value = text.trim().replace(',', '.');
  if (/^\d{1,3}(\.\d{1,2})?$/.test(value)) {
    const hours = Number(value);
    return hours > 0 ? new Date(startsAt.getTime() + hours * 3_600_000) : null;
  }
  const time = /^(\d{1,2})[:.](\d{2})$/.exec(value);
  if (!time) return null;
  const day = russianDayFormat(timeZone).format(startsAt);
  return parseLocalDateTime(`${day} ${time[1]}:${time[2]}`, timeZone);
}

/** "10.12.2026 10:00" (ru) or "10/12/2026 10:00" (en) in a time zone. */
export function formatLocalDateTime(instant: Date, timeZone: string, lang: 'ru' | 'en'): string {
  const parts = Object.fromEntries(
    wallClockFormat(timeZone)
      .formatToParts(instant)
      .map((p) => [p.type, p.value]),
  );
  const sep = lang === 'ru' ? '.' : '/';
  return `${parts.day}${sep}${parts.month}${sep}${parts.year} ${parts.hour}:${parts.minute}`;
}
