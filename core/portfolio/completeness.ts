import type { RuleSet } from '../rules/rule-set.schema';

export type PortfolioSectionCode = 'ACTIVITY_REPORT' | 'EDUCATION';
export type AccessLevelCode = 'PRIVATE' | 'RESTRICTED' | 'PUBLIC';
export const ACCESS_LEVELS = ['PRIVATE', 'RESTRICTED', 'PUBLIC'] as const satisfies readonly AccessLevelCode[];

/** What the completeness check needs of an item: no database types, so it stays pure. */
export interface CheckedItem {
  section: PortfolioSectionCode;
  /** Education items: the credit type code (see `educationKindOf`); report items: 'report' or 'publication'. */
  typeCode: string | null;
  description: string | null;
  hours: number | null;
  documents: number;
}

/** Codes, not sentences: bot/ turns them into words through locales (`portfolio.gap.<code>`). */
export type PortfolioGap =
  | { code: 'no-goal' }
  | { code: 'no-activity-report' }
  | { code: 'no-education' }
  | { code: 'education-below-required'; counted: number; required: number }
  | { code: 'group-below-minimum'; group: string; counted: number; minimum: number }
  | { code: 'items-without-document'; count: number };

export interface Completeness {
  complete: boolean;
  /** Education credits as the rule set weighs them (hours × weight, known types only). */
  educationCredits: number;
  gaps: PortfolioGap[];
}

/**
 * What is missing before the portfolio can go to the accreditation commission: a goal, an activity
 * report with text, education that covers the rule set's requirement and group minimums (ПК), and a
 * supporting document for every item.
 */
export function checkCompleteness(
  portfolio: { goal: string | null; items: readonly CheckedItem[] },
  ruleSet: Pick<RuleSet, 'creditTypes' | 'required' | 'minimums'>,
): Completeness {
  const gaps: PortfolioGap[] = [];
  if (!portfolio.goal?.trim()) gaps.push({ code: 'no-goal' });
  const reports = portfolio.items.filter((i) => i.section === 'ACTIVITY_REPORT' && i.typeCode === 'report' && i.description?.trim());
  if (reports.length === 0) gaps.push({ code: 'no-activity-report' });

  const education = portfolio.items.filter((i) => i.section === 'EDUCATION');
  const byGroup = new Map<string, number>();
  let total = 0;
  for (const item of education) {
    const type = ruleSet.creditTypes.find((t) => t.code === item.typeCode);
    if (!type || !item.hours || item.hours <= 0) continue;
    const credits = item.hours * type.weight;
    total += credits;
    if (type.group) byGroup.set(type.group, (byGroup.get(type.group) ?? 0) + credits);
  }
  const educationCredits = round2(total);
  if (education.length === 0) gaps.push({ code: 'no-education' });
  else if (educationCredits < ruleSet.required)
    gaps.push({ code: 'education-below-required', counted: educationCredits, required: ruleSet.required });
  for (const [group, minimum] of Object.entries(ruleSet.minimums)) {
    const counted = round2(byGroup.get(group) ?? 0);
    if (counted < minimum) gaps.push({ code: 'group-below-minimum', group, counted, minimum });
  }

  const withoutDocument = portfolio.items.filter(
    (i) => i.documents === 0 && !(i.section === 'ACTIVITY_REPORT' && i.typeCode === 'report'),
  ).length;
  if (withoutDocument > 0) gaps.push({ code: 'items-without-document', count: withoutDocument });
  return { complete: gaps.length === 0, educationCredits, gaps };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
