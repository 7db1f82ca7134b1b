import { escapeHtml } from '../../../core/shared/text';
import type { PortfolioGap, PortfolioView } from '../../../core/portfolio';
import type { BotContext } from '../../context';
import { formatDate, formatNumber, formatValues } from '../../format';
import { cutWithEllipsis } from '../../../infra/telegram/text-parts';

/**
 * How much of the goal the overview shows: a goal may be 4,000 characters, and the overview around it
 * must stay one message. A longer one is cut with «…», and «Цель полностью» shows it whole.
 */
export const GOAL_PREVIEW = 600;

/** True when the overview shows only the beginning of the goal. */
export function goalIsCut(goal: string | null): boolean {
  return goal !== null && goal.length > GOAL_PREVIEW;
}

/** The sentences of /portfolio built from codes: gaps, the submission window, the overview. */
export function gapText(ctx: BotContext, view: Pick<PortfolioView, 'ruleSet'>, gap: PortfolioGap): string {
  const unit = ctx.t(`credits.unit.${view.ruleSet.unit}`);
  switch (gap.code) {
    case 'group-below-minimum': {
      const type = view.ruleSet.creditTypes.find((t) => t.group === gap.group);
      const group = type?.name[ctx.lang] ?? gap.group;
      return ctx.t('portfolio.gap.group-below-minimum', {
        ...formatValues({ counted: gap.counted, minimum: gap.minimum }, ctx.lang),
        group,
        unit,
      });
    }
    case 'education-below-required':
      return ctx.t('portfolio.gap.education-below-required', {
        ...formatValues({ counted: gap.counted, required: gap.required }, ctx.lang),
        unit,
      });
    case 'items-without-document':
      return ctx.t('portfolio.gap.items-without-document', { count: gap.count });
    default:
      return ctx.t(`portfolio.gap.${gap.code}`);
  }
}

export function windowText(ctx: BotContext, window: PortfolioView['window']): string | null {
  if (!window) return null;
  return ctx.t(window.open ? 'portfolio.window-open' : 'portfolio.window-opens', { date: formatDate(window.opensOn, ctx.lang) });
}

/** Lines of the completeness summary, also printed in the PDF (plain text, not HTML). */
export function summaryLines(ctx: BotContext, view: PortfolioView): string[] {
  const unit = ctx.t(`credits.unit.${view.ruleSet.unit}`);
  const lines = [
    ctx.t('portfolio.education-total', {
      counted: formatNumber(view.completeness.educationCredits, ctx.lang),
      required: formatNumber(view.ruleSet.required, ctx.lang),
      unit,
    }),
    ...(view.completeness.complete ? [ctx.t('portfolio.complete')] : view.completeness.gaps.map((g) => gapText(ctx, view, g))),
  ];
  const window = windowText(ctx, view.window);
  return window ? [...lines, window] : lines;
}

export function overviewText(ctx: BotContext, view: PortfolioView): string {
  const { portfolio } = view;
  const report = view.items.filter((i) => i.item.section === 'ACTIVITY_REPORT').length;
  const education = view.items.length - report;
  return [
    ctx.t('portfolio.title', { name: escapeHtml(portfolio.name) }),
    ctx.t('portfolio.period', {
      start: formatDate(isoDate(portfolio.periodStart), ctx.lang),
      end: formatDate(isoDate(portfolio.periodEnd), ctx.lang),
    }),
    portfolio.goal
      ? ctx.t('portfolio.goal', { goal: escapeHtml(cutWithEllipsis(portfolio.goal, GOAL_PREVIEW)) })
      : ctx.t('portfolio.no-goal'),
    ctx.t('portfolio.parts', { report, education }),
    '',
    ctx.t(view.completeness.complete ? 'portfolio.summary-complete' : 'portfolio.summary-incomplete'),
    ...summaryLines(ctx, view).map((line) => `• ${escapeHtml(line)}`),
  ].join('\n');
}

export function isoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}
