import type { RuleSet, RuleSetUnit } from '../rules/rule-set.schema';
import { compileRuleSet, type CompiledRuleSet, entryCreditH, fromHundredths } from './compiled-rule-set';
import { daysFromCivil, type IsoDate, toDayNumber } from '../shared/dates';
import { type CreditPeriod, type CreditProfile, portfolioWindowOpensOn, resolvePeriod } from './period';
import { type Suggestion, suggestForCounted } from './suggestions';

export type Verification = 'UNVERIFIED' | 'VERIFIED' | 'REJECTED';

export interface CreditEntryInput {
  id: string;
  typeCode: string;
  quantity: number;
  date: IsoDate;
  /** Absent means not yet verified; it counts like UNVERIFIED. REJECTED never counts. */
  verification?: Verification;
}

/** Codes, not sentences: bot/ and worker/ turn them into words through locales/. */
export const evaluationWarnings = [
  /** A cycle rule set but no known cycle start: the fallback period (this calendar year) was used. */
  'cycle-start-unknown',
  /** asOf is before the period starts (a cycle start in the future). */
  'period-not-started',
  /** asOf is after the period's last day: the cycle is over; nothing new can count in it. */
  'period-ended',
  /** asOf is outside the dates the rule set is in force. */
  'rule-set-not-in-force',
  /** The person's category is not among the rule set's appliesTo. */
  'category-not-covered',
  /** Some entries have a type code the rule set does not know; they were not counted. */
  'unknown-credit-type',
  /** Some entries have an unusable date or quantity; they were not counted. */
  'invalid-entry',
  /** Some entries lie outside their type's quantity range; above max they count as max. */
  'quantity-out-of-range',
  /** Some entries are dated after asOf; they were not counted. */
  'future-entries-ignored',
  /** Caps leave no way to close the shortfall in this period. */
  'shortfall-unreachable',
] as const;
export type EvaluationWarning = (typeof evaluationWarnings)[number];

export interface TypeBalance {
  code: string;
  group: string | null;
  /** Credits from this type's counted entries, before the cap. */
  raw: number;
  /** What counts: raw limited by the cap. */
  counted: number;
  cap: number | null;
  /** Number of entries counted in raw. */
  entries: number;
  /** Part of raw from entries not yet verified. */
  unverified: number;
}

export interface GroupBalance {
  group: string;
  counted: number;
  minimum: number | null;
  shortfall: number;
}

export interface YearBalance {
  year: number;
  /** Counted credits dated in this calendar year (caps applied to the earliest entries first). */
  total: number;
  /** Advice only: the yearly recommendation, prorated to the part of the year inside the period. */
  recommended?: number;
  /** Present with `recommended` once that part of the year is over: a gentle nudge, never a failure. */
  belowRecommendation?: boolean;
}

export type PaceStatus = 'ahead' | 'on-track' | 'behind';

/**
 * How far behind, by the pace the rest of the period asks for against the steady one: `slightly` when the
 * remaining credits fit the remaining time at up to 1.25× the steady pace, `well` up to 2×, `at-risk`
 * beyond (or when no time is left). Measured on what is left rather than on the gap alone, so 0 of 107
 * expected with 144 required and 37 worth of time left is at risk, while the same gap early in a cycle is not.
 */
export type PaceLag = 'slightly' | 'well' | 'at-risk';

export interface Pace {
  /** Credits a steady pace would have reached by asOf: required × elapsed share of the period. */
  expected: number;
  /** Progress that counts towards being met: required − remaining (so surplus ИОМ cannot hide a ПК gap). */
  actual: number;
  behind: boolean;
  status: PaceStatus;
  /** Set only when behind. */
  lag: PaceLag | null;
}

export interface Evaluation {
  ruleSetCode: string;
  ruleSetVersion: number;
  unit: RuleSetUnit;
  asOf: IsoDate;
  period: { start: IsoDate; end: IsoDate };
  /** Counted credits in the period (caps applied). */
  total: number;
  required: number;
  /** max(required − total, sum of group shortfalls), never negative: met ⇔ remaining = 0. */
  remaining: number;
  /** Share of the requirement effectively satisfied, (required − remaining) / required, floored to 0.1. */
  percent: number;
  met: boolean;
  byType: TypeBalance[];
  byGroup: GroupBalance[];
  byYear: YearBalance[];
  pace: Pace;
  /** Days from asOf to the period's last day (0 on the last day and after it). */
  daysLeft: number;
  portfolioWindow: { opensOn: IsoDate; open: boolean } | null;
  warnings: EvaluationWarning[];
  suggestions: Suggestion[];
}

