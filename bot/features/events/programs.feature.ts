import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { programSchema } from '../../../core/events/event-input';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { requireOrgAdmin } from '../../filters/org-admin';
import { escapeHtml, formatNumber } from '../../format';
import type { ProgramDraft } from './event-draft';
import { parseAmount, problemText, short, stale } from './event-text';

/**
 * /programs (#8): the organization's programs with goal, criteria, budget and number of events; a new one
 * is asked title → goal → criteria → budget (the last three may be skipped), and an active one archived
 * (its events stay; it is no longer offered for new events or edits). Events join a program in
 * /event_new or with «✏️ Изменить» in /events_admin.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

async function showPrograms(ctx: BotContext): Promise<void> {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const programs = await ctx.services.events.listPrograms(admin.organization.id);
  const keyboard = new InlineKeyboard().text(ctx.t('programs.new-button'), callbackData.programNew).row();
  for (const program of programs.filter((p) => !p.archivedAt)) keyboard.text(ctx.t('programs.archive-button', { title: short(program.title) }), callbackData.programArchive(program.id)).row();
  const none = ctx.t('events.edit.empty');
  const blocks = programs.map((p) =>
    ctx.t(p.archivedAt ? 'programs.item-archived' : 'programs.item', {
      title: escapeHtml(p.title),
      goal: escapeHtml(p.goal ?? none),
      criteria: escapeHtml(p.criteria ?? none),
      budget: p.budget === null ? none : ctx.t('events.edit.roubles', { amount: formatNumber(Number(p.budget), ctx.lang) }),
      events: p.events,
    }),
  );
  await ctx.reply([ctx.t('programs.title'), ...(blocks.length > 0 ? blocks : [ctx.t('programs.empty')])].join('\n\n'), { parse_mode: 'HTML', reply_markup: keyboard });
}

linked.command('programs', showPrograms);

linked.callbackQuery(callbackPattern.programNew, async (ctx) => {
  if (!(await requireOrgAdmin(ctx))) return;
  await ctx.answerCallbackQuery();
  const draft: ProgramDraft = { nonce: randomBytes(4).toString('hex'), step: 'title' };
  ctx.session.programNew = draft;
  ctx.session.eventNew = undefined;
  ctx.session.eventAdmin = undefined;
  ctx.session.eventEdit = undefined;
  await ctx.reply(ctx.t('programs.ask-title'), { reply_markup: new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.programNewCancel(draft.nonce)) });
});

linked.callbackQuery(callbackPattern.programArchive, async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const outcome = await ctx.services.events.archiveProgram(admin.organization.id, ctx.match[1], { type: 'admin', id: admin.person.id });
  if (!outcome.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t('programs.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('programs.archived', { title: outcome.program.title }));
  await showPrograms(ctx);
});

linked.callbackQuery(callbackPattern.programNewSkip, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (!draft || draft.step === 'title') return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await answer(ctx, draft, null);
});

linked.callbackQuery(callbackPattern.programNewCancel, async (ctx) => {
  if (!currentDraft(ctx, ctx.match[1])) return stale(ctx);
  ctx.session.programNew = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('programs.cancelled'));
});

linked.on('message:text', async (ctx, next) => {
  const draft = ctx.session.programNew;
  const text = ctx.message.text;
  if (!draft || text.startsWith('/')) return next();
  await answer(ctx, draft, text.trim());
});

/** One answer (null: skipped). A value the field cannot hold is explained, and the same question stays open. */
async function answer(ctx: BotContext, draft: ProgramDraft, value: string | null): Promise<void> {
  const skip = new InlineKeyboard().text(ctx.t('programs.skip'), callbackData.programNewSkip(draft.nonce)).text(ctx.t('common.cancel'), callbackData.programNewCancel(draft.nonce));
  switch (draft.step) {
    case 'title': {
      const parsed = programSchema.shape.title.safeParse(value ?? '');
      if (!parsed.success) return void (await ctx.reply(problemText(ctx, { field: 'title', code: parsed.error.issues[0].message })));
      ctx.session.programNew = { ...draft, step: 'goal', title: parsed.data };
      return void (await ctx.reply(ctx.t('programs.ask-goal'), { reply_markup: skip }));
    }
    case 'goal':
    case 'criteria': {
      const parsed = programSchema.shape[draft.step].safeParse(value || null);
      if (!parsed.success) return void (await ctx.reply(problemText(ctx, { field: draft.step, code: parsed.error.issues[0].message }), { reply_markup: skip }));
      ctx.session.programNew = draft.step === 'goal' ? { ...draft, step: 'criteria', goal: parsed.data } : { ...draft, step: 'budget', criteria: parsed.data };
      return void (await ctx.reply(ctx.t(draft.step === 'goal' ? 'programs.ask-criteria' : 'programs.ask-budget'), { reply_markup: skip }));
    }
    case 'budget': {
      const budget = value === null ? null : parseAmount(value);
      if (value !== null && budget === null) return void (await ctx.reply(ctx.t('events.problem.cost-invalid'), { reply_markup: skip }));
      const admin = await requireOrgAdmin(ctx);
      if (!admin) return void (ctx.session.programNew = undefined);
      const outcome = await ctx.services.events.createProgram(admin.organization.id, { title: draft.title!, goal: draft.goal ?? null, criteria: draft.criteria ?? null, budget }, { type: 'admin', id: admin.person.id });
      if (!outcome.ok) return void (await ctx.reply(outcome.reason === 'invalid' ? outcome.problems.map((p) => problemText(ctx, p)).join('\n') : ctx.t('programs.not-found'), { reply_markup: skip }));
      ctx.session.programNew = undefined;
      return void (await ctx.reply(ctx.t('programs.created', { title: outcome.program.title })));
    }
  }
}

function currentDraft(ctx: BotContext, nonce: string): ProgramDraft | null {
  const draft = ctx.session.programNew;
  return draft && draft.nonce === nonce ? draft : null;
}

export { composer as programsFeature };
