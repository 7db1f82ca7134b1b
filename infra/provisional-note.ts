import type { Translate } from './i18n';

/**
 * What follows a date counted over a year with no production calendar yet (stored as its fallback year):
 * « (предварительно: календарь на 2027 год ещё не загружен)», or nothing for a date that is final.
 * Every place a person, a reviewer or an admin reads such a date puts it there.
 */
export function provisionalNote(t: Translate, fallbackYear: unknown): string {
  return typeof fallbackYear === 'number' ? ` (${t('calendar.provisional', { year: fallbackYear })})` : '';
}