/** Within ±5% of the requirement of the steady pace a person is on track: a day's delay is no news. */
const PACE_TOLERANCE_SHARE = 0.05;
/** The catch-up pace, as a multiple of the steady one, up to which a person is slightly or well behind (PaceLag). */
const SLIGHTLY_BEHIND_CATCH_UP = 1.25;
const WELL_BEHIND_CATCH_UP = 2;

const W_CYCLE_START_UNKNOWN = 1 << 0;
const W_PERIOD_NOT_STARTED = 1 << 1;
const W_PERIOD_ENDED = 1 << 2;
const W_NOT_IN_FORCE = 1 << 3;
const W_CATEGORY = 1 << 4;
const W_UNKNOWN_TYPE = 1 << 5;
const W_INVALID = 1 << 6;
const W_OUT_OF_RANGE = 1 << 7;
const W_FUTURE = 1 << 8;
const W_UNREACHABLE = 1 << 9;

const CHAR_0 = 48;
const CHAR_DASH = 45;

/**
 * The year of a well-formed 'YYYY-MM-DD' string, or -1. Checks shape and month/day ranges without
 * allocating (it runs for every entry of every person); exact day-of-month validity is the entry
 * check's job at input time.
 */
function entryYear(date: unknown): number {
  if (typeof date !== 'string' || date.length !== 10) return -1;
  if (date.charCodeAt(4) !== CHAR_DASH || date.charCodeAt(7) !== CHAR_DASH) return -1;
  let year = 0;
  for (let i = 0; i < 4; i++) {
    const d = date.charCodeAt(i) - CHAR_0;
    if (d < 0 || d > 9) return -1;
    year = year * 10 + d;
  }
  const m1 = date.charCodeAt(5) - CHAR_0;
  const m2 = date.charCodeAt(6) - CHAR_0;
  const d1 = date.charCodeAt(8) - CHAR_0;
  const d2 = date.charCodeAt(9) - CHAR_0;
  if (m1 < 0 || m1 > 1 || m2 < 0 || m2 > 9 || d1 < 0 || d1 > 3 || d2 < 0 || d2 > 9) return -1;
  const month = m1 * 10 + m2;
  const day = d1 * 10 + d2;
  if (month < 1 || month > 12 || day < 1 || day > 31) return -1;
  return year;
}

interface CappedEntry {
  date: string;
  id: string;
  creditH: number;
  yearIndex: number;
}

function compareCapped(a: CappedEntry, b: CappedEntry): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  if (a.id !== b.id) return a.id < b.id ? -1 : 1;
  return a.creditH - b.creditH;
}

/**
 * Evaluates a person's credit entries against a rule set as of a calendar day. Pure and deterministic:
 * the same inputs give the same result whatever the order of entries.
 *
 * Counts an entry when it is not REJECTED, its type is known, and it is dated within the period and not
 * after asOf. Each entry yields weight × quantity rounded to 2 decimals (quantity above the type's max
 * counts as max); a type's credits are limited by its cap per period.
 *
 * @throws RangeError when asOf is not a calendar date (a programming error, not bad user data: bad
 *   entries are skipped and reported in `warnings`)
 */
