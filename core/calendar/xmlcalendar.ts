import { daysInMonth, formatIsoDate, type IsoDate } from '../shared/dates';

/**
 * One year of the Russian production calendar in the xmlcalendar.ru format
 * (`<calendar year="2026"><days><day d="MM.DD" t="1|2|3" …/></days></calendar>`):
 * t="1" a day off (holidays and transferred days off), t="2" a shortened working day, t="3" a working
 * Saturday or Sunday. Days not listed follow the week: Saturday and Sunday off, the rest working.
 */
export interface CalendarYearData {
  readonly year: number;
  readonly daysOff: ReadonlySet<IsoDate>;
  readonly workingWeekends: ReadonlySet<IsoDate>;
  readonly shortened: ReadonlySet<IsoDate>;
}

/** Refused calendar input; the message names what is wrong, for an admin to read. */
export class CalendarXmlError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarXmlError';
  }
}

/** Years outside this range are refused: a typo, not a calendar anyone publishes. */
const MIN_YEAR = 1990;
const MAX_YEAR = 2200;

/**
 * Parses one year's XML. A small tag scanner rather than an XML library: the format is flat and the
 * input small, and every refusal must say exactly what is wrong (root, year, a day's attributes).
 */
export function parseXmlCalendar(xml: string): CalendarYearData {
  if (typeof xml !== 'string' || xml.trim() === '') throw new CalendarXmlError('the calendar XML is empty');
  const body = xml
    .replace(/^\uFEFF/, '')
    .replace(/<\?xml[\s\S]*?\?>/g, '')
    .replace(/<!--[\s\S]*?-->/g, '')
    .trim();
  const root = /^<([A-Za-z_][\w.-]*)((?:\s[^>]*)?)>/.exec(body);
  if (!root) throw new CalendarXmlError('not XML: the document does not start with an element');
  if (root[1] !== 'calendar') throw new CalendarXmlError(`wrong root element <${root[1]}>: expected <calendar year="YYYY">`);
  if (!/<\/calendar>\s*$/.test(body)) throw new CalendarXmlError('the <calendar> element is not closed (truncated file?)');

  const rootAttributes = parseAttributes(root[2].replace(/\/$/, ''), '<calendar>');
  const yearText = rootAttributes.get('year');
  if (yearText === undefined) throw new CalendarXmlError('the year is missing: <calendar> has no year attribute');
  if (!/^\d{4}$/.test(yearText)) throw new CalendarXmlError(`bad year "${yearText}": expected four digits`);
  const year = Number(yearText);
  if (year < MIN_YEAR || year > MAX_YEAR) throw new CalendarXmlError(`year ${year} is out of range ${MIN_YEAR}–${MAX_YEAR}`);

  const daysOff = new Set<IsoDate>();
  const workingWeekends = new Set<IsoDate>();
  const shortened = new Set<IsoDate>();
  const seen = new Set<IsoDate>();
  for (const match of body.matchAll(/<day\b([^>]*)>/g)) {
    const tag = match[0];
    const attributes = parseAttributes(match[1].replace(/\/$/, ''), tag);
    const date = dayDate(attributes.get('d'), year, tag);
    if (seen.has(date)) throw new CalendarXmlError(`day ${date} is listed twice`);
    seen.add(date);
    const type = attributes.get('t');
    if (type === '1') daysOff.add(date);
    else if (type === '2') shortened.add(date);
    else if (type === '3') workingWeekends.add(date);
    else throw new CalendarXmlError(`bad day attribute t=${JSON.stringify(type ?? null)} in ${tag}: expected "1", "2" or "3"`);
  }
  return { year, daysOff, workingWeekends, shortened };
}

function dayDate(value: string | undefined, year: number, tag: string): IsoDate {
  if (value === undefined) throw new CalendarXmlError(`bad day attribute: ${tag} has no d="MM.DD"`);
  const m = /^(\d{2})\.(\d{2})$/.exec(value);
  if (!m) throw new CalendarXmlError(`bad day attribute d="${value}" in ${tag}: expected MM.DD`);
  const month = Number(m[1]);
  const day = Number(m[2]);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    throw new CalendarXmlError(`day d="${value}" in ${tag} is outside the year ${year}`);
  }
  return formatIsoDate({ year, month, day });
}

function parseAttributes(text: string, where: string): Map<string, string> {
  const attributes = new Map<string, string>();
  const rest = text.replace(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g, (_all, name: string, dq?: string, sq?: string) => {
    attributes.set(name, dq ?? sq ?? '');
    return ' ';
  });
  if (rest.trim() !== '') throw new CalendarXmlError(`malformed attributes in ${where}: "${rest.trim()}"`);
  return attributes;
}
