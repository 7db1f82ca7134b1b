import { Composer, InlineKeyboard } from 'grammy';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { answeringPress } from '../../shared/answering-press';
import { balanceMessage } from './balance-message';
import { creditsCsvFile, creditsPdfFile, lookUpProgressChart, sendProgressChart } from './credit-files';

/** /credits (R-CREDITS): the balance in a few lines, the progress chart, CSV/PDF exports, and the way into the cabinet. */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

async function showBalance(ctx: BotContext): Promise<void> {
  const balance = await ctx.services.credits.balance(ctx.person!);
  const keyboard = new InlineKeyboard()
    .text(ctx.t('credits.add-button'), callbackData.addStart)
    .text(ctx.t('history.button'), callbackData.history)
    .row()
    .text(ctx.t('export.csv-button'), callbackData.exportCsv)
    .text(ctx.t('export.pdf-button'), callbackData.exportPdf);
  // The cabinet shows all of it at once (chart, entries, cases, plan, portfolio); Telegram signs the person in.
  const cabinet = ctx.services.config.CABINET_URL;
  if (cabinet) keyboard.row().webApp(ctx.t('credits.cabinet-button'), cabinet);
  // The chart's file_id is looked up while the text goes out: one wait instead of two.
  const chart = lookUpProgressChart(ctx, balance);
  await ctx.reply(balanceMessage(balance, ctx.t, ctx.lang), { parse_mode: 'HTML' });
  await sendProgressChart(ctx, balance, { caption: ctx.t('chart.caption'), reply_markup: keyboard }, chart);
}

linked.command('credits', showBalance);
linked.callbackQuery(callbackPattern.showCredits, (ctx) => answeringPress(ctx, () => showBalance(ctx)));

linked.command('export', async (ctx) => {
  await ctx.reply(ctx.t('export.choose'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('export.csv-button'), callbackData.exportCsv)
      .text(ctx.t('export.pdf-button'), callbackData.exportPdf),
  });
});

linked.callbackQuery(callbackPattern.exportCsv, async (ctx) => {
  await ctx.answerCallbackQuery();
  const balance = await ctx.services.credits.balance(ctx.person!);
  await ctx.replyWithDocument(creditsCsvFile(ctx, balance), { caption: ctx.t('export.csv-caption') });
});

linked.callbackQuery(callbackPattern.exportPdf, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.replyWithChatAction('upload_document').catch(() => undefined);
  const balance = await ctx.services.credits.balance(ctx.person!);
  await ctx.replyWithDocument(await creditsPdfFile(ctx, balance), { caption: ctx.t('export.pdf-caption') });
});

export { composer as creditsFeature };
