import { addDays, type IsoDate } from '../../core/shared/dates';

/** One plan item as a calendar event; the words (summary, description) are already translated. */
export interface PlanIcsEvent {
  /** Stable across exports, so a re-imported calendar updates the event instead of doubling it. */
  id: string;
  startsOn: IsoDate;
  /** Last day, inclusive (the file says the day after, as RFC 5545 wants for all-day events). */
  endsOn: IsoDate;
  summary: string;
  description: string;
  /** Text of the reminder shown the day before the start. */
  alarm: string;
}

export interface PlanIcsInput {
  events: readonly PlanIcsEvent[];
  /** DTSTAMP of every event: passed in so that the same input gives the same bytes. */
  generatedAt: Date;
  /** Right-hand side of UIDs, e.g. the bot's host name. */
  uidDomain: string;
  calendarName: string;
}

const CRLF = '\r\n';
const MAX_OCTETS = 75;

/** The study plan as an iCalendar file (RFC 5545) that phone calendars import: all-day events, a reminder the day before. */
export function renderPlanIcs(input: PlanIcsInput): Buffer {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//nmo-assistant//study plan//RU',
    'CALSCALE:GREGORIAN',
    'METHOD:PUBLISH',
    `X-WR-CALNAME:${escapeText(input.calendarName)}`,
  ];
  const stamp = utcStamp(input.generatedAt);
  for (const event of input.events) {
    lines.push(
      'BEGIN:VEVENT',
      `UID:${event.id}@${input.uidDomain}`,
      `DTSTAMP:${stamp}`,
      `DTSTART;VALUE=DATE:${basicDate(event.startsOn)}`,
      `DTEND;VALUE=DATE:${basicDate(addDays(event.endsOn, 1))}`,
      `SUMMARY:${escapeText(event.summary)}`,
      `DESCRIPTION:${escapeText(event.description)}`,
      'TRANSP:TRANSPARENT',
      'BEGIN:VALARM',
      'ACTION:DISPLAY',
      'TRIGGER:-P1D',
      `DESCRIPTION:${escapeText(event.alarm)}`,
      'END:VALARM',
      'END:VEVENT',
    );
  }
  lines.push('END:VCALENDAR');
  return Buffer.from(lines.map(foldLine).join(CRLF) + CRLF, 'utf8');
}

/** TEXT values escape backslash, comma and semicolon, and carry newlines as `\n` (RFC 5545 §3.3.11). */
export function escapeText(value: string): string {
  return value
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/**
 * Lines longer than 75 octets continue on the next line after CRLF and a space (RFC 5545 §3.1). Cut on
 * character boundaries: a Cyrillic letter is 2 octets in UTF-8 and must never be split.
 */
export function foldLine(line: string): string {
  const parts: string[] = [];
  let current = '';
  let octets = 0;
  for (const char of line) {
    const size = Buffer.byteLength(char, 'utf8');
    // Continuation lines start with a space, which counts towards their 75 octets.
    const limit = parts.length === 0 ? MAX_OCTETS : MAX_OCTETS - 1;
    if (octets + size > limit) {
      parts.push(current);
      current = '';
      octets = 0;
    }
    current += char;
    octets += size;
  }
  parts.push(current);
  return parts.join(`${CRLF} `);
}

function basicDate(date: IsoDate): string {
  return date.replace(/-/g, '');
}

function utcStamp(instant: Date): string {
  return instant
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}