export function evaluate(ruleSet: RuleSet, entries: readonly CreditEntryInput[], profile: CreditProfile, asOf: IsoDate): Evaluation {
  const compiled = compileRuleSet(ruleSet);
  const period = resolvePeriod(ruleSet, profile, asOf);
  let flags = 0;
  if (!period.startKnown) flags |= W_CYCLE_START_UNKNOWN;
  if (asOf < period.start) flags |= W_PERIOD_NOT_STARTED;
  if (asOf > period.end) flags |= W_PERIOD_ENDED;
  const inForce = ruleSet.inForce;
  if (inForce && (asOf < inForce.from || (inForce.to !== undefined && asOf > inForce.to))) flags |= W_NOT_IN_FORCE;
  if (compiled.appliesTo && profile.category !== undefined && !compiled.appliesTo.has(profile.category)) flags |= W_CATEGORY;

  const types = compiled.types;
  const n = types.length;
  const rawH = new Array<number>(n).fill(0);
  const unverifiedH = new Array<number>(n).fill(0);
  const entryCounts = new Array<number>(n).fill(0);
  const startYear = Number(period.start.slice(0, 4));
  const endYear = Number(period.end.slice(0, 4));
  const yearH = new Array<number>(endYear - startYear + 1).fill(0);
  /** Only entries of capped types, kept to allocate the cap to the earliest ones. */
  let capped: CappedEntry[][] | null = null;
  const typeIndexByCode = compiled.typeIndexByCode;
  const start = period.start;
  const lastCounted = asOf < period.end ? asOf : period.end;

  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.verification === 'REJECTED') continue;
    const t = typeIndexByCode.get(entry.typeCode);
    if (t === undefined) {
      flags |= W_UNKNOWN_TYPE;
      continue;
    }
    const date = entry.date;
    const year = entryYear(date);
    const quantity = entry.quantity;
    if (year < 0 || typeof quantity !== 'number' || !(quantity >= 0) || quantity === Number.POSITIVE_INFINITY) {
      flags |= W_INVALID;
      continue;
    }
    if (date < start) continue;
    if (date > lastCounted) {
      if (date > asOf) flags |= W_FUTURE;
      continue;
    }
    const type = types[t];
    let counted = quantity;
    if (quantity > type.maxQuantity) {
      counted = type.maxQuantity;
      flags |= W_OUT_OF_RANGE;
    } else if (quantity < type.minQuantity) {
      flags |= W_OUT_OF_RANGE;
    }
    const creditH = entryCreditH(type, counted);
    rawH[t] += creditH;
    entryCounts[t]++;
    if (entry.verification !== 'VERIFIED') unverifiedH[t] += creditH;
    if (type.capH === Number.POSITIVE_INFINITY) {
      yearH[year - startYear] += creditH;
    } else {
      capped ??= [];
      (capped[t] ??= []).push({ date, id: String(entry.id), creditH, yearIndex: year - startYear });
    }
  }

  const countedH = new Array<number>(n);
  let totalH = 0;
  const byType: TypeBalance[] = new Array(n);
  for (let t = 0; t < n; t++) {
    const type = types[t];
    const counted = rawH[t] < type.capH ? rawH[t] : type.capH;
    countedH[t] = counted;
    totalH += counted;
    if (capped?.[t]) allocateCapByYear(capped[t], type.capH, yearH);
    byType[t] = {
      code: type.code,
      group: type.group,
      raw: fromHundredths(rawH[t]),
      counted: fromHundredths(counted),
      cap: type.capH === Number.POSITIVE_INFINITY ? null : fromHundredths(type.capH),
      entries: entryCounts[t],
      unverified: fromHundredths(unverifiedH[t]),
    };
  }

  const { byGroup, shortfallSumH } = groupBalances(compiled, countedH);
  const requiredH = compiled.requiredH;
  const remainingH = Math.max(0, requiredH - totalH, shortfallSumH);
  const met = remainingH === 0;

  const asOfDay = toDayNumber(asOf);
  const startDay = toDayNumber(period.start);
  const endDay = toDayNumber(period.end);

  let suggestions: Suggestion[] = [];
  if (!met && asOf >= period.start && asOf <= period.end) {
    suggestions = suggestForCounted(compiled, countedH);
    if (suggestions.length === 0) flags |= W_UNREACHABLE;
  }

  const opensOn = portfolioWindowOpensOn(ruleSet, period);
  return {
    ruleSetCode: ruleSet.code,
    ruleSetVersion: ruleSet.version,
    unit: ruleSet.unit,
    asOf,
    period: { start: period.start, end: period.end },
    total: fromHundredths(totalH),
    required: fromHundredths(requiredH),
    remaining: fromHundredths(remainingH),
    percent: Math.floor(((requiredH - remainingH) * 1000) / requiredH) / 10,
    met,
    byType,
    byGroup,
    byYear: yearBalances(ruleSet, period, startYear, yearH, startDay, endDay, asOfDay),
    pace: paceOf(requiredH, remainingH, startDay, endDay, asOfDay),
    daysLeft: Math.max(0, endDay - asOfDay),
    portfolioWindow: opensOn === null ? null : { opensOn, open: asOf >= opensOn },
    warnings: warningCodes(flags),
    suggestions,
  };
}

