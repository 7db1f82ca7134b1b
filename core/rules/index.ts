import type { RuleSet } from './rule-set.schema';
import { nmo709n } from './shipped/nmo-709n';
import { seedAccreditation } from './shipped/seed-accreditation';
import { seedActions } from './shipped/seed-actions';

export * from './rule-set.schema';

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/**
 * The rule sets that come with the product. Frozen: the engine caches per rule-set object, and a shared
 * constant must not be changed by one caller under another.
 */
export const shippedRuleSets: readonly RuleSet[] = deepFreeze([nmo709n, seedAccreditation, seedActions]);

/** The default for НМО; the seed rule sets are informal and only used when assigned explicitly. */
export const defaultRuleSetCode = 'nmo-709n';

const byCode = new Map(shippedRuleSets.map((ruleSet) => [ruleSet.code, ruleSet]));

export function findShippedRuleSet(code: string): RuleSet | undefined {
  return byCode.get(code);
}

export function getShippedRuleSet(code: string): RuleSet {
  const ruleSet = byCode.get(code);
  if (!ruleSet) throw new Error(`No shipped rule set with code "${code}"`);
  return ruleSet;
}
