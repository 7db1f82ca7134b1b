import { escapeHtml } from '../../../core/shared/text';
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { parseDateRange, TITLE_MAX_LENGTH, checkHours } from '../../../core/plan/plan';
import { parseRussianDate } from '../../../core/shared/local-date';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { formatNumber, formatValues } from '../../format';
import type { PlanDraft } from './plan-draft';
import { planIcsFile, planPdfFile } from './plan-files';
import { datesOf, itemLine, projectionLine, typeName } from './plan-text';
import { fitList } from '../../fit-list';

/**
 * /plan (R-PLAN): the plan with overlaps flagged and whether finishing it meets the rules; an add wizard
 * (kind → title → dates → hours → provider → confirm) whose buttons carry the draft's nonce; removal;
 * exports as .ics and PDF.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

async function showPlan(ctx: BotContext): Promise<void> {
  const overview = await ctx.services.plan.overview(ctx.person!);
  const tail = [...(overview.overlapping.size > 0 ? ['', ctx.t('plan.overlap-legend')] : []), '', projectionLine(ctx, overview)];
  // A long plan shows what fits and says where the rest is: the PDF and .ics below list every item.
  const { text } = fitList({
    head: [ctx.t('plan.title'), ''],
    items: overview.items.length === 0 ? [ctx.t('plan.empty')] : overview.items.map((item) => itemLine(ctx, overview, item)),
    tail,
    more: (count) => ctx.t('plan.more', { count }),
  });
  const keyboard = new InlineKeyboard().text(ctx.t('plan.add-button'), callbackData.planAdd);
  if (overview.items.length > 0)
    keyboard
      .text(ctx.t('plan.remove-button'), callbackData.planRemoveMenu)
      .row()
      .text(ctx.t('plan.ics-button'), callbackData.planIcs)
      .text(ctx.t('plan.pdf-button'), callbackData.planPdf);
  await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
}

linked.command('plan', showPlan);
linked.callbackQuery(callbackPattern.planShow, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showPlan(ctx);
});

linked.callbackQuery(callbackPattern.planAdd, async (ctx) => {
  await ctx.answerCallbackQuery();
  const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
  const draft: PlanDraft = { nonce: randomBytes(4).toString('hex'), step: 'kind' };
  ctx.session.plan = draft;
  const keyboard = new InlineKeyboard();
  for (const type of ruleSet.creditTypes) keyboard.text(type.name[ctx.lang], callbackData.planKind(draft.nonce, type.code)).row();
  keyboard.text(ctx.t('common.cancel'), callbackData.planCancel(draft.nonce));
  await ctx.reply(ctx.t('plan.choose-kind'), { reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.planKind, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'kind');
  const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
  if (!draft || !ruleSet.creditTypes.some((t) => t.code === ctx.match[2])) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  ctx.session.plan = { ...draft, step: 'title', typeCode: ctx.match[2] };
  await ctx.reply(ctx.t('plan.ask-title'), { reply_markup: cancelKeyboard(ctx, draft.nonce) });
});

linked.callbackQuery(callbackPattern.planNoProvider, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'provider');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await showSummary(ctx, draft);
});

linked.callbackQuery(callbackPattern.planCancel, async (ctx) => {
  if (!currentDraft(ctx, ctx.match[1])) return stale(ctx);
  ctx.session.plan = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('plan.cancelled'));
});

linked.callbackQuery(callbackPattern.planConfirm, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'confirm');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  // Cleared before saving: a second press finds no draft and saves nothing twice.
  ctx.session.plan = undefined;
  const outcome = await ctx.services.plan.add(ctx.person!, {
    typeCode: draft.typeCode!,
    title: draft.title!,
    provider: draft.provider,
    startsOn: draft.startsOn!,
    endsOn: draft.endsOn!,
    hours: draft.hours!,
  });
  if (!outcome.ok) {
    await ctx.reply(ctx.t(`plan.refused.${outcome.reason}`, formatValues(outcome.params, ctx.lang)));
    return;
  }
  await ctx.reply(ctx.t('plan.saved'));
  await showPlan(ctx);
});

linked.callbackQuery(callbackPattern.planRemoveMenu, async (ctx) => {
  await ctx.answerCallbackQuery();
  const overview = await ctx.services.plan.overview(ctx.person!);
  if (overview.items.length === 0) return void (await ctx.reply(ctx.t('plan.empty')));
  const keyboard = new InlineKeyboard();
  for (const item of overview.items)
    keyboard.text(`🗑 ${datesOf(item, ctx.lang)} · ${item.title}`.slice(0, 60), callbackData.planRemove(item.id)).row();
  await ctx.reply(ctx.t('plan.choose-remove'), { reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.planRemove, async (ctx) => {
  const outcome = await ctx.services.plan.remove(ctx.person!, ctx.match[1]);
  if (!outcome.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(`plan.refused.${outcome.reason}`) }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('plan.removed', { title: outcome.item.title }));
  await showPlan(ctx);
});

linked.callbackQuery(callbackPattern.planIcs, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.replyWithDocument(planIcsFile(ctx, await ctx.services.plan.overview(ctx.person!)), { caption: ctx.t('plan.ics-caption') });
});

linked.callbackQuery(callbackPattern.planPdf, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.replyWithChatAction('upload_document').catch(() => undefined);
  await ctx.replyWithDocument(await planPdfFile(ctx, await ctx.services.plan.overview(ctx.person!)), {
    caption: ctx.t('plan.pdf-caption'),
  });
});

/** Typed answers: title, dates, hours, provider. Commands pass through to their features. */
linked.on('message:text', async (ctx, next) => {
  const draft = ctx.session.plan;
  const text = ctx.message.text;
  if (!draft || text.startsWith('/')) return next();
  const cancel = { reply_markup: cancelKeyboard(ctx, draft.nonce) };
  switch (draft.step) {
    case 'title': {
      const title = text.trim();
      if (title === '' || title.length > TITLE_MAX_LENGTH)
        return void (await ctx.reply(ctx.t('plan.refused.title-empty', { max: TITLE_MAX_LENGTH }), cancel));
      ctx.session.plan = { ...draft, step: 'dates', title };
      return void (await ctx.reply(ctx.t('plan.ask-dates'), cancel));
    }
    case 'dates': {
      const range = parseDateRange(text, parseRussianDate);
      if (!range) return void (await ctx.reply(ctx.t('plan.refused.dates-invalid'), cancel));
      if (range.endsOn < range.startsOn) return void (await ctx.reply(ctx.t('plan.refused.end-before-start'), cancel));
      ctx.session.plan = { ...draft, step: 'hours', ...range };
      const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
      const type = ruleSet.creditTypes.find((t) => t.code === draft.typeCode)!;
      return void (await ctx.reply(
        ctx.t('plan.ask-hours', { min: formatNumber(type.quantity.min, ctx.lang), max: formatNumber(type.quantity.max, ctx.lang) }),
        cancel,
      ));
    }
    case 'hours': {
      const normalised = text.trim().replace(',', '.');
      const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
      const type = ruleSet.creditTypes.find((t) => t.code === draft.typeCode)!;
      if (!/^\d{1,6}(\.\d{1,2})?$/.test(normalised)) return void (await ctx.reply(ctx.t('plan.refused.hours-not-a-number'), cancel));
      const [problem] = checkHours(type.quantity, Number(normalised));
      if (problem) {
        const { code, ...params } = problem;
        return void (await ctx.reply(ctx.t(`plan.refused.${code}`, formatValues(params, ctx.lang)), cancel));
      }
      ctx.session.plan = { ...draft, step: 'provider', hours: Number(normalised) };
      return void (await ctx.reply(ctx.t('plan.ask-provider'), {
        reply_markup: new InlineKeyboard()
          .text(ctx.t('plan.no-provider'), callbackData.planNoProvider(draft.nonce))
          .text(ctx.t('common.cancel'), callbackData.planCancel(draft.nonce)),
      }));
    }
    case 'provider':
      return showSummary(ctx, { ...draft, provider: text.trim().slice(0, TITLE_MAX_LENGTH) });
    default:
      await ctx.reply(ctx.t('add.use-buttons'));
  }
});

