import { evaluate, type CreditEntryInput, type GroupBalance } from '../credits/engine';
import { isIsoDate, type IsoDate } from '../shared/dates';
import { type CreditProfile, resolvePeriod } from '../credits/period';
import type { RuleSet } from '../rules/rule-set.schema';

/** What the overlap check and the projection need of a plan item (a PlanItem row maps onto it). */
export interface PlanItemInput {
  id: string;
  typeCode: string;
  startsOn: IsoDate;
  /** Last day, inclusive. */
  endsOn: IsoDate;
  hours: number;
  completed: boolean;
}

export interface PlanItemDraft {
  typeCode: string;
  title: string;
  provider?: string;
  startsOn: IsoDate;
  endsOn: IsoDate;
  hours: number;
  deadline?: IsoDate;
}

/** Why a plan item is refused; the bot words each code through locales (`plan.refused.<code>`). */
export type PlanItemProblem =
  | { code: 'unknown-type' }
  | { code: 'title-empty' }
  | { code: 'hours-below-min'; min: number }
  | { code: 'hours-above-max'; max: number }
  | { code: 'hours-off-step'; step: number }
  | { code: 'dates-invalid' }
  | { code: 'end-before-start' }
  | { code: 'deadline-invalid' };

export const TITLE_MAX_LENGTH = 200;

/** Checks a whole draft: a wizard's answers are checked one by one, and again together before saving. */
export function checkPlanItem(ruleSet: RuleSet, draft: PlanItemDraft): PlanItemProblem[] {
  const problems: PlanItemProblem[] = [];
  const type = ruleSet.creditTypes.find((t) => t.code === draft.typeCode);
  if (!type) problems.push({ code: 'unknown-type' });
  else problems.push(...checkHours(type.quantity, draft.hours));
  if (draft.title.trim() === '') problems.push({ code: 'title-empty' });
  if (!isIsoDate(draft.startsOn) || !isIsoDate(draft.endsOn)) problems.push({ code: 'dates-invalid' });
  else if (draft.endsOn < draft.startsOn) problems.push({ code: 'end-before-start' });
  if (draft.deadline !== undefined && !isIsoDate(draft.deadline)) problems.push({ code: 'deadline-invalid' });
  return problems;
}

export function checkHours(range: { min: number; max: number; step?: number }, hours: number): PlanItemProblem[] {
  if (hours < range.min) return [{ code: 'hours-below-min', min: range.min }];
  if (hours > range.max) return [{ code: 'hours-above-max', max: range.max }];
  if (range.step !== undefined && Math.abs(hours / range.step - Math.round(hours / range.step)) > 1e-9)
    return [{ code: 'hours-off-step', step: range.step }];
  return [];
}

/**
 * Ids of items whose dates overlap another item's. Both ends are inclusive days, so an item ending on
 * the day another starts overlaps it (both take that day), while one ending the day before does not.
 */
export function overlaps(items: ReadonlyArray<Pick<PlanItemInput, 'id' | 'startsOn' | 'endsOn'>>): Set<string> {
  const sorted = [...items].sort((a, b) => (a.startsOn < b.startsOn ? -1 : a.startsOn > b.startsOn ? 1 : 0));
  const flagged = new Set<string>();
  // Sweep by start: an item overlaps an earlier one iff it starts on or before the latest end seen so far.
  let latest: Pick<PlanItemInput, 'id' | 'endsOn'> | null = null;
  for (const item of sorted) {
    if (latest && item.startsOn <= latest.endsOn) {
      flagged.add(item.id);
      flagged.add(latest.id);
    }
    if (!latest || item.endsOn > latest.endsOn) latest = item;
  }
  return flagged;
}

export interface PlanProjection {
  /** The period's last day: the deadline the plan is measured against. */
  periodEnd: IsoDate;
  met: boolean;
  /** Credits still missing after the plan, 0 when met. */
  remaining: number;
  /** Groups with a minimum still short after the plan (e.g. ПК). */
  shortGroups: GroupBalance[];
  /** Items that counted: not completed, ending inside the period. */
  countedItemIds: string[];
}

/**
 * "If you finish this plan, will you meet the rule set by the period's end?" Open items ending inside
 * the period become hypothetical entries dated their last day; the engine evaluates as of the period end.
 *
 * @param today the person's current day, which decides the period
 */
export function projectPlan(
  ruleSet: RuleSet,
  entries: readonly CreditEntryInput[],
  items: readonly PlanItemInput[],
  profile: CreditProfile,
  today: IsoDate,
): PlanProjection {
  const period = resolvePeriod(ruleSet, profile, today);
  // Pinning the cycle start keeps a fallback period (unknown start) the same when evaluated at its end.
  const pinned: CreditProfile = ruleSet.period.kind === 'cycle' ? { ...profile, cycleStart: period.start } : profile;
  const counted = items.filter((item) => !item.completed && item.endsOn >= period.start && item.endsOn <= period.end);
  const hypothetical: CreditEntryInput[] = counted.map((item) => ({
    id: `plan:${item.id}`,
    typeCode: item.typeCode,
    quantity: item.hours,
    date: item.endsOn,
  }));
  const evaluation = evaluate(ruleSet, [...entries, ...hypothetical], pinned, period.end);
  return {
    periodEnd: period.end,
    met: evaluation.met,
    remaining: evaluation.remaining,
    shortGroups: evaluation.byGroup.filter((g) => g.shortfall > 0),
    countedItemIds: counted.map((item) => item.id),
  };
}

/** "01.02.2026 – 05.02.2026" or one date for a one-day item; null when either is not a real date. */
export function parseDateRange(text: string, parse: (date: string) => IsoDate | null): { startsOn: IsoDate; endsOn: IsoDate } | null {
  const parts = text.split(/\s*(?:—|–|\s-\s|\s+по\s+|\.\.)\s*|\s+-\s*|\s*-\s+/).filter((p) => p.trim() !== '');
  if (parts.length === 1) {
    const day = parse(parts[0]);
    return day ? { startsOn: day, endsOn: day } : null;
  }
  if (parts.length !== 2) return null;
  const startsOn = parse(parts[0]);
  const endsOn = parse(parts[1]);
  return startsOn && endsOn ? { startsOn, endsOn } : null;
}
