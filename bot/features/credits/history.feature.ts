import { escapeHtml } from '../../../core/shared/text';
import { Composer, InlineKeyboard } from 'grammy';
import type { CreditEntry } from '../../../generated/prisma/client';
import { CreditsService } from '../../../core/credits/credits.service';
import type { RuleSet } from '../../../core/rules/rule-set.schema';
import { isoDateOfDbDate } from '../../../core/shared/local-date';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { answeringPress } from '../../shared/answering-press';
import { formatDate, formatNumber, formatValues } from '../../format';

/**
 * /history: what was counted, newest first, and the person's own unverified entries can be opened,
 * corrected (quantity, date — checked again) or deleted (confirmed). Every change is journaled by core.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);
const SHOWN = 15;

function entryLine(ctx: BotContext, ruleSet: RuleSet, entry: CreditEntry): string {
  const type = ruleSet.creditTypes.find((t) => t.code === entry.creditTypeCode);
  const credits = type ? entry.quantity * type.weight : entry.quantity;
  return ctx.t('history.line', {
    date: formatDate(isoDateOfDbDate(entry.occurredOn), ctx.lang),
    type: escapeHtml(type?.name[ctx.lang] ?? entry.creditTypeCode),
    credits: formatNumber(credits, ctx.lang),
    unit: ctx.t(`credits.unit.${ruleSet.unit}`),
    state: ctx.t(`history.state.${entry.verification}`),
    source: ctx.t(`history.source.${entry.source}`),
  });
}

async function showHistory(ctx: BotContext): Promise<void> {
  const person = ctx.person!;
  const [ruleSet, entries] = await Promise.all([
    ctx.services.credits.ruleSetOf(person),
    ctx.services.credits.history(person.id, SHOWN + 1),
  ]);
  if (entries.length === 0) {
    await ctx.reply(ctx.t('history.empty'), {
      reply_markup: new InlineKeyboard().text(ctx.t('credits.add-button'), callbackData.addStart),
    });
    return;
  }
  const shown = entries.slice(0, SHOWN);
  const lines = shown.map((e, i) => `${i + 1}. ${entryLine(ctx, ruleSet, e)}`);
  if (entries.length > SHOWN) lines.push(ctx.t('history.more', { count: SHOWN }));
  const keyboard = new InlineKeyboard();
  shown.forEach((e, i) => {
    if (CreditsService.isEditable(e)) keyboard.text(`✏️ ${i + 1}`, callbackData.entryCard(e.id));
    if (i % 5 === 4) keyboard.row();
  });
  await ctx.reply([ctx.t('history.title'), '', ...lines, '', ctx.t('history.hint')].join('\n'), {
    parse_mode: 'HTML',
    reply_markup: keyboard,
  });
}

linked.command('history', showHistory);
linked.callbackQuery(callbackPattern.history, (ctx) => answeringPress(ctx, () => showHistory(ctx)));

linked.callbackQuery(callbackPattern.entryCard, async (ctx) => {
  const entry = await ctx.services.credits.ownEntry(ctx.person!, ctx.match[1]);
  if (!entry || !CreditsService.isEditable(entry)) return refuse(ctx, entry ? 'entry-not-editable' : 'entry-not-found');
  await ctx.answerCallbackQuery();
  const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
  await ctx.reply(entryLine(ctx, ruleSet, entry), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard()
      .text(ctx.t('history.edit-quantity'), callbackData.entryEdit('q', entry.id))
      .text(ctx.t('history.edit-date'), callbackData.entryEdit('d', entry.id))
      .row()
      .text(ctx.t('history.delete'), callbackData.entryDelete(entry.id)),
  });
});

linked.callbackQuery(callbackPattern.entryEdit, async (ctx) => {
  const entry = await ctx.services.credits.ownEntry(ctx.person!, ctx.match[2]);
  if (!entry || !CreditsService.isEditable(entry)) return refuse(ctx, entry ? 'entry-not-editable' : 'entry-not-found');
  await ctx.answerCallbackQuery();
  const field = ctx.match[1] === 'q' ? 'quantity' : 'date';
  ctx.session.editCredit = { entryId: entry.id, field };
  await ctx.reply(field === 'quantity' ? ctx.t('history.ask-quantity') : ctx.t('add.ask-date'));
});

linked.callbackQuery(callbackPattern.entryDelete, async (ctx) => {
  const entry = await ctx.services.credits.ownEntry(ctx.person!, ctx.match[1]);
  if (!entry || !CreditsService.isEditable(entry)) return refuse(ctx, entry ? 'entry-not-editable' : 'entry-not-found');
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('history.confirm-delete'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('history.delete-confirmed'), callbackData.entryDeleteConfirmed(entry.id))
      .text(ctx.t('common.cancel'), callbackData.history),
  });
});

linked.callbackQuery(callbackPattern.entryDeleteConfirmed, async (ctx) => {
  const outcome = await ctx.services.credits.deleteEntry(ctx.person!, ctx.match[1]);
  if (!outcome.ok) return refuse(ctx, outcome.reason);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('history.deleted'), {
    reply_markup: new InlineKeyboard().text(ctx.t('credits.show-button'), callbackData.showCredits),
  });
});

/** The new quantity or date typed after «Изменить…». */
linked.on('message:text', async (ctx, next) => {
  const edit = ctx.session.editCredit;
  if (!edit || ctx.message.text.startsWith('/')) return next();
  const credits = ctx.services.credits;
  const person = ctx.person!;
  const entry = await credits.ownEntry(person, edit.entryId);
  if (!entry) {
    ctx.session.editCredit = undefined;
    return refuseMessage(ctx, 'entry-not-found');
  }
  const ruleSet = await credits.ruleSetOf(person);
  const today = credits.today(person);
  const checked =
    edit.field === 'quantity'
      ? credits.checkQuantity(ruleSet, entry.creditTypeCode, ctx.message.text, today)
      : credits.checkDate(ruleSet, entry.creditTypeCode, ctx.message.text, today, credits.periodOf(person, ruleSet));
  if (!checked.ok) {
    await ctx.reply(ctx.t(`add.refused.${checked.reason}`, formatValues(checked.params, ctx.lang)));
    return;
  }
  const patch = edit.field === 'quantity' ? { quantity: checked.value as number } : { date: checked.value as string };
  const outcome = await credits.updateEntry(person, entry.id, patch);
  ctx.session.editCredit = undefined;
  if (!outcome.ok) return refuseMessage(ctx, outcome.reason, outcome.params);
  await ctx.reply([ctx.t('history.updated'), entryLine(ctx, ruleSet, outcome.entry)].join('\n'), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard()
      .text(ctx.t('credits.show-button'), callbackData.showCredits)
      .text(ctx.t('history.button'), callbackData.history),
  });
});

async function refuse(ctx: BotContext, reason: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(`add.refused.${reason}`), show_alert: true });
}

async function refuseMessage(ctx: BotContext, reason: string, values?: Record<string, string | number>): Promise<void> {
  await ctx.reply(ctx.t(`add.refused.${reason}`, formatValues(values, ctx.lang)));
}

export { composer as historyFeature };
