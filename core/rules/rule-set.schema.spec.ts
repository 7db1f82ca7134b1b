import { parseRuleSet, type RuleSet } from './rule-set.schema';

function validRuleSet(): RuleSet {
  return {
    code: 'org-custom',
    version: 2,
    name: { ru: 'Правила организации', en: 'Organization rules' },
    unit: 'zet',
    creditTypes: [
      {
        code: 'pk',
        name: { ru: 'ПК', en: 'Advanced training' },
        weight: 1,
        quantity: { min: 16, max: 1000, step: 1, unit: 'hours' },
        group: 'pk',
      },
      {
        code: 'iom',
        name: { ru: 'ИОМ', en: 'Module' },
        weight: 1,
        quantity: { min: 1, max: 36, unit: 'hours' },
        group: 'other',
      },
    ],
    period: { kind: 'cycle', years: 5, anchor: 'lastAccreditation' },
    required: 144,
    minimums: { pk: 74 },
    yearlyRecommendation: 50,
    portfolioWindowMonths: 12,
  };
}

function errorsOf(json: unknown): string[] {
  const result = parseRuleSet(json);
  return result.ok ? [] : result.errors;
}

describe('an admin uploads a rule set', () => {
  it('accepts a well-formed rule set and returns it unchanged', () => {
    const input = validRuleSet();
    expect(parseRuleSet(input)).toEqual({ ok: true, ruleSet: input });
  });

  it('refuses a quantity range whose min is above its max, naming the type', () => {
    const input = validRuleSet();
    input.creditTypes[1].quantity = { min: 10, max: 5, unit: 'hours' };
    expect(errorsOf(input)).toEqual(['creditTypes[1].quantity: min (10) is greater than max (5)']);
  });

  it('refuses a range that holds no multiple of the step', () => {
    const input = validRuleSet();
    input.creditTypes[1].quantity = { min: 5, max: 7, step: 4, unit: 'hours' };
    expect(errorsOf(input)).toEqual(['creditTypes[1].quantity: no multiple of step 4 lies between min 5 and max 7']);
  });

  it('refuses a minimum for a group no credit type belongs to', () => {
    const input = validRuleSet();
    input.minimums = { pk: 72, events: 10 };
    expect(errorsOf(input)).toEqual(['minimums.events: no credit type belongs to group "events" (groups: "pk", "other")']);
  });

  it('refuses a negative cap', () => {
    const input = validRuleSet();
    input.creditTypes[1].cap = -5;
    expect(errorsOf(input)).toEqual(['creditTypes[1].cap: must not be negative']);
  });

  it('refuses a credit type code too long to travel in a button (41 characters), and takes 40', () => {
    const input = validRuleSet();
    input.creditTypes[1].code = 'm'.repeat(41);
    expect(errorsOf(input)).toEqual(['creditTypes[1].code: must be at most 40 characters']);
    input.creditTypes[1].code = 'm'.repeat(40);
    expect(errorsOf(input)).toEqual([]);
  });

  it('refuses duplicate credit type codes', () => {
    const input = validRuleSet();
    input.creditTypes[1].code = 'pk';
    expect(errorsOf(input)).toEqual(['creditTypes[1].code: duplicate credit type code "pk" (also creditTypes[0])']);
  });

  it('refuses minimums that add up to more than the requirement', () => {
    const input = validRuleSet();
    input.minimums = { pk: 100, other: 50 };
    expect(errorsOf(input)).toEqual(['minimums: group minimums add up to 150, more than required (144)']);
  });

  it('refuses caps that make the requirement or a minimum unreachable', () => {
    const input = validRuleSet();
    input.creditTypes[0].cap = 50;
    input.creditTypes[1].cap = 50;
    expect(errorsOf(input)).toEqual([
      'minimums.pk: minimum 74 cannot be reached: the caps of group "pk" allow only 50',
      'required: required 144 cannot be reached: the caps allow only 100',
    ]);
  });

  it('refuses a portfolio window on a calendar-year rule set', () => {
    const input = validRuleSet();
    input.period = { kind: 'calendarYear' };
    expect(errorsOf(input)).toEqual(['portfolioWindowMonths: a portfolio window needs a cycle period (it opens before the cycle ends)']);
  });

  it('refuses misspelt keys and wrong kinds of values with their paths', () => {
    const input = { ...validRuleSet(), requried: 144, version: 1.5, unit: 'hours' };
    const errors = errorsOf(input);
    expect(errors).toContain('version: must be a whole number');
    expect(errors.some((e) => e.startsWith('unit: '))).toBe(true);
    expect(errors.some((e) => e.startsWith('(rule set): ') && e.includes('requried'))).toBe(true);
  });

  it('refuses something that is not a rule set at all', () => {
    expect(parseRuleSet('144 ЗЕТ').ok).toBe(false);
    expect(parseRuleSet(null).ok).toBe(false);
  });

  it('refuses an in-force interval that ends before it starts', () => {
    const input = { ...validRuleSet(), inForce: { from: '2029-03-01', to: '2023-03-01' } };
    expect(errorsOf(input)).toEqual(['inForce: from (2029-03-01) is after to (2023-03-01)']);
  });
});
