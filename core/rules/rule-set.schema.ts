import { z } from 'zod';
import { isIsoDate } from '../shared/dates';

/**
 * A rule set is data, not code: an organization admin uploads one as JSON, and the engine in
 * core/credits evaluates a person's credit entries against it. Objects are strict so that a misspelt
 * key ("requried") is refused instead of silently ignored.
 */

const CODE = /^[a-z0-9][a-z0-9-]*$/;
const codeSchema = z.string().regex(CODE, 'must be lower-case latin letters, digits and dashes, e.g. "nmo-709n"');

const isoDateSchema = z.string().refine(isIsoDate, 'must be a calendar date in YYYY-MM-DD form');

export const localizedTextSchema = z.strictObject({
  ru: z.string().trim().min(1, 'must not be empty'),
  en: z.string().trim().min(1, 'must not be empty'),
});

export const ruleSetUnits = ['zet', 'points'] as const;
export const quantityUnits = ['hours', 'items', 'files', 'events', 'sessions'] as const;

const positiveNumber = z.number().finite().positive('must be greater than 0');
const nonNegativeNumber = z.number().finite().nonnegative('must not be negative');

export const quantityRangeSchema = z.strictObject({
  min: nonNegativeNumber,
  max: positiveNumber,
  /** Entered quantities must be multiples of it (1 for whole hours or items); absent: any number. */
  step: positiveNumber.optional(),
  unit: z.enum(quantityUnits),
});

/** A credit type's code travels in buttons (Telegram allows 64 bytes of callback data): it must stay short. */
export const MAX_CREDIT_TYPE_CODE_LENGTH = 40;

export const creditTypeSchema = z.strictObject({
  code: codeSchema.max(MAX_CREDIT_TYPE_CODE_LENGTH, `must be at most ${MAX_CREDIT_TYPE_CODE_LENGTH} characters`),
  name: localizedTextSchema,
  /** Credits (ЗЕТ or points) per unit of quantity. */
  weight: positiveNumber,
  /** What one entry of this type may record. */
  quantity: quantityRangeSchema,
  /** Most credits of this type counted within one period; absent: no cap. */
  cap: nonNegativeNumber.optional(),
  /** Types sharing a group are summed for the group's minimum (e.g. 'pk' for ПК programs). */
  group: codeSchema.optional(),
});

export const cyclePeriodSchema = z.strictObject({
  kind: z.literal('cycle'),
  years: z.number().int('must be a whole number of years').min(1, 'must be at least 1').max(10, 'must be at most 10'),
  /** The cycle starts on the date of the person's last accreditation (profile.cycleStart). */
  anchor: z.literal('lastAccreditation'),
});

export const calendarYearPeriodSchema = z.strictObject({
  /** 1 January to 31 December; everything resets on 1 January. */
  kind: z.literal('calendarYear'),
});

export const periodSchema = z.discriminatedUnion('kind', [cyclePeriodSchema, calendarYearPeriodSchema]);

export const ruleSetSchema = z
  .strictObject({
    code: codeSchema,
    version: z.number().int('must be a whole number').min(1, 'must be at least 1'),
    name: localizedTextSchema,
    unit: z.enum(ruleSetUnits),
    /** Where the rule comes from (an order, an article); informational. */
    source: z.string().trim().min(1).optional(),
    /** True for rule sets that are not law (the seed article's tables): offered, never assigned by default. */
    informal: z.boolean().optional(),
    /** Dates the rule is in force, inclusive; outside them the engine still evaluates but warns. */
    inForce: z.strictObject({ from: isoDateSchema, to: isoDateSchema.optional() }).optional(),
    creditTypes: z.array(creditTypeSchema).min(1, 'at least one credit type is required'),
    period: periodSchema,
    /** Credits required per period. */
    required: positiveNumber,
    /** Least credits per group per period, e.g. { "pk": 72 }. */
    minimums: z.record(codeSchema, nonNegativeNumber),
    /** Advice only: credits a year that keep a person comfortably on track. Never a failure. */
    yearlyRecommendation: positiveNumber.optional(),
    /** The portfolio may be submitted this many months before the cycle (the accreditation) ends. */
    portfolioWindowMonths: z.number().int('must be a whole number of months').nonnegative('must not be negative').optional(),
    /** Staff categories the rule set is meant for; absent: every category. */
    appliesTo: z.array(z.string().trim().min(1)).min(1, 'list at least one category or leave it out').optional(),
  })
  .superRefine((ruleSet, ctx) => {
    for (const issue of crossFieldIssues(ruleSet)) ctx.addIssue({ code: 'custom', ...issue });
  });

