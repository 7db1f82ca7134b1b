import type { Evaluation } from '../../../../core/credits/engine';
import type { PortfolioView } from '../../../../core/portfolio/portfolio.service';
import { isoDateOfDbDate } from '../../../../core/shared/local-date';
import type { Lang, Translate } from '../../../../infra/i18n';
import { formatNumber } from '../../../format';
import type { Portfolio } from '../wire';
import { documentView } from './entries-view';

/**
 * The portfolio of the current cycle with what is missing (the same completeness check /portfolio uses),
 * or, when none was made yet, when it may be submitted.
 */
export function portfolioView(
  view: PortfolioView | null,
  window: Evaluation['portfolioWindow'],
  unit: string,
  t: Translate,
  lang: Lang,
): Portfolio {
  const unitLabel = t(`credits.unit.${unit}`);
  if (!view) return { portfolio: null, window, unitLabel };
  const n = (v: number) => formatNumber(v, lang);
  const groupName = (group: string) => t(`credits.group.${group}`, { defaultValue: group });
  const gaps = view.completeness.gaps.map((gap) => {
    switch (gap.code) {
      case 'education-below-required':
        return t('portfolio.gap.education-below-required', { counted: n(gap.counted), required: n(gap.required), unit: unitLabel });
      case 'group-below-minimum':
        return t('portfolio.gap.group-below-minimum', {
          group: groupName(gap.group),
          counted: n(gap.counted),
          minimum: n(gap.minimum),
          unit: unitLabel,
        });
      case 'items-without-document':
        return t('portfolio.gap.items-without-document', { count: gap.count });
      default:
        return t(`portfolio.gap.${gap.code}`);
    }
  });
  const typeLabel = (typeCode: string) =>
    view.ruleSet.creditTypes.find((ct) => ct.code === typeCode)?.name[lang] ?? t(`portfolio.kind.${typeCode}`, { defaultValue: typeCode });
  return {
    portfolio: {
      name: view.portfolio.name,
      goal: view.portfolio.goal,
      period: { start: isoDateOfDbDate(view.portfolio.periodStart), end: isoDateOfDbDate(view.portfolio.periodEnd) },
      complete: view.completeness.complete,
      educationCredits: view.completeness.educationCredits,
      required: view.ruleSet.required,
      gaps,
      items: view.items.map(({ item, typeCode, date, documents }) => ({
        id: item.id,
        section: item.section,
        title: item.title,
        typeLabel: typeLabel(typeCode),
        description: item.description,
        hours: item.hours,
        date,
        url: item.url,
        accessLabel: t(`portfolio.access.${item.accessLevel}`),
        documents: documents.map((d) => documentView(d, t)),
      })),
    },
    window: view.window,
    unitLabel,
  };
}
