import { InputFile } from 'grammy';
import type { InlineKeyboard } from 'grammy';
import { toEngineEntry, type Balance } from '../../../core/credits/credits.service';
import { countedProgress, creditSources, renderCreditsCsv, renderCreditsPdf, toCreditHistoryRows } from '../../../infra/render';
import { chartThreads } from '../../../infra/render/chart-threads';
import type { ProgressChartInput } from '../../../infra/render/progress-chart';
import type { BotContext } from '../../context';
import { isUnknownFile } from './chart-file-ids';

/**
 * The picture and the files of /credits, built from the same balance the text shows, with every word
 * taken from locales/.
 */
export function progressChartInput(ctx: BotContext, balance: Balance): ProgressChartInput {
  const { ruleSet, evaluation } = balance;
  const t = ctx.t;
  return {
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
  };
}

/** Charts being drawn in this process, by key: people asking for the same chart at once wait for one drawing. */
const drawing = new Map<string, Promise<Buffer>>();

function draw(key: string, input: ProgressChartInput): Promise<Buffer> {
  let png = drawing.get(key);
  if (!png) {
    png = chartThreads.render(input).finally(() => drawing.delete(key));
    drawing.set(key, png);
  }
  return png;
}

/** A progress chart's file_id being looked up (this process, else Redis), started ahead of the reply it follows. */
export interface ProgressChartLookup {
  input: ProgressChartInput;
  key: string;
  /** The file_id of the same chart sent before; null when none is known or the cache failed. */
  known: Promise<string | null>;
}

/** Starts looking up the chart of `balance`: /credits asks while its text answer is on its way. */
export function lookUpProgressChart(ctx: BotContext, balance: Balance): ProgressChartLookup {
  const input = progressChartInput(ctx, balance);
  const fileIds = ctx.services.chartFileIds;
  const key = fileIds.keyOf(input);
  return { input, key, known: fileIds.get(key).catch(() => null) };
}

/**
 * Sends the progress chart: by the file_id of the same chart sent before (any replica, any chat), or
 * drawn in a chart thread and remembered by the file_id Telegram gives it. A cache that fails (Redis,
 * a file Telegram forgot) costs a drawing, never the answer.
 */
export async function sendProgressChart(
  ctx: BotContext,
  balance: Balance,
  other: { caption: string; reply_markup: InlineKeyboard },
  lookup: ProgressChartLookup = lookUpProgressChart(ctx, balance),
): Promise<void> {
  const { input, key } = lookup;
  const fileIds = ctx.services.chartFileIds;
  const known = await lookup.known;
  if (known) {
    try {
      await ctx.replyWithPhoto(known, other);
      return;
    } catch (error) {
      if (!isUnknownFile(error)) throw error;
      await fileIds.forget(key).catch(() => undefined);
    }
  }
  await ctx.replyWithChatAction('upload_photo').catch(() => undefined);
  const png = await draw(key, input);
  const sent = await ctx.replyWithPhoto(new InputFile(png, 'progress.png'), other);
  const fileId = sent.photo.at(-1)?.file_id;
  if (fileId) {
    await fileIds.remember(key, fileId).catch((error: unknown) => {
      ctx.services.logger.warn({ err: error }, 'progress chart: its file_id was not remembered; it will be drawn again');
    });
  }
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
