import { type Balance, toEngineEntry } from '../../../../core/credits/credits.service';
import type { RuleSet } from '../../../../core/rules/rule-set.schema';
import type { Lang, Translate } from '../../../../infra/i18n';
import { countedProgress, type ProgressStep } from '../../../../infra/render/progress-steps';
import { formatNumber } from '../../../format';
import { paceSentenceKey } from '../../../pace-line';
import type { CreditTypeView, Cycle, ProgressPoint } from '../wire';

/**
 * The cycle as the cabinet's first screen shows it: the same balance /credits prints (one engine call in
 * CreditsService.balance), plus the chart's lines drawn from the same entries (countedProgress counts as
 * the engine counts, so the line ends exactly at the total).
 */
export function cycleView(balance: Balance, t: Translate, lang: Lang): Cycle {
  const { ruleSet, evaluation: e, entries } = balance;
  const unitLabel = t(`credits.unit.${ruleSet.unit}`);
  const n = (v: number) => formatNumber(v, lang);
  const typeName = (code: string) => ruleSet.creditTypes.find((ct) => ct.code === code)?.name[lang] ?? code;
  const engineEntries = entries.map(toEngineEntry);
  const groupName = (group: string) => t(`credits.group.${group}`, { defaultValue: group });

  return {
    ruleSet: { code: ruleSet.code, name: ruleSet.name[lang], unit: ruleSet.unit, unitLabel },
    period: e.period,
    asOf: e.asOf,
    daysLeft: e.daysLeft,
    total: e.total,
    required: e.required,
    remaining: e.remaining,
    percent: e.percent,
    met: e.met,
    pace: {
      status: e.pace.status,
      lag: e.pace.lag,
      expected: e.pace.expected,
      actual: e.pace.actual,
      // Whole numbers, as the chat says them: «106,48 by today» reads as false precision.
      sentence: plain(
        t(paceSentenceKey(e.pace), {
          expected: n(Math.round(e.pace.expected)),
          actual: n(Math.round(e.pace.actual)),
          unit: unitLabel,
        }),
      ),
    },
    byType: e.byType.map((type) => ({
      code: type.code,
      name: typeName(type.code),
      counted: type.counted,
      raw: type.raw,
      cap: type.cap ?? null,
      unverified: type.unverified,
    })),
    groups: e.byGroup
      .filter((g) => g.minimum !== null && g.minimum > 0)
      .map((g) => ({
        group: g.group,
        name: groupName(g.group),
        counted: g.counted,
        minimum: g.minimum!,
        shortfall: g.shortfall,
        progress: cumulative(
          countedProgress(
            ruleSet,
            engineEntries.filter((entry) => groupOf(ruleSet, entry.typeCode) === g.group),
            e,
          ),
        ),
      })),
    suggestions: e.met
      ? []
      : e.suggestions.slice(0, 3).map((s) =>
          s.actions
            .map((item) => {
              const type = ruleSet.creditTypes.find((ct) => ct.code === item.typeCode);
              const each = type
                ? t(`add.unit-count.${type.quantity.unit}`, { count: item.quantityEach, formattedCount: n(item.quantityEach) })
                : n(item.quantityEach);
              return t('credits.suggestion-item', { count: item.count, type: typeName(item.typeCode), each });
            })
            .join(' + '),
        ),
    warnings: e.warnings.map((w) => t(`credits.warning.${w}`, { defaultValue: w })),
    portfolioWindow: e.portfolioWindow,
    progress: cumulative(countedProgress(ruleSet, engineEntries, e)),
    creditTypes: creditTypesOf(ruleSet, t, lang),
  };
}

export function creditTypesOf(ruleSet: RuleSet, t: Translate, lang: Lang): CreditTypeView[] {
  return ruleSet.creditTypes.map((type) => ({
    code: type.code,
    name: type.name[lang],
    group: type.group ?? null,
    weight: type.weight,
    quantity: {
      min: type.quantity.min,
      max: type.quantity.max,
      step: type.quantity.step ?? null,
      unit: type.quantity.unit,
      unitLabel: t(`add.unit-question.${type.quantity.unit}`, { defaultValue: type.quantity.unit }),
    },
  }));
}

function groupOf(ruleSet: RuleSet, typeCode: string): string | undefined {
  return ruleSet.creditTypes.find((ct) => ct.code === typeCode)?.group;
}

/** Day steps → running totals, rounded to hundredths as the engine rounds. */
function cumulative(steps: readonly ProgressStep[]): ProgressPoint[] {
  let total = 0;
  return [...steps]
    .sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))
    .map((step) => {
      total = Math.round((total + step.credits) * 100) / 100;
      return { date: step.date, total };
    });
}

/** The chat's sentences carry a little HTML and emoji for Telegram; the page shows plain text. */
export function plain(text: string): string {
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .trim();
}
