import { createContext, useContext } from 'react';
import type { Lang } from '../../../bot/http/cabinet/wire';
import { formatDate, formatNumber } from '../../../bot/format';

export type Vars = Record<string, string | number>;

export interface Strings {
  lang: Lang;
  /** A sentence of locales → cabinet, with {{placeholders}} and plural forms (`key_one`, `key_few`, …) as i18next has them. */
  t(key: string, vars?: Vars): string;
  /** Numbers and dates exactly as the chat writes them (bot/format.ts). */
  n(value: number): string;
  /** A calendar day (`YYYY-MM-DD`). */
  date(iso: string): string;
  /** The day of an instant, in Moscow unless said (deadlines end at 23:59 Moscow). */
  day(instant: string, timeZone?: string): string;
  dateTime(instant: string, timeZone?: string): string;
}

function lookup(strings: Record<string, unknown>, key: string): string | undefined {
  let node: unknown = strings;
  for (const part of key.split('.')) {
    if (typeof node !== 'object' || node === null) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return typeof node === 'string' ? node : undefined;
}

export function createStrings(lang: Lang, strings: Record<string, unknown>): Strings {
  const plural = new Intl.PluralRules(lang === 'ru' ? 'ru-RU' : 'en-GB');
  const t = (key: string, vars: Vars = {}): string => {
    const text =
      (typeof vars.count === 'number' ? lookup(strings, `${key}_${plural.select(vars.count)}`) : undefined) ?? lookup(strings, key) ?? key;
    return text.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) =>
      vars[name] === undefined ? whole : typeof vars[name] === 'number' ? formatNumber(vars[name], lang) : String(vars[name]),
    );
  };
  return {
    lang,
    t,
    n: (value) => formatNumber(value, lang),
    date: (iso) => formatDate(iso.slice(0, 10), lang),
    day: (instant, timeZone = 'Europe/Moscow') =>
      formatDate(new Intl.DateTimeFormat('en-CA', { timeZone }).format(new Date(instant)), lang),
    dateTime: (iso, timeZone = 'Europe/Moscow') =>
      new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', {
        day: '2-digit',
        month: '2-digit',
        year: 'numeric',
        hour: '2-digit',
        minute: '2-digit',
        timeZone,
      }).format(new Date(iso)),
  };
}

export const StringsContext = createContext<Strings | null>(null);

export function useStrings(): Strings {
  const strings = useContext(StringsContext);
  if (!strings) throw new Error('useStrings outside the session');
  return strings;
}
