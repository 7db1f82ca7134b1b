import type { RuleSet } from '../rules/rule-set.schema';
import { compileRuleSet } from './compiled-rule-set';
import { isIsoDate, type IsoDate } from '../shared/dates';

export interface CreditEntryDraft {
  typeCode: string;
  quantity: number;
  date: string;
}

/** Why an entry is refused (R-ENTRY); the bot words each code through locales/. */
export type CreditEntryProblem =
  | { code: 'unknown-type'; typeCode: string }
  | { code: 'quantity-not-a-number' }
  | { code: 'quantity-below-min'; min: number }
  | { code: 'quantity-above-max'; max: number }
  | { code: 'quantity-off-step'; step: number }
  | { code: 'date-invalid' }
  | { code: 'date-in-future'; today: IsoDate }
  | { code: 'date-before-period'; start: IsoDate }
  | { code: 'date-after-period'; end: IsoDate };

export type CreditEntryCheck = { ok: true } | { ok: false; problems: CreditEntryProblem[] };

/**
 * Checks a new or edited entry before it is saved: type from the rule set, quantity within the type's
 * range and step, date a real day, not in the future and inside the period. Every problem is reported
 * at once so the person can fix them together.
 *
 * @param period the period the entry must fall in (see resolvePeriod)
 * @param today the person's current calendar day
 */
export function checkCreditEntry(
  ruleSet: RuleSet,
  draft: CreditEntryDraft,
  period: { start: IsoDate; end: IsoDate },
  today: IsoDate,
): CreditEntryCheck {
  const problems: CreditEntryProblem[] = [];
  const compiled = compileRuleSet(ruleSet);
  const typeIndex = compiled.typeIndexByCode.get(draft.typeCode);
  if (typeIndex === undefined) {
    problems.push({ code: 'unknown-type', typeCode: draft.typeCode });
  } else {
    const type = compiled.types[typeIndex];
    const quantity = draft.quantity;
    if (typeof quantity !== 'number' || !Number.isFinite(quantity)) {
      problems.push({ code: 'quantity-not-a-number' });
    } else if (quantity < type.minQuantity) {
      problems.push({ code: 'quantity-below-min', min: type.minQuantity });
    } else if (quantity > type.maxQuantity) {
      problems.push({ code: 'quantity-above-max', max: type.maxQuantity });
    } else if (type.step !== undefined && !isMultiple(quantity, type.step)) {
      problems.push({ code: 'quantity-off-step', step: type.step });
    }
  }
  if (!isIsoDate(draft.date)) {
    problems.push({ code: 'date-invalid' });
  } else if (draft.date > today) {
    problems.push({ code: 'date-in-future', today });
  } else if (draft.date < period.start) {
    problems.push({ code: 'date-before-period', start: period.start });
  } else if (draft.date > period.end) {
    problems.push({ code: 'date-after-period', end: period.end });
  }
  return problems.length === 0 ? { ok: true } : { ok: false, problems };
}

function isMultiple(value: number, step: number): boolean {
  const ratio = value / step;
  return Math.abs(ratio - Math.round(ratio)) < 1e-9;
}