export type LocalizedText = z.infer<typeof localizedTextSchema>;
export type RuleSetUnit = (typeof ruleSetUnits)[number];
export type QuantityUnit = (typeof quantityUnits)[number];
export type QuantityRange = z.infer<typeof quantityRangeSchema>;
export type CreditType = z.infer<typeof creditTypeSchema>;
export type CyclePeriod = z.infer<typeof cyclePeriodSchema>;
export type CalendarYearPeriod = z.infer<typeof calendarYearPeriodSchema>;
export type PeriodDefinition = z.infer<typeof periodSchema>;
export type RuleSet = z.infer<typeof ruleSetSchema>;

interface CrossFieldIssue {
  path: (string | number)[];
  message: string;
}

/** Tolerance for comparing decimal amounts entered by people (0.1 + 0.2 and the like). */
const EPSILON = 1e-9;

/** Checks a schema alone cannot express: how fields relate to each other. */
function crossFieldIssues(ruleSet: RuleSet): CrossFieldIssue[] {
  const issues: CrossFieldIssue[] = [];
  const firstIndexByCode = new Map<string, number>();

  ruleSet.creditTypes.forEach((type, index) => {
    const at = ['creditTypes', index];
    const seen = firstIndexByCode.get(type.code);
    if (seen !== undefined) {
      issues.push({ path: [...at, 'code'], message: `duplicate credit type code "${type.code}" (also creditTypes[${seen}])` });
    } else {
      firstIndexByCode.set(type.code, index);
    }
    const { min, max, step } = type.quantity;
    if (min > max) {
      issues.push({ path: [...at, 'quantity'], message: `min (${min}) is greater than max (${max})` });
    } else if (step !== undefined && Math.ceil(min / step - EPSILON) * step > max + EPSILON) {
      issues.push({ path: [...at, 'quantity'], message: `no multiple of step ${step} lies between min ${min} and max ${max}` });
    }
  });

  const groups = new Set(ruleSet.creditTypes.flatMap((type) => (type.group ? [type.group] : [])));
  let minimumsSum = 0;
  for (const [group, minimum] of Object.entries(ruleSet.minimums)) {
    minimumsSum += minimum;
    if (!groups.has(group)) {
      const known = groups.size ? [...groups].map((g) => `"${g}"`).join(', ') : 'none';
      issues.push({ path: ['minimums', group], message: `no credit type belongs to group "${group}" (groups: ${known})` });
      continue;
    }
    const reachable = reachableCredits(ruleSet.creditTypes.filter((type) => type.group === group));
    if (reachable < minimum - EPSILON) {
      issues.push({
        path: ['minimums', group],
        message: `minimum ${minimum} cannot be reached: the caps of group "${group}" allow only ${reachable}`,
      });
    }
  }
  if (minimumsSum > ruleSet.required + EPSILON) {
    issues.push({ path: ['minimums'], message: `group minimums add up to ${minimumsSum}, more than required (${ruleSet.required})` });
  }

  const reachableTotal = reachableCredits(ruleSet.creditTypes);
  if (reachableTotal < ruleSet.required - EPSILON) {
    issues.push({ path: ['required'], message: `required ${ruleSet.required} cannot be reached: the caps allow only ${reachableTotal}` });
  }

  if (ruleSet.portfolioWindowMonths !== undefined) {
    if (ruleSet.period.kind !== 'cycle') {
      issues.push({ path: ['portfolioWindowMonths'], message: 'a portfolio window needs a cycle period (it opens before the cycle ends)' });
    } else if (ruleSet.portfolioWindowMonths > ruleSet.period.years * 12) {
      issues.push({
        path: ['portfolioWindowMonths'],
        message: `${ruleSet.portfolioWindowMonths} months is longer than the ${ruleSet.period.years}-year cycle`,
      });
    }
  }

  if (ruleSet.inForce?.to !== undefined && ruleSet.inForce.from > ruleSet.inForce.to) {
    issues.push({ path: ['inForce'], message: `from (${ruleSet.inForce.from}) is after to (${ruleSet.inForce.to})` });
  }
  return issues;
}

/** Most credits the given types can contribute in one period: infinite unless every one is capped. */
function reachableCredits(types: readonly CreditType[]): number {
  let sum = 0;
  for (const type of types) {
    if (type.cap === undefined) return Number.POSITIVE_INFINITY;
    sum += type.cap;
  }
  return sum;
}

export type ParseRuleSetResult = { ok: true; ruleSet: RuleSet } | { ok: false; errors: string[] };

/**
 * Validates an uploaded rule set. Each error names where it is and why, e.g.
 * `creditTypes[1].quantity: min (10) is greater than max (5)`, so the admin API can refuse with the reason.
 */
export function parseRuleSet(json: unknown): ParseRuleSetResult {
  const result = ruleSetSchema.safeParse(json);
  if (result.success) return { ok: true, ruleSet: result.data };
  return { ok: false, errors: result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`) };
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(rule set)';
  let text = '';
  for (const key of path) {
    if (typeof key === 'number') text += `[${key}]`;
    else text += text ? `.${String(key)}` : String(key);
  }
  return text;
}
