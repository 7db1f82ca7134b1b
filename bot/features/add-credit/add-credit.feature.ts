import { escapeHtml } from '../../../core/shared/text';
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import type { CreditType } from '../../../core/rules/rule-set.schema';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { AddCreditDraft, BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { formatDate, formatNumber, formatValues } from '../../format';
import { receiveFile } from '../../shared/receive-file';

/**
 * /add (R-ENTRY): type from buttons → quantity within the type's range → date → confirm → saved with
 * the new balance, or a message naming what is wrong. The draft lives in the session; every button
 * carries the draft's nonce so a button from an abandoned draft is recognised as stale.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

async function begin(ctx: BotContext): Promise<void> {
  const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
  const draft: AddCreditDraft = { nonce: randomBytes(4).toString('hex'), step: 'type' };
  ctx.session.addCredit = draft;
  const keyboard = new InlineKeyboard();
  for (const type of ruleSet.creditTypes) keyboard.text(type.name[ctx.lang], callbackData.addType(draft.nonce, type.code)).row();
  keyboard.text(ctx.t('common.cancel'), callbackData.addCancel(draft.nonce));
  await ctx.reply(ctx.t('add.choose-type'), { reply_markup: keyboard });
}

linked.command('add', begin);
linked.callbackQuery(callbackPattern.addStart, async (ctx) => {
  await ctx.answerCallbackQuery();
  await begin(ctx);
});

linked.callbackQuery(callbackPattern.addType, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'type');
  if (!draft) return stale(ctx);
  const type = await findType(ctx, ctx.match[2]);
  if (!type) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  ctx.session.addCredit = { ...draft, step: 'quantity', typeCode: type.code };
  await askQuantity(ctx, type, draft.nonce);
});

linked.callbackQuery(callbackPattern.addToday, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'date');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await acceptDate(ctx, draft, formatDate(ctx.services.credits.today(ctx.person!), 'ru'));
});

linked.callbackQuery(callbackPattern.addNoProof, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'proof');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await showSummary(ctx, draft);
});

/** The proof step takes a file or a photo: stored like any document, attached once the entry is saved. */
linked.on(['message:document', 'message:photo'], async (ctx, next) => {
  const draft = ctx.session.addCredit;
  if (!draft || draft.step !== 'proof') return next();
  const stored = await receiveFile(ctx);
  if (!stored) return;
  await showSummary(ctx, { ...draft, documentId: stored.document.id });
});

linked.callbackQuery(callbackPattern.addCancel, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (!draft) return stale(ctx);
  ctx.session.addCredit = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('add.cancelled'));
});

linked.callbackQuery(callbackPattern.addConfirm, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'confirm');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  // Cleared before saving: a second press on «Save» finds no draft and saves nothing twice.
  ctx.session.addCredit = undefined;
  const outcome = await ctx.services.credits.addEntry(ctx.person!, {
    typeCode: draft.typeCode!,
    quantity: draft.quantity!,
    date: draft.date!,
  });
  if (!outcome.ok) {
    await ctx.reply(ctx.t(`add.refused.${outcome.reason}`, formatValues(outcome.params, ctx.lang)));
    return;
  }
  if (draft.documentId) {
    const attached = await ctx.services.documents.attach(ctx.person!, draft.documentId, { type: 'CREDIT_ENTRY', id: outcome.entry.id });
    if (!attached.ok) await ctx.reply(ctx.t(`documents.refused.${attached.reason}`));
  }
  const { evaluation: e, ruleSet } = outcome.balance;
  const unit = ctx.t(`credits.unit.${ruleSet.unit}`);
  await ctx.reply(
    [
      ctx.t('add.saved'),
      ctx.t('credits.total', { total: formatNumber(e.total, ctx.lang), required: formatNumber(e.required, ctx.lang), unit }),
      e.met ? ctx.t('credits.met') : ctx.t('credits.remaining', { remaining: formatNumber(e.remaining, ctx.lang), unit }),
    ].join('\n'),
    {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('credits.show-button'), callbackData.showCredits)
        .text(ctx.t('credits.add-more-button'), callbackData.addStart),
    },
  );
});

