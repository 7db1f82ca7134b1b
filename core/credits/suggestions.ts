import type { RuleSet } from '../rules/rule-set.schema';
import { compileRuleSet, type CompiledRuleSet, entryCreditH, fromHundredths, toHundredths } from './compiled-rule-set';

/** One kind of action: `count` entries of `typeCode`, each with quantity `quantityEach`. */
export interface SuggestedAction {
  typeCode: string;
  count: number;
  quantityEach: number;
}

/** One way to close the shortfall, e.g. "1 ПК of 16 h and 1 ИОМ of 18 h". */
export interface Suggestion {
  actions: SuggestedAction[];
  /** Sum of the actions' counts: what the alternatives are ordered by. */
  actionCount: number;
  /** Credits the plan adds to the counted total (after caps). */
  credits: number;
}

export const DEFAULT_SUGGESTION_LIMIT = 3;

/** Upper bound on plans tried, so that a rule set with many groups stays cheap on every balance view. */
const MAX_PLANS = 64;
const MAX_PRIMARIES_PER_GROUP = 3;
const MAX_REMAINDER_PRIMARIES = 6;

interface SuggestionTables {
  /** Most credits (hundredths) one entry of each type can bring. */
  maxPerEntryH: number[];
  /** Types by what one entry brings, most first: the order in which a need is filled after the primary. */
  allTypesByYield: number[];
  groupTypesByYield: number[][];
}

const tablesCache = new WeakMap<CompiledRuleSet, SuggestionTables>();

function tablesFor(compiled: CompiledRuleSet): SuggestionTables {
  const cached = tablesCache.get(compiled);
  if (cached) return cached;
  const maxPerEntryH = compiled.types.map((type) => entryCreditH(type, type.suggestMaxQuantity));
  const byYield = (indexes: number[]) =>
    indexes.filter((i) => maxPerEntryH[i] > 0).sort((a, b) => maxPerEntryH[b] - maxPerEntryH[a] || a - b);
  const tables: SuggestionTables = {
    maxPerEntryH,
    allTypesByYield: byYield(compiled.types.map((type) => type.index)),
    groupTypesByYield: compiled.groups.map((group) => byYield(group.typeIndexes)),
  };
  tablesCache.set(compiled, tables);
  return tables;
}

interface Realized {
  count: number;
  quantity: number;
  deliveredH: number;
}

/**
 * The fewest equal entries of one type that bring at least `amountH`: as many maximal entries as needed,
 * then the smallest valid quantity (within the range, on the step) that still covers the amount.
 */
function realize(compiled: CompiledRuleSet, tables: SuggestionTables, typeIndex: number, amountH: number): Realized {
  const type = compiled.types[typeIndex];
  const count = Math.ceil(amountH / tables.maxPerEntryH[typeIndex]);
  const unit = type.suggestUnit;
  const maxQ = type.suggestMaxQuantity;
  let quantity = Math.ceil(amountH / (count * type.weight * 100) / unit - 1e-9) * unit;
  quantity = Math.min(maxQ, Math.max(type.minQuantity, roundQuantity(quantity)));
  while (count * entryCreditH(type, quantity) < amountH && quantity < maxQ) {
    quantity = Math.min(maxQ, roundQuantity(quantity + unit));
  }
  return { count, quantity, deliveredH: count * entryCreditH(type, quantity) };
}

/** Keeps quantities like 0.1 × 3 from printing as 0.30000000000000004. */
function roundQuantity(value: number): number {
  return Math.round(value * 1e6) / 1e6;
}

/** Assigns `needH` to types, the primary first, each within its remaining cap. Returns what is left. */
function fill(order: number[], primary: number, needH: number, allotH: number[], headroomH: number[]): number {
  let need = needH;
  for (let k = -1; k < order.length && need > 0; k++) {
    const t = k < 0 ? primary : order[k];
    if (k >= 0 && t === primary) continue;
    const take = Math.min(need, headroomH[t]);
    if (take <= 0) continue;
    allotH[t] += take;
    headroomH[t] -= take;
    need -= take;
  }
  return need;
}

interface Plan {
  suggestion: Suggestion;
  key: string;
}