async function showSummary(ctx: BotContext, draft: PlanDraft): Promise<void> {
  const confirmed: PlanDraft = { ...draft, step: 'confirm' };
  ctx.session.plan = confirmed;
  const ruleSet = await ctx.services.credits.ruleSetOf(ctx.person!);
  await ctx.reply(
    ctx.t('plan.summary', {
      type: escapeHtml(typeName(ruleSet, confirmed.typeCode!, ctx.lang)),
      title: escapeHtml(confirmed.title!),
      dates: datesOf(
        { startsOn: new Date(`${confirmed.startsOn}T00:00:00Z`), endsOn: new Date(`${confirmed.endsOn}T00:00:00Z`) },
        ctx.lang,
      ),
      hours: formatNumber(confirmed.hours!, ctx.lang),
      provider: confirmed.provider ? escapeHtml(confirmed.provider) : '—',
    }),
    {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard()
        .text(ctx.t('plan.confirm'), callbackData.planConfirm(draft.nonce))
        .text(ctx.t('common.cancel'), callbackData.planCancel(draft.nonce)),
    },
  );
}

function cancelKeyboard(ctx: BotContext, nonce: string): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.planCancel(nonce));
}

function currentDraft(ctx: BotContext, nonce: string, step?: PlanDraft['step']): PlanDraft | null {
  const draft = ctx.session.plan;
  if (!draft || draft.nonce !== nonce || (step && draft.step !== step)) return null;
  return draft;
}

async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
}

export { composer as planFeature };