/** Typed answers to the quantity and date questions. Commands pass through to their features. */
linked.on('message:text', async (ctx, next) => {
  const draft = ctx.session.addCredit;
  if (!draft || ctx.message.text.startsWith('/')) return next();
  if (draft.step === 'quantity') {
    const credits = ctx.services.credits;
    const ruleSet = await credits.ruleSetOf(ctx.person!);
    const type = ruleSet.creditTypes.find((t) => t.code === draft.typeCode);
    if (!type) return next();
    const checked = credits.checkQuantity(ruleSet, type.code, ctx.message.text, credits.today(ctx.person!));
    if (!checked.ok) {
      await ctx.reply(ctx.t(`add.refused.${checked.reason}`, formatValues(checked.params, ctx.lang)));
      return askQuantity(ctx, type, draft.nonce);
    }
    ctx.session.addCredit = { ...draft, step: 'date', quantity: checked.value };
    return askDate(ctx, draft.nonce);
  }
  if (draft.step === 'date') return acceptDate(ctx, draft, ctx.message.text);
  if (draft.step === 'proof') {
    await ctx.reply(ctx.t('add.proof-expected'));
    return;
  }
  await ctx.reply(ctx.t('add.use-buttons'));
});

async function acceptDate(ctx: BotContext, draft: AddCreditDraft, text: string): Promise<void> {
  const credits = ctx.services.credits;
  const person = ctx.person!;
  const ruleSet = await credits.ruleSetOf(person);
  const checked = credits.checkDate(ruleSet, draft.typeCode!, text, credits.today(person), credits.periodOf(person, ruleSet));
  if (!checked.ok) {
    await ctx.reply(ctx.t(`add.refused.${checked.reason}`, formatValues(checked.params, ctx.lang)));
    return askDate(ctx, draft.nonce);
  }
  ctx.session.addCredit = { ...draft, step: 'proof', date: checked.value };
  await ctx.reply(ctx.t('add.ask-proof'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('add.no-proof'), callbackData.addNoProof(draft.nonce))
      .text(ctx.t('common.cancel'), callbackData.addCancel(draft.nonce)),
  });
}

/** The summary to confirm: what will be saved, and whether a proof is attached. */
async function showSummary(ctx: BotContext, draft: AddCreditDraft): Promise<void> {
  const confirmed: AddCreditDraft = { ...draft, step: 'confirm' };
  ctx.session.addCredit = confirmed;
  const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
  const type = ruleSet.creditTypes.find((t) => t.code === confirmed.typeCode)!;
  await ctx.reply(
    [
      ctx.t('add.summary', {
        type: escapeHtml(type.name[ctx.lang]),
        // Fractional amounts take the plural form "other"; i18next picks it from the count.
        quantity: ctx.t(`add.unit-count.${type.quantity.unit}`, {
          count: confirmed.quantity!,
          formattedCount: formatNumber(confirmed.quantity!, ctx.lang),
        }),
        credits: formatNumber(confirmed.quantity! * type.weight, ctx.lang),
        unit: ctx.t(`credits.unit.${ruleSet.unit}`),
        date: formatDate(confirmed.date!, ctx.lang),
      }),
      confirmed.documentId ? ctx.t('add.proof-attached') : ctx.t('add.proof-none'),
      '',
      ctx.t('add.save-question'),
    ].join('\n'),
    {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard()
        .text(ctx.t('add.confirm'), callbackData.addConfirm(draft.nonce))
        .text(ctx.t('common.cancel'), callbackData.addCancel(draft.nonce)),
    },
  );
}

async function askQuantity(ctx: BotContext, type: CreditType, nonce: string): Promise<void> {
  await ctx.reply(
    ctx.t('add.ask-quantity', {
      type: type.name[ctx.lang],
      min: formatNumber(Math.max(type.quantity.min, type.quantity.step ?? 0), ctx.lang),
      max: formatNumber(type.quantity.max, ctx.lang),
      quantityUnit: ctx.t(`add.unit-question.${type.quantity.unit}`),
    }),
    { reply_markup: new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.addCancel(nonce)) },
  );
}

async function askDate(ctx: BotContext, nonce: string): Promise<void> {
  await ctx.reply(ctx.t('add.ask-date'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('add.today'), callbackData.addToday(nonce))
      .text(ctx.t('common.cancel'), callbackData.addCancel(nonce)),
  });
}

function currentDraft(ctx: BotContext, nonce: string, step?: AddCreditDraft['step']): AddCreditDraft | null {
  const draft = ctx.session.addCredit;
  if (!draft || draft.nonce !== nonce || (step && draft.step !== step)) return null;
  return draft;
}

async function findType(ctx: BotContext, code: string): Promise<CreditType | undefined> {
  const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
  return ruleSet.creditTypes.find((t) => t.code === code);
}

async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
}

export { composer as addCreditFeature };
