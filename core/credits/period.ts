import type { RuleSet } from '../rules/rule-set.schema';
import { addDays, addMonths, addYears, endOfYear, isIsoDate, type IsoDate, startOfYear, yearOf } from '../shared/dates';

export interface CreditProfile {
  /** Staff category (DOCTOR, NURSE, …), checked against the rule set's appliesTo. */
  category?: string;
  /** Date of the last accreditation: the start of the current cycle for cycle rule sets. */
  cycleStart?: IsoDate | null;
}

export interface CreditPeriod {
  /** First day, inclusive. */
  start: IsoDate;
  /** Last day, inclusive. */
  end: IsoDate;
  /** False when a cycle rule set had no (valid) cycleStart and the fallback was used. */
  startKnown: boolean;
}

/**
 * The period whose credits count as of `asOf`.
 *
 * - Cycle: from the last accreditation for N years, ending the day before the anniversary, so that an
 *   accreditation renewed on the anniversary starts the next cycle without overlap
 *   (2023-03-15 → 2028-03-14; a 29 February start ends on 27 February, as ГК РФ ст. 192 moves it).
 *   An expired cycle stays the period (the person needs accreditation, not a fresh cycle).
 * - Without a cycle start we cannot know the cycle. Fallback: a cycle starting on 1 January of asOf's
 *   year. It counts only this year's entries, so it understates progress rather than inventing it, and
 *   the caller gets a 'cycle-start-unknown' warning to ask the person for the date.
 * - Calendar year: 1 January to 31 December of asOf's year; everything resets on 1 January.
 */
export function resolvePeriod(ruleSet: RuleSet, profile: CreditProfile, asOf: IsoDate): CreditPeriod {
  if (!isIsoDate(asOf)) throw new RangeError(`asOf must be a calendar date in YYYY-MM-DD form: ${JSON.stringify(asOf)}`);
  const period = ruleSet.period;
  if (period.kind === 'calendarYear') {
    const year = yearOf(asOf);
    return { start: startOfYear(year), end: endOfYear(year), startKnown: true };
  }
  const known = typeof profile.cycleStart === 'string' && isIsoDate(profile.cycleStart);
  const start = known ? (profile.cycleStart as IsoDate) : startOfYear(yearOf(asOf));
  return { start, end: addDays(addYears(start, period.years), -1), startKnown: known };
}

/**
 * When the portfolio may be submitted: `portfolioWindowMonths` before the accreditation expires, i.e.
 * before the day after the cycle's last day. Null for rule sets without a window.
 */
export function portfolioWindowOpensOn(ruleSet: RuleSet, period: CreditPeriod): IsoDate | null {
  if (ruleSet.period.kind !== 'cycle' || ruleSet.portfolioWindowMonths === undefined) return null;
  return addMonths(addDays(period.end, 1), -ruleSet.portfolioWindowMonths);
}
