import { type IsoDate, parseIsoDate } from '../../core/shared/dates';
import type { Lang } from '../i18n';

/** Short month names for chart ticks; spelt out here so that output does not vary with Node's ICU data. */
export const MONTHS_SHORT: Readonly<Record<Lang, readonly string[]>> = {
  ru: ['янв', 'фев', 'мар', 'апр', 'май', 'июн', 'июл', 'авг', 'сен', 'окт', 'ноя', 'дек'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
};

function pad2(value: number): string {
  return String(value).padStart(2, '0');
}

/**
 * 14.03.2025 in Russian (what Excel in a Russian locale reads as a date), 2025-03-14 in English (read as a
 * date in every locale).
 * @throws RangeError when `date` is not a calendar date (a programming error: dates come from the database)
 */
export function formatDate(date: IsoDate, lang: Lang): string {
  const parsed = parseIsoDate(date);
  if (!parsed) throw new RangeError(`Not a calendar date in YYYY-MM-DD form: ${JSON.stringify(date)}`);
  return lang === 'ru' ? `${pad2(parsed.day)}.${pad2(parsed.month)}.${parsed.year}` : date;
}

/** Credits are exact to hundredths: at most 2 decimals, no trailing zeros, a decimal comma in Russian. */
export function formatNumber(value: number, lang: Lang): string {
  const rounded = Math.round(value * 100) / 100;
  const text = String(rounded === 0 ? 0 : rounded);
  return lang === 'ru' ? text.replace('.', ',') : text;
}

const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

/** A moment as the wall clock of `timeZone` shows it, e.g. 14.03.2025 10:30 (ru) or 2025-03-14 10:30 (en). */
export function formatDateTime(moment: Date, lang: Lang, timeZone: string): string {
  let format = dateTimeFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    dateTimeFormats.set(timeZone, format);
  }
  const part = Object.fromEntries(format.formatToParts(moment).map(({ type, value }) => [type, value]));
  const date = `${part.year}-${part.month}-${part.day}`;
  return `${formatDate(date, lang)} ${part.hour}:${part.minute}`;
}
