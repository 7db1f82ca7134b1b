import { InputFile } from 'grammy';
import { toEngineEntry, type Balance } from '../../../core/credits/credits.service';
import {
  countedProgress,
  creditSources,
  renderCreditsCsv,
  renderCreditsPdf,
  renderProgressChart,
  toCreditHistoryRows,
} from '../../../infra/render';
import type { BotContext } from '../../context';

/**
 * The picture and the files of /credits, built from the same balance the text shows, with every word
 * taken from locales/.
 */
export async function progressChartPhoto(ctx: BotContext, balance: Balance): Promise<InputFile> {
  const { ruleSet, evaluation } = balance;
  const t = ctx.t;
  const png = await renderProgressChart({
    period: evaluation.period,
    required: evaluation.required,
    asOf: evaluation.asOf,
    steps: countedProgress(ruleSet, balance.entries.map(toEngineEntry), evaluation),
    labels: {
      title: t('chart.title', { unit: t(`credits.unit.${ruleSet.unit}`) }),
      pace: t('chart.pace'),
      actual: t('chart.actual'),
      today: t('chart.today'),
      required: t('chart.required', { required: evaluation.required, unit: t(`credits.unit.${ruleSet.unit}`) }),
    },
    locale: ctx.lang,
  });
  return new InputFile(png, 'progress.png');
}

const verificationCodes = ['UNVERIFIED', 'VERIFIED', 'REJECTED'] as const;
const labelsOf = <K extends string>(keys: readonly K[], prefix: string, ctx: BotContext) =>
  Object.fromEntries(keys.map((k) => [k, ctx.t(`${prefix}.${k}`)])) as Record<K, string>;

export function creditsCsvFile(ctx: BotContext, balance: Balance): InputFile {
  const rows = toCreditHistoryRows(balance.entries, balance.ruleSet);
  const csv = renderCreditsCsv(rows, ctx.lang, {
    columns: {
      date: ctx.t('export.columns.date'),
      type: ctx.t('export.columns.type'),
      quantity: ctx.t('export.columns.quantity'),
      credits: ctx.t('export.columns.credits', { unit: ctx.t(`credits.unit.${balance.ruleSet.unit}`) }),
      title: ctx.t('export.columns.title'),
      source: ctx.t('export.columns.source'),
      verification: ctx.t('export.columns.verification'),
    },
    sources: labelsOf(creditSources, 'history.source', ctx),
    verifications: labelsOf(verificationCodes, 'history.state', ctx),
  });
  return new InputFile(csv, `nmo-credits-${balance.evaluation.asOf}.csv`);
}

export async function creditsPdfFile(ctx: BotContext, balance: Balance): Promise<InputFile> {
  const person = ctx.person!;
  const unit = ctx.t(`credits.unit.${balance.ruleSet.unit}`);
  const organization = person.organizationId ? await ctx.services.onboarding.organizationName(person.organizationId) : null;
  const pdf = await renderCreditsPdf({
    lang: ctx.lang,
    person: { name: person.fullName ?? '', organization },
    ruleSet: balance.ruleSet,
    evaluation: balance.evaluation,
    history: toCreditHistoryRows(balance.entries, balance.ruleSet),
    generatedAt: ctx.services.clock.now(),
    timeZone: person.timeZone,
    labels: {
      title: ctx.t('export.pdf.title'),
      person: ctx.t('export.pdf.person'),
      organization: ctx.t('export.pdf.organization'),
      ruleSet: ctx.t('export.pdf.rule-set'),
      period: ctx.t('export.pdf.period'),
      total: ctx.t('export.pdf.total', { unit }),
      required: ctx.t('export.pdf.required', { unit }),
      remaining: ctx.t('export.pdf.remaining', { unit }),
      byType: ctx.t('credits.by-type'),
      history: ctx.t('export.pdf.history'),
      noEntries: ctx.t('history.empty'),
      generatedAt: ctx.t('export.pdf.generated-at'),
      columns: {
        date: ctx.t('export.columns.date'),
        type: ctx.t('export.columns.type'),
        quantity: ctx.t('export.columns.quantity'),
        credits: ctx.t('export.columns.credits', { unit }),
        title: ctx.t('export.columns.title'),
        verification: ctx.t('export.columns.verification'),
        entries: ctx.t('export.columns.entries'),
        counted: ctx.t('export.columns.counted'),
        cap: ctx.t('export.columns.cap'),
      },
      verifications: labelsOf(verificationCodes, 'history.state', ctx),
    },
  });
  return new InputFile(pdf, `nmo-credits-${balance.evaluation.asOf}.pdf`);
}
