import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { ProductionCalendar, type ProductionCalendarOptions } from './production-calendar';
import { CalendarXmlError, parseXmlCalendar } from './xmlcalendar';

/** Where the shipped calendar lives, relative to the project root (copied into the image by the Dockerfile). */
export const SHIPPED_CALENDAR_DIR = join('data', 'production-calendar', 'ru');

/** One year's XML as an admin stored it (the CalendarYear table). */
export interface CalendarYearXml {
  year: number;
  xml: string;
}

/**
 * The project root: the nearest folder up from here holding package.json. Found by walking up rather
 * than imported from infra/ (core must not depend on it), and works from both sources and dist/.
 */
export function findProjectRoot(start: string = __dirname): string {
  let dir = start;
  for (;;) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json found above ${start}`);
    dir = parent;
  }
}

/** Reads every `<year>.xml` of the shipped calendar; a malformed shipped file is a build error, so it throws. */
export function loadShippedCalendar(options: ProductionCalendarOptions & { dir?: string } = {}): ProductionCalendar {
  const dir = options.dir ?? join(findProjectRoot(), SHIPPED_CALENDAR_DIR);
  const files = readdirSync(dir)
    .filter((name) => /^\d{4}\.xml$/.test(name))
    .sort();
  const years = files.map((name) => {
    try {
      const data = parseXmlCalendar(readFileSync(join(dir, name), 'utf8'));
      if (`${data.year}.xml` !== name) throw new CalendarXmlError(`the file holds the year ${data.year}`);
      return data;
    } catch (error) {
      throw new Error(`shipped production calendar ${join(dir, name)}: ${(error as Error).message}`, { cause: error });
    }
  });
  return new ProductionCalendar(years, { onMissingYear: options.onMissingYear });
}

/**
 * The base calendar with years loaded by an admin added, each replacing a shipped year of the same
 * number (a corrected or newly published calendar wins over the release's copy).
 */
export function calendarWithExtraYears(base: ProductionCalendar, years: readonly CalendarYearXml[]): ProductionCalendar {
  if (years.length === 0) return base;
  return base.withYears(
    years.map(({ year, xml }) => {
      const data = parseXmlCalendar(xml);
      if (data.year !== year) throw new CalendarXmlError(`the calendar stored as ${year} holds the year ${data.year}`);
      return data;
    }),
  );
}
