import { readableNumber } from '../core/shared/intl-formats';

/** A bar people read at a glance on a small screen: ten cells, filled by percent. */
export function progressBar(percent: number, cells = 10): string {
  const clamped = Math.max(0, Math.min(100, percent));
  const filled = Math.round((clamped / 100) * cells);
  return '▓'.repeat(filled) + '░'.repeat(cells - filled);
}

/** Numbers the Russian way (comma decimals, thin grouping) or the English way. */
export function formatNumber(value: number, lang: 'ru' | 'en'): string {
  return readableNumber(value, lang);
}

export function formatDate(iso: string, lang: 'ru' | 'en'): string {
  const [y, m, d] = iso.split('-');
  return lang === 'ru' ? `${d}.${m}.${y}` : `${d}/${m}/${y}`;
}

/** Values for a translated sentence: numbers and ISO dates shown the way the person reads them. */
export function formatValues(values: Record<string, string | number> | undefined, lang: 'ru' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(values ?? {})) {
    out[k] = typeof v === 'number' ? formatNumber(v, lang) : /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v, lang) : v;
  }
  return out;
}
