import { InputFile } from 'grammy';
import { ACCESS_LEVELS, type PortfolioView } from '../../../core/portfolio';
import { renderPortfolioPdf, renderPortfolioXml } from '../../../infra/render';
import type { BotContext } from '../../context';
import { summaryLines } from './portfolio-text';

/** The two exports of /portfolio, every word taken from locales/. */
export async function portfolioPdfFile(ctx: BotContext, view: PortfolioView): Promise<InputFile> {
  const t = ctx.t;
  const pdf = await renderPortfolioPdf({
    lang: ctx.lang,
    view,
    categoryName: view.owner.category ? t(`category.${view.owner.category}`) : null,
    summaryLines: summaryLines(ctx, view),
    generatedAt: ctx.services.clock.now(),
    timeZone: ctx.person!.timeZone,
    labels: {
      title: t('portfolio.pdf.title'),
      person: t('portfolio.pdf.person'),
      category: t('portfolio.pdf.category'),
      specialty: t('portfolio.pdf.specialty'),
      organization: t('portfolio.pdf.organization'),
      period: t('portfolio.pdf.period'),
      goal: t('portfolio.pdf.goal'),
      summary: t('portfolio.pdf.summary'),
      activityReport: t('portfolio.pdf.activity-report'),
      education: t('portfolio.pdf.education'),
      noItems: t('portfolio.pdf.no-items'),
      hours: t('portfolio.pdf.hours'),
      date: t('portfolio.pdf.date'),
      link: t('portfolio.pdf.link'),
      documents: t('portfolio.pdf.documents'),
      access: t('portfolio.pdf.access'),
      accessLevels: Object.fromEntries(ACCESS_LEVELS.map((level) => [level, t(`portfolio.access.${level}`)])) as Record<
        (typeof ACCESS_LEVELS)[number],
        string
      >,
      generatedAt: t('portfolio.pdf.generated-at'),
    },
  });
  return new InputFile(pdf, `nmo-portfolio-${view.evaluation.asOf}.pdf`);
}

export function portfolioXmlFile(ctx: BotContext, view: PortfolioView): InputFile {
  const xml = renderPortfolioXml({ lang: ctx.lang, view, generatedAt: ctx.services.clock.now() });
  return new InputFile(xml, `nmo-portfolio-${view.evaluation.asOf}.xml`);
}
