/**
 * Building an `Intl.DateTimeFormat` loads ICU data for its locale and zone: tens to hundreds of µs,
 * against about a microsecond to format with one already built. Code that formats per person or per
 * notification keeps one formatter per time zone instead of building one per call.
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
