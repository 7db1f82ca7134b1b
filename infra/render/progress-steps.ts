import { compileRuleSet, entryCreditH, fromHundredths } from '../../core/credits/compiled-rule-set';
import { type IsoDate, isIsoDate } from '../../core/shared/dates';
import type { CreditEntryInput, Evaluation } from '../../core/credits/engine';
import type { RuleSet } from '../../core/rules/rule-set.schema';

/** Credits a day's entries added to the counted total. */
export interface ProgressStep {
  date: IsoDate;
  credits: number;
}

/**
 * The counted total's growth day by day, counted as evaluate() counts (rejected, unknown, invalid,
 * out-of-period and future entries left out; quantity above max counts as max; a cap used up by the earliest
 * entries), so that the steps add up to `evaluation.total` and a chart's line ends where the balance says.
 */
export function countedProgress(
  ruleSet: RuleSet,
  entries: readonly CreditEntryInput[],
  evaluation: Pick<Evaluation, 'period' | 'asOf'>,
): ProgressStep[] {
  const compiled = compileRuleSet(ruleSet);
  const { start, end } = evaluation.period;
  const last = evaluation.asOf < end ? evaluation.asOf : end;
  const counted = entries
    .flatMap((entry) => {
      const t = compiled.typeIndexByCode.get(entry.typeCode);
      const valid = isIsoDate(entry.date) && entry.quantity >= 0 && Number.isFinite(entry.quantity);
      if (entry.verification === 'REJECTED' || t === undefined || !valid || entry.date < start || entry.date > last) return [];
      const type = compiled.types[t];
      return [{ date: entry.date, id: String(entry.id), t, creditH: entryCreditH(type, Math.min(entry.quantity, type.maxQuantity)) }];
    })
    // The engine's order for allocating a cap: earliest first, then by id.
    .sort((a, b) => (a.date !== b.date ? (a.date < b.date ? -1 : 1) : a.id !== b.id ? (a.id < b.id ? -1 : 1) : a.creditH - b.creditH));

  const rawH = new Array<number>(compiled.types.length).fill(0);
  const steps: ProgressStep[] = [];
  let dayH = 0;
  counted.forEach((entry, i) => {
    const capH = compiled.types[entry.t].capH;
    const before = Math.min(rawH[entry.t], capH);
    rawH[entry.t] += entry.creditH;
    dayH += Math.min(rawH[entry.t], capH) - before;
    const dayEnds = i === counted.length - 1 || counted[i + 1].date !== entry.date;
    if (dayEnds) {
      if (dayH > 0) steps.push({ date: entry.date, credits: fromHundredths(dayH) });
      dayH = 0;
    }
  });
  return steps;
}
