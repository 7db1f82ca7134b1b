import { InputFile } from 'grammy';
import type { PlanOverview } from '../../../core/plan/plan.service';
import { isoDateOfDbDate } from '../../../core/shared/local-date';
import { renderPlanIcs, renderPlanPdf } from '../../../infra/render';
import type { BotContext } from '../../context';
import { formatNumber } from '../../format';
import { projectionLine, typeName } from './plan-text';

/** The plan as a calendar file for the phone, every word from locales/. */
export function planIcsFile(ctx: BotContext, overview: PlanOverview): InputFile {
  const ics = renderPlanIcs({
    calendarName: ctx.t('plan.ics.calendar-name'),
    uidDomain: 'nmo-assistant',
    generatedAt: ctx.services.clock.now(),
    events: overview.items.map((item) => ({
      id: item.id,
      startsOn: isoDateOfDbDate(item.startsOn),
      endsOn: isoDateOfDbDate(item.endsOn),
      summary: ctx.t('plan.ics.summary', { title: item.title, type: typeName(overview.ruleSet, item.creditTypeCode, ctx.lang) }),
      description: [
        item.provider ? ctx.t('plan.ics.provider', { provider: item.provider }) : null,
        ctx.t('plan.ics.hours', { hours: formatNumber(item.hours, ctx.lang) }),
      ]
        .filter((line): line is string => line !== null)
        .join('\n'),
      alarm: ctx.t('plan.ics.alarm', { title: item.title }),
    })),
  });
  return new InputFile(ics, 'nmo-plan.ics');
}

/** The plan as a PDF to share with a manager. */
export async function planPdfFile(ctx: BotContext, overview: PlanOverview): Promise<InputFile> {
  const person = ctx.person!;
  const organization = person.organizationId ? await ctx.services.onboarding.organizationName(person.organizationId) : null;
  const pdf = await renderPlanPdf({
    lang: ctx.lang,
    person: { name: person.fullName ?? '', organization },
    ruleSetName: overview.ruleSet.name[ctx.lang],
    period: overview.period,
    items: overview.items.map((item) => ({
      startsOn: isoDateOfDbDate(item.startsOn),
      endsOn: isoDateOfDbDate(item.endsOn),
      title: item.title,
      typeName: typeName(overview.ruleSet, item.creditTypeCode, ctx.lang),
      provider: item.provider,
      hours: item.hours,
      deadline: item.deadline ? isoDateOfDbDate(item.deadline) : null,
      overlaps: overview.overlapping.has(item.id),
    })),
    generatedAt: ctx.services.clock.now(),
    timeZone: person.timeZone,
    labels: {
      title: ctx.t('plan.pdf.title'),
      person: ctx.t('export.pdf.person'),
      organization: ctx.t('export.pdf.organization'),
      ruleSet: ctx.t('export.pdf.rule-set'),
      period: ctx.t('export.pdf.period'),
      items: ctx.t('plan.pdf.items'),
      noItems: ctx.t('plan.empty'),
      overlapMark: ctx.t('plan.pdf.overlap-mark'),
      overlapLegend: ctx.t('plan.pdf.overlap-legend'),
      projectionTitle: ctx.t('plan.pdf.projection'),
      projection: projectionLine(ctx, overview),
      generatedAt: ctx.t('export.pdf.generated-at'),
      columns: {
        dates: ctx.t('plan.pdf.columns.dates'),
        title: ctx.t('plan.pdf.columns.title'),
        type: ctx.t('plan.pdf.columns.type'),
        provider: ctx.t('plan.pdf.columns.provider'),
        hours: ctx.t('plan.pdf.columns.hours'),
        deadline: ctx.t('plan.pdf.columns.deadline'),
      },
    },
  });
  return new InputFile(pdf, `nmo-plan-${ctx.services.credits.today(person)}.pdf`);
}
