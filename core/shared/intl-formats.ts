/**
 * Intl formatters, built once and reused. Building one costs far more than using it (it loads locale and
 * time-zone data): one per formatted value was a visible share of the bot's CPU under load. Formatters
 * are immutable and safe to share.
 */

const READABLE_NUMBERS = {
  ru: new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};

/** A number in a sentence people read: the Russian way (comma decimals, thin grouping) or the English way, at most 2 decimals. */
export function readableNumber(value: number, lang: 'ru' | 'en'): string {
  return READABLE_NUMBERS[lang === 'ru' ? 'ru' : 'en'].format(value);
}

/**
 * A formatter per time zone for one fixed set of options, for code that formats per person or per
 * notification: the zone is the only key, so a lookup costs a Map get (no key built per call).
 */
export function formatsPerTimeZone(build: (timeZone: string) => Intl.DateTimeFormat): (timeZone: string) => Intl.DateTimeFormat {
  // Bounded by the zones in use (IANA has a few hundred); an unknown zone throws in `build` and is not kept.
  const formats = new Map<string, Intl.DateTimeFormat>();
  return (timeZone) => {
    let format = formats.get(timeZone);
    if (!format) {
      format = build(timeZone);
      formats.set(timeZone, format);
    }
    return format;
  };
}
