import type { RuleSet } from '../rules/rule-set.schema';

/**
 * A rule set prepared for evaluation: types in arrays with their index looked up once, and every amount
 * in hundredths of a credit. Integer hundredths keep sums exact (and therefore independent of entry order)
 * while still honouring the "exact to 2 decimals" rounding rule.
 */
export interface CompiledCreditType {
  index: number;
  code: string;
  group: string | null;
  /** Index into CompiledRuleSet.groups, or -1 without a group. */
  groupIndex: number;
  weight: number;
  minQuantity: number;
  maxQuantity: number;
  step: number | undefined;
  /** Cap in hundredths; Infinity when uncapped. */
  capH: number;
  /** Largest quantity a suggestion may propose for one entry (max rounded down to the step). */
  suggestMaxQuantity: number;
  /** Quantity granularity for suggestions: the step, or whole units when the rule has none. */
  suggestUnit: number;
}

export interface CompiledGroup {
  code: string;
  /** Minimum in hundredths; 0 when the rule set sets none. */
  minimumH: number;
  hasMinimum: boolean;
  typeIndexes: number[];
}

export interface CompiledRuleSet {
  ruleSet: RuleSet;
  types: CompiledCreditType[];
  typeIndexByCode: Map<string, number>;
  groups: CompiledGroup[];
  requiredH: number;
  /** True when any type has a cap: only then are per-entry details kept for chronological allocation. */
  anyCap: boolean;
  appliesTo: ReadonlySet<string> | null;
}

export function toHundredths(value: number): number {
  return Math.round(value * 100);
}

export function fromHundredths(value: number): number {
  return value / 100;
}

/** Credits one entry yields, in hundredths: weight × quantity rounded to 2 decimals. */
export function entryCreditH(type: CompiledCreditType, quantity: number): number {
  return Math.round(type.weight * quantity * 100);
}

/** Rule sets are treated as immutable values, so a compiled form is cached per object. */
const cache = new WeakMap<RuleSet, CompiledRuleSet>();

export function compileRuleSet(ruleSet: RuleSet): CompiledRuleSet {
  const cached = cache.get(ruleSet);
  if (cached) return cached;

  const groups: CompiledGroup[] = [];
  const groupIndexByCode = new Map<string, number>();
  // In order of first appearance, so byGroup lists groups as the rule set does (ПК first in 709н).
  const groupCodes = [...new Set(ruleSet.creditTypes.flatMap((type) => (type.group ? [type.group] : [])))];
  for (const code of groupCodes) {
    const minimum = ruleSet.minimums[code];
    groupIndexByCode.set(code, groups.length);
    groups.push({ code, minimumH: minimum === undefined ? 0 : toHundredths(minimum), hasMinimum: minimum !== undefined, typeIndexes: [] });
  }

  const types = ruleSet.creditTypes.map((type, index): CompiledCreditType => {
    const groupIndex = type.group ? (groupIndexByCode.get(type.group) ?? -1) : -1;
    if (groupIndex >= 0) groups[groupIndex].typeIndexes.push(index);
    const suggestUnit = type.quantity.step ?? 1;
    const roundedMax = Math.floor(type.quantity.max / suggestUnit + 1e-9) * suggestUnit;
    return {
      index,
      code: type.code,
      group: type.group ?? null,
      groupIndex,
      weight: type.weight,
      minQuantity: type.quantity.min,
      maxQuantity: type.quantity.max,
      step: type.quantity.step,
      capH: type.cap === undefined ? Number.POSITIVE_INFINITY : toHundredths(type.cap),
      suggestMaxQuantity: roundedMax >= type.quantity.min ? roundedMax : type.quantity.max,
      suggestUnit,
    };
  });

  const compiled: CompiledRuleSet = {
    ruleSet,
    types,
    typeIndexByCode: new Map(types.map((type) => [type.code, type.index])),
    groups,
    requiredH: toHundredths(ruleSet.required),
    anyCap: types.some((type) => Number.isFinite(type.capH)),
    appliesTo: ruleSet.appliesTo ? new Set(ruleSet.appliesTo) : null,
  };
  cache.set(ruleSet, compiled);
  return compiled;
}