function buildPlan(
  compiled: CompiledRuleSet,
  tables: SuggestionTables,
  capHeadroomH: number[],
  needyGroups: { groupIndex: number; needH: number }[],
  groupPrimaries: number[],
  remainderPrimary: number,
  totalNeedH: number,
): Plan | null {
  const n = compiled.types.length;
  const allotH = new Array<number>(n).fill(0);
  const headroomH = capHeadroomH.slice();

  // Group minimums first, with the group's own types.
  for (let g = 0; g < needyGroups.length; g++) {
    const { groupIndex, needH } = needyGroups[g];
    if (fill(tables.groupTypesByYield[groupIndex], groupPrimaries[g], needH, allotH, headroomH) > 0) return null;
  }
  // An entry cannot be smaller than the type's minimum quantity, so a group may get more than it
  // needed; that surplus already counts towards the total.
  let deliveredH = 0;
  for (let t = 0; t < n; t++) {
    if (allotH[t] === 0) continue;
    allotH[t] = Math.min(realize(compiled, tables, t, allotH[t]).deliveredH, capHeadroomH[t]);
    headroomH[t] = capHeadroomH[t] - allotH[t];
    deliveredH += allotH[t];
  }
  const remainderH = totalNeedH - deliveredH;
  if (remainderH > 0 && fill(tables.allTypesByYield, remainderPrimary, remainderH, allotH, headroomH) > 0) return null;

  const actions: SuggestedAction[] = [];
  let actionCount = 0;
  let creditsH = 0;
  let key = '';
  for (let t = 0; t < n; t++) {
    if (allotH[t] === 0) continue;
    const realized = realize(compiled, tables, t, allotH[t]);
    actions.push({ typeCode: compiled.types[t].code, count: realized.count, quantityEach: realized.quantity });
    actionCount += realized.count;
    creditsH += Math.min(realized.deliveredH, capHeadroomH[t]);
    key += `${t}:${realized.count}:${realized.quantity};`;
  }
  return { suggestion: { actions, actionCount, credits: fromHundredths(creditsH) }, key };
}

/**
 * The cheapest ways to close a shortfall, fewest actions first, at most `limit` of them.
 *
 * Each plan fixes a "primary" type per group with a shortfall (ПК for the ПК minimum) and one for the
 * rest of the total, fills with the primary up to its cap and then with whatever brings most per entry,
 * and rounds each type's share up to whole entries within its quantity range. Without caps the fewest
 * actions come from the highest-yield type alone, which is always among the primaries tried.
 * Deterministic; a few dozen plans at most.
 *
 * @param countedH credits already counted per type (index as in the rule set), in hundredths
 */
export function suggestForCounted(
  compiled: CompiledRuleSet,
  countedH: ArrayLike<number>,
  limit: number = DEFAULT_SUGGESTION_LIMIT,
): Suggestion[] {
  const tables = tablesFor(compiled);
  const n = compiled.types.length;
  const capHeadroomH: number[] = new Array(n);
  let totalH = 0;
  for (let t = 0; t < n; t++) {
    totalH += countedH[t];
    capHeadroomH[t] = Math.max(0, compiled.types[t].capH - countedH[t]);
  }
  const needyGroups: { groupIndex: number; needH: number }[] = [];
  let groupNeedSumH = 0;
  compiled.groups.forEach((group, groupIndex) => {
    let groupH = 0;
    for (const t of group.typeIndexes) groupH += countedH[t];
    const needH = group.minimumH - groupH;
    if (needH > 0) {
      needyGroups.push({ groupIndex, needH });
      groupNeedSumH += needH;
    }
  });
  const totalNeedH = Math.max(0, compiled.requiredH - totalH, groupNeedSumH);
  if (totalNeedH === 0 || limit <= 0) return [];

  const primaryChoices = needyGroups.map(({ groupIndex }) => tables.groupTypesByYield[groupIndex].slice(0, MAX_PRIMARIES_PER_GROUP));
  if (primaryChoices.some((choices) => choices.length === 0)) return [];
  const remainderChoices =
    compiled.requiredH - totalH > groupNeedSumH
      ? tables.allTypesByYield.slice(0, MAX_REMAINDER_PRIMARIES)
      : tables.allTypesByYield.slice(0, 1);
  if (remainderChoices.length === 0) return [];

  const plans: Plan[] = [];
  const seen = new Set<string>();
  const selection = new Array<number>(needyGroups.length).fill(0);
  let tried = 0;
  // Odometer over the primaries of each needy group × the remainder primary.
  outer: for (;;) {
    const groupPrimaries = selection.map((choice, g) => primaryChoices[g][choice]);
    for (const remainderPrimary of remainderChoices) {
      if (tried++ >= MAX_PLANS) break outer;
      const plan = buildPlan(compiled, tables, capHeadroomH, needyGroups, groupPrimaries, remainderPrimary, totalNeedH);
      if (plan && !seen.has(plan.key)) {
        seen.add(plan.key);
        plans.push(plan);
      }
    }
    let g = 0;
    while (g < selection.length && ++selection[g] >= primaryChoices[g].length) selection[g++] = 0;
    if (g === selection.length) break;
  }

  plans.sort(
    (a, b) =>
      a.suggestion.actionCount - b.suggestion.actionCount ||
      a.suggestion.credits - b.suggestion.credits ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return plans.slice(0, limit).map((plan) => plan.suggestion);
}

/**
 * Suggestions from counted credits per type code (as in Evaluation.byType[].counted), for callers that
 * plan without a full evaluation, e.g. "what if I also do this ИОМ".
 */
export function suggestActions(
  ruleSet: RuleSet,
  countedByType: Readonly<Record<string, number>>,
  limit: number = DEFAULT_SUGGESTION_LIMIT,
): Suggestion[] {
  const compiled = compileRuleSet(ruleSet);
  const countedH = compiled.types.map((type) => Math.min(toHundredths(countedByType[type.code] ?? 0), type.capH));
  return suggestForCounted(compiled, countedH, limit);
}