/** Over the cap, the earliest entries (by date, then id) are the ones that count, for the per-year view. */
function allocateCapByYear(entries: CappedEntry[], capH: number, yearH: number[]): void {
  entries.sort(compareCapped);
  let left = capH;
  for (const entry of entries) {
    const take = entry.creditH < left ? entry.creditH : left;
    yearH[entry.yearIndex] += take;
    left -= take;
  }
}

function groupBalances(compiled: CompiledRuleSet, countedH: number[]): { byGroup: GroupBalance[]; shortfallSumH: number } {
  let shortfallSumH = 0;
  const byGroup = compiled.groups.map((group): GroupBalance => {
    let groupH = 0;
    for (const t of group.typeIndexes) groupH += countedH[t];
    const shortfallH = Math.max(0, group.minimumH - groupH);
    shortfallSumH += shortfallH;
    return {
      group: group.code,
      counted: fromHundredths(groupH),
      minimum: group.hasMinimum ? fromHundredths(group.minimumH) : null,
      shortfall: fromHundredths(shortfallH),
    };
  });
  return { byGroup, shortfallSumH };
}

function yearBalances(
  ruleSet: RuleSet,
  period: CreditPeriod,
  startYear: number,
  yearH: number[],
  startDay: number,
  endDay: number,
  asOfDay: number,
): YearBalance[] {
  const recommendation = ruleSet.yearlyRecommendation;
  return yearH.map((totalH, index): YearBalance => {
    const year = startYear + index;
    if (recommendation === undefined) return { year, total: fromHundredths(totalH) };
    const yearStart = daysFromCivil(year, 1, 1);
    const yearEnd = daysFromCivil(year + 1, 1, 1) - 1;
    const from = Math.max(yearStart, startDay);
    const to = Math.min(yearEnd, endDay);
    const recommendedH = Math.round((recommendation * 100 * (to - from + 1)) / (yearEnd - yearStart + 1));
    const balance: YearBalance = { year, total: fromHundredths(totalH), recommended: fromHundredths(recommendedH) };
    if (to < asOfDay) balance.belowRecommendation = totalH < recommendedH;
    return balance;
  });
}

/** Exported for the tier boundaries' tests; amounts in hundredths, days as day numbers. */
export function paceOf(requiredH: number, remainingH: number, startDay: number, endDay: number, asOfDay: number): Pace {
  const length = endDay - startDay + 1;
  const elapsed = Math.min(length, Math.max(0, asOfDay - startDay));
  const expectedH = Math.round((requiredH * elapsed) / length);
  const actualH = requiredH - remainingH;
  const toleranceH = requiredH * PACE_TOLERANCE_SHARE;
  const status: PaceStatus = actualH > expectedH + toleranceH ? 'ahead' : actualH < expectedH - toleranceH ? 'behind' : 'on-track';
  // What the steady pace still has to bring by the end: the remaining credits measured against it.
  const steadyRestH = requiredH - expectedH;
  const lag: PaceLag | null =
    status !== 'behind'
      ? null
      : steadyRestH <= 0
        ? 'at-risk'
        : remainingH <= steadyRestH * SLIGHTLY_BEHIND_CATCH_UP
          ? 'slightly'
          : remainingH <= steadyRestH * WELL_BEHIND_CATCH_UP
            ? 'well'
            : 'at-risk';
  return { expected: fromHundredths(expectedH), actual: fromHundredths(actualH), behind: status === 'behind', status, lag };
}

function warningCodes(flags: number): EvaluationWarning[] {
  const codes: EvaluationWarning[] = [];
  for (let i = 0; i < evaluationWarnings.length; i++) if (flags & (1 << i)) codes.push(evaluationWarnings[i]);
  return codes;
}
