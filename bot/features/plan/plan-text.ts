import { escapeHtml } from '../../../core/shared/text';
import type { PlanItem } from '../../../generated/prisma/client';
import type { PlanOverview } from '../../../core/plan/plan.service';
import type { RuleSet } from '../../../core/rules/rule-set.schema';
import { isoDateOfDbDate } from '../../../core/shared/local-date';
import type { Lang, Translate } from '../../../infra/i18n';
import type { BotContext } from '../../context';
import { formatDate, formatNumber } from '../../format';

export function typeName(ruleSet: RuleSet, code: string, lang: 'ru' | 'en'): string {
  return ruleSet.creditTypes.find((t) => t.code === code)?.name[lang] ?? code;
}

/** "01.02.2027 — 10.02.2027", or one date for a one-day item. */
export function datesOf(item: Pick<PlanItem, 'startsOn' | 'endsOn'>, lang: 'ru' | 'en'): string {
  const start = formatDate(isoDateOfDbDate(item.startsOn), lang);
  const end = formatDate(isoDateOfDbDate(item.endsOn), lang);
  return start === end ? start : `${start} — ${end}`;
}

/** One line of the list (HTML), ⚠️ in front when its dates overlap another item's. */
export function itemLine(ctx: BotContext, overview: PlanOverview, item: PlanItem): string {
  return ctx.t(overview.overlapping.has(item.id) ? 'plan.item-overlapping' : 'plan.item', {
    dates: datesOf(item, ctx.lang),
    title: escapeHtml(item.title),
    type: escapeHtml(typeName(overview.ruleSet, item.creditTypeCode, ctx.lang)),
    hours: formatNumber(item.hours, ctx.lang),
    provider: item.provider ? escapeHtml(item.provider) : '',
  });
}

/** "If you finish this plan, …": met by the period end, or what would still be missing (and of which group). */
export function projectionLine(ctx: BotContext, overview: PlanOverview): string {
  return [projectionSentence(ctx.t, ctx.lang, overview), ...projectionGroups(ctx.t, ctx.lang, overview)].join(' ');
}

/** The projection's main sentence (the cabinet shows the same words as the chat). */
export function projectionSentence(t: Translate, lang: Lang, overview: Pick<PlanOverview, 'projection' | 'ruleSet'>): string {
  const { projection, ruleSet } = overview;
  const values = { periodEnd: formatDate(projection.periodEnd, lang), unit: t(`credits.unit.${ruleSet.unit}`) };
  if (projection.met) return t('plan.projection-met', values);
  return t('plan.projection-short', { ...values, remaining: formatNumber(projection.remaining, lang) });
}

/** Groups (ПК) still short after the plan, one sentence each. */
export function projectionGroups(t: Translate, lang: Lang, overview: Pick<PlanOverview, 'projection' | 'ruleSet'>): string[] {
  const { projection, ruleSet } = overview;
  if (projection.met) return [];
  return projection.shortGroups.map((g) =>
    t('plan.projection-group', {
      group: ruleSet.creditTypes.find((type) => type.group === g.group)?.name[lang] ?? g.group,
      shortfall: formatNumber(g.shortfall, lang),
    }),
  );
}
