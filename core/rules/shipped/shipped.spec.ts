import { findShippedRuleSet, getShippedRuleSet, parseRuleSet, shippedRuleSets } from '../index';

describe('the shipped rule sets', () => {
  it.each(shippedRuleSets.map((ruleSet) => [ruleSet.code, ruleSet] as const))('%s passes the schema unchanged', (_code, ruleSet) => {
    expect(parseRuleSet(JSON.parse(JSON.stringify(ruleSet)))).toEqual({ ok: true, ruleSet });
  });

  it('are nmo-709n, seed-accreditation and seed-actions, each found by code', () => {
    expect(shippedRuleSets.map((r) => r.code)).toEqual(['nmo-709n', 'seed-accreditation', 'seed-actions']);
    expect(findShippedRuleSet('seed-actions')?.period).toEqual({ kind: 'calendarYear' });
    expect(findShippedRuleSet('nmo-709')).toBeUndefined();
    expect(() => getShippedRuleSet('nope')).toThrow('nope');
  });

  it('encode 709н: 144 ЗЕТ per five-year cycle from the last accreditation, at least 72 from ПК', () => {
    const rule = getShippedRuleSet('nmo-709n');
    expect(rule.required).toBe(144);
    expect(rule.period).toEqual({ kind: 'cycle', years: 5, anchor: 'lastAccreditation' });
    expect(rule.minimums).toEqual({ pk: 72 });
    expect(rule.yearlyRecommendation).toBe(50);
    expect(rule.portfolioWindowMonths).toBe(12);
    expect(rule.informal).toBeUndefined();
  });

  it('encode the article tables as informal rule sets with the article weights', () => {
    const weights = (code: string) => Object.fromEntries(getShippedRuleSet(code).creditTypes.map((type) => [type.code, type.weight]));
    expect(getShippedRuleSet('seed-accreditation').required).toBe(100);
    expect(weights('seed-accreditation')).toEqual({ application: 10, document: 5, audit: 15, training: 2 });
    expect(weights('seed-actions')).toEqual({
      registration: 10,
      application: 15,
      document: 5,
      fee: 20,
      'online-event': 8,
      feedback: 3,
    });
    expect(getShippedRuleSet('seed-accreditation').informal).toBe(true);
    expect(getShippedRuleSet('seed-actions').informal).toBe(true);
  });

  it('are frozen, so no caller can change them under another', () => {
    const rule = getShippedRuleSet('nmo-709n');
    expect(Object.isFrozen(rule)).toBe(true);
    expect(Object.isFrozen(rule.creditTypes[0].quantity)).toBe(true);
  });
});
