/**
 * Intl formatters, built once per (locale, options) and reused. Building one costs far more than using
 * it (it loads locale and time-zone data): one per formatted value was a visible share of the bot's CPU
 * under load. Formatters are immutable and safe to share.
 */
const numberFormats = new Map<string, Intl.NumberFormat>();
const dateTimeFormats = new Map<string, Intl.DateTimeFormat>();

export function numberFormat(locale: string, options: Intl.NumberFormatOptions = {}): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

/** Throws RangeError for an unknown time zone, as `new Intl.DateTimeFormat` does (nothing is cached then). */
export function dateTimeFormat(locale: string, options: Intl.DateTimeFormatOptions = {}): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateTimeFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateTimeFormats.set(key, format);
  }
  return format;
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
