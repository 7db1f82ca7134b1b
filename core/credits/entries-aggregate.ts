import { fromDayNumber, type IsoDate } from '../shared/dates';
import type { CreditEntryInput, Verification } from './engine';

/**
 * One person's entries as PostgreSQL aggregates them for the nightly sweep (ReevaluationRepository), read
 * back without a string per field. Each entry is
 *
 *     <uuid, 36 characters><verification> US <days since 1970-01-01> US <quantity> US <type code>
 *
 * entries separated by RS (US = \x1f, RS = \x1e). A sweep reads 50 entries for each of a million
 * people: splitting would make six strings and an array per entry, enough garbage to double the worker's
 * memory. Here an entry costs its object and a slice for its id; dates, verifications and type codes
 * are shared strings. The type code comes last, with RS and US replaced by '?' in SQL.
 */
export const ENTRY_FIELD = '\x1f';
export const ENTRY_RECORD = '\x1e';

const UUID_LENGTH = 36;
const FIELD = 0x1f;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const VERIFICATIONS: readonly Verification[] = ['UNVERIFIED', 'VERIFIED', 'REJECTED'];
/** Above this many decimal digits the integer arithmetic below may round: Number() parses instead. */
const MAX_DIGITS = 15;

/** Calendar dates by day number, shared by every entry of every batch (a few thousand distinct days). */
const datesByDay = new Map<number, IsoDate>();

function dateOfDay(day: number): IsoDate {
  let date = datesByDay.get(day);
  if (date === undefined) {
    date = fromDayNumber(day);
    datesByDay.set(day, date);
  }
  return date;
}

/**
 * The aggregates of a batch, parsed one person at a time as the batch evaluates them: entry objects then
 * live for one evaluation and die young, instead of 50,000 of them outliving several awaits.
 */
export class AggregatedEntries {
  /** Type codes met so far, shared so that a batch keeps one string per code. */
  private readonly typeCodes: string[] = [];

  constructor(private readonly byPerson: ReadonlyMap<string, string>) {}

  of(personId: string): CreditEntryInput[] {
    const text = this.byPerson.get(personId);
    return text === undefined ? [] : parseEntriesAggregate(text, this.typeCodes);
  }
}

/** The entries of one aggregate; `typeCodes` is shared between calls so that a batch keeps one string per code. */
export function parseEntriesAggregate(text: string, typeCodes: string[] = []): CreditEntryInput[] {
  const entries: CreditEntryInput[] = [];
  const end = text.length;
  let pos = 0;
  while (pos < end) {
    const id = text.slice(pos, pos + UUID_LENGTH);
    let i = pos + UUID_LENGTH;
    const verificationEnd = text.indexOf(ENTRY_FIELD, i);
    const verification = (knownAt(text, i, verificationEnd, VERIFICATIONS) ?? text.slice(i, verificationEnd)) as Verification;

    i = verificationEnd + 1;
    let sign = 1;
    if (text.charCodeAt(i) === MINUS) {
      sign = -1;
      i++;
    }
    let day = 0;
    for (let c = text.charCodeAt(i); c !== FIELD; c = text.charCodeAt(++i)) day = day * 10 + (c - ZERO);

    const quantityStart = i + 1;
    const quantityEnd = text.indexOf(ENTRY_FIELD, quantityStart);
    let recordEnd = text.indexOf(ENTRY_RECORD, quantityEnd);
    if (recordEnd < 0) recordEnd = end;
    entries.push({
      id,
      typeCode: knownAt(text, quantityEnd + 1, recordEnd, typeCodes) ?? learn(typeCodes, text.slice(quantityEnd + 1, recordEnd)),
      quantity: decimalAt(text, quantityStart, quantityEnd),
      date: dateOfDay(sign * day),
      verification,
    });
    pos = recordEnd + 1;
  }
  return entries;
}

/** text[start, end) as the equal string of `known` (compared in place), or undefined. */
function knownAt(text: string, start: number, end: number, known: readonly string[]): string | undefined {
  const length = end - start;
  for (const candidate of known) if (candidate.length === length && text.startsWith(candidate, start)) return candidate;
  return undefined;
}

function learn(known: string[], value: string): string {
  known.push(value);
  return value;
}

/**
 * PostgreSQL's text of a float8 read exactly as Number() would: an integer n with k decimals is
 * n / 10^k, both exact below 2^53 and 10^22, and one correctly rounded division gives the double nearest
 * the decimal, as Number() does. Anything else (exponents, NaN, Infinity, signs, long digits) goes to Number().
 */
function decimalAt(text: string, start: number, end: number): number {
  let value = 0;
  let scale = 1;
  let digits = 0;
  let dot = false;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= ZERO && c <= NINE) {
      value = value * 10 + (c - ZERO);
      if (dot) scale *= 10;
      digits++;
    } else if (c === DOT && !dot) {
      dot = true;
    } else {
      return Number(text.slice(start, end));
    }
  }
  if (digits === 0 || digits > MAX_DIGITS) return Number(text.slice(start, end));
  return value / scale;
}
