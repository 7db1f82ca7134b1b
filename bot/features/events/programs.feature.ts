import { clampPage, pageLine, pagerRow, paginate } from '../../keyboards/pager';
import { cutWithEllipsis } from '../../../infra/telegram/text-parts';
import { escapeHtml } from '../../../core/shared/text';
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { programSchema } from '../../../core/events/event-input';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { requireOrgAdmin } from '../../filters/org-admin';
import { formatNumber } from '../../format';
import type { Program } from '../../../generated/prisma/client';
import type { ProgramDraft, ProgramEditDraft, ProgramField } from './event-draft';
import { parseAmount, problemText, short, stale } from './event-text';

/**
 * /programs (#8): the organization's programs with goal, criteria, budget and number of events; a new one
 * is asked title → goal → criteria → budget (the last three may be skipped). An active one is edited
 * field by field (before → after, like an event's edit), or archived after a second press (its events
 * stay; it is no longer offered for new events or edits); an archived one may be restored. Events join a
 * program in /event_new or with «✏️ Изменить» in /events_admin.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

/** Each field's button letter; the order is the order of the buttons. */
const PROGRAM_FIELDS: Record<string, ProgramField> = { t: 'title', g: 'goal', c: 'criteria', b: 'budget' };

/** Programs per page: each has two buttons; goal and criteria are cut in the list (the program report has them whole). */
const PROGRAMS_PER_PAGE = 8;
const LIST_TEXT = 400;

async function showPrograms(ctx: BotContext, requestedPage = 0): Promise<void> {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const programs = await ctx.services.events.listPrograms(admin.organization.id);
  const none = ctx.t('events.edit.empty');
  const blocks = programs.map((p) =>
    ctx.t(p.archivedAt ? 'programs.item-archived' : 'programs.item', {
      title: escapeHtml(p.title),
      goal: escapeHtml(cutWithEllipsis(p.goal ?? none, LIST_TEXT)),
      criteria: escapeHtml(cutWithEllipsis(p.criteria ?? none, LIST_TEXT)),
      budget: p.budget === null ? none : ctx.t('events.edit.roubles', { amount: formatNumber(Number(p.budget), ctx.lang) }),
      events: p.events,
    }),
  );
  const pages = paginate(blocks, { perPage: PROGRAMS_PER_PAGE });
  const page = clampPage(requestedPage, pages.length);
  const keyboard = new InlineKeyboard().text(ctx.t('programs.new-button'), callbackData.programNew).row();
  for (const index of pages[page]) {
    const program = programs[index];
    if (program.archivedAt)
      keyboard.text(ctx.t('programs.restore-button', { title: short(program.title) }), callbackData.programRestore(program.id)).row();
    else
      keyboard
        .text(ctx.t('programs.edit-button', { title: short(program.title) }), callbackData.programEdit(program.id))
        .text(ctx.t('programs.archive-button', { title: short(program.title) }), callbackData.programArchive(program.id))
        .row();
  }
  pagerRow(keyboard, ctx.t, page, pages.length, (p) => callbackData.programsPage(p));
  const head = [ctx.t('programs.title'), ...pageLine(ctx.t, page, pages.length)].join('\n');
  const shown = pages[page].map((index) => blocks[index]);
  await ctx.reply([head, ...(shown.length > 0 ? shown : [ctx.t('programs.empty')])].join('\n\n'), {
    parse_mode: 'HTML',
    reply_markup: keyboard,
  });
}

linked.command('programs', (ctx) => showPrograms(ctx));
linked.callbackQuery(callbackPattern.programsPage, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showPrograms(ctx, Number(ctx.match[1]));
});

linked.callbackQuery(callbackPattern.programNew, async (ctx) => {
  if (!(await requireOrgAdmin(ctx))) return;
  await ctx.answerCallbackQuery();
  const draft: ProgramDraft = { nonce: randomBytes(4).toString('hex'), step: 'title' };
  ctx.session.programNew = draft;
  ctx.session.programEdit = undefined;
  ctx.session.eventNew = undefined;
  ctx.session.eventAdmin = undefined;
  ctx.session.eventEdit = undefined;
  await ctx.reply(ctx.t('programs.ask-title'), {
    reply_markup: new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.programNewCancel(draft.nonce)),
  });
});

/** First press: what archiving means, and a second button that does it. */
linked.callbackQuery(callbackPattern.programArchive, async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const program = await programOf(ctx, admin.organization.id, ctx.match[1]);
  if (!program) return notFound(ctx);
  if (program.archivedAt)
    return void (await ctx.answerCallbackQuery({ text: ctx.t('programs.archived', { title: program.title }), show_alert: true }));
  await settle(ctx);
  const draft = startEdit(ctx, { nonce: randomBytes(4).toString('hex'), programId: program.id, action: 'archive' });
  await ctx.reply(ctx.t('programs.archive-confirm', { title: program.title }), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('programs.archive-yes'), callbackData.programArchiveConfirm(draft.nonce))
      .row()
      .text(ctx.t('common.cancel'), callbackData.programEditCancel(draft.nonce)),
  });
});

linked.callbackQuery(callbackPattern.programArchiveConfirm, async (ctx) => {
  const draft = currentEdit(ctx, ctx.match[1]);
  if (draft?.action !== 'archive') return stale(ctx);
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  await settle(ctx);
  ctx.session.programEdit = undefined;
  const outcome = await ctx.services.events.archiveProgram(admin.organization.id, draft.programId, { type: 'admin', id: admin.person.id });
  if (!outcome.ok) return void (await ctx.reply(ctx.t('programs.not-found')));
  await ctx.reply(ctx.t('programs.archived', { title: outcome.program.title }));
  await showPrograms(ctx);
});

/** Restoring takes one press: nothing is lost by it, and archiving again is at hand. */
linked.callbackQuery(callbackPattern.programRestore, async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const program = await programOf(ctx, admin.organization.id, ctx.match[1]);
  if (!program) return notFound(ctx);
  if (!program.archivedAt)
    return void (await ctx.answerCallbackQuery({ text: ctx.t('programs.not-archived', { title: program.title }), show_alert: true }));
  const outcome = await ctx.services.events.restoreProgram(admin.organization.id, program.id, { type: 'admin', id: admin.person.id });
  if (!outcome.ok) return notFound(ctx);
  await settle(ctx);
  await ctx.reply(ctx.t('programs.restored', { title: outcome.program.title }));
  await showPrograms(ctx);
});

linked.callbackQuery(callbackPattern.programEdit, async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const program = await programOf(ctx, admin.organization.id, ctx.match[1]);
  if (!program) return notFound(ctx);
  if (program.archivedAt)
    return void (await ctx.answerCallbackQuery({ text: ctx.t('programs.edit-archived', { title: program.title }), show_alert: true }));
  await ctx.answerCallbackQuery();
  const draft = startEdit(ctx, { nonce: randomBytes(4).toString('hex'), programId: program.id, action: 'edit' });
  const keyboard = new InlineKeyboard();
  Object.entries(PROGRAM_FIELDS).forEach(([letter, field], i) => {
    keyboard.text(ctx.t(`programs.field.${field}`), callbackData.programEditField(draft.nonce, letter));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text(ctx.t('common.cancel'), callbackData.programEditCancel(draft.nonce));
  await ctx.reply(ctx.t('programs.choose-field', { title: program.title }), { reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.programEditField, async (ctx) => {
  const draft = currentEdit(ctx, ctx.match[1]);
  const field = PROGRAM_FIELDS[ctx.match[2]];
  if (draft?.action !== 'edit' || !field) return stale(ctx);
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const program = await programOf(ctx, admin.organization.id, draft.programId);
  if (!program) return notFound(ctx);
  await settle(ctx);
  ctx.session.programEdit = { ...draft, field };
  const keyboard = new InlineKeyboard();
  if (field !== 'title') keyboard.text(ctx.t('programs.clear'), callbackData.programEditClear(draft.nonce));
  keyboard.text(ctx.t('common.cancel'), callbackData.programEditCancel(draft.nonce));
  await ctx.reply(
    ctx.t('programs.ask-value', { field: ctx.t(`programs.field.${field}`), title: program.title, current: shown(ctx, field, program) }),
    { reply_markup: keyboard },
  );
});

linked.callbackQuery(callbackPattern.programEditClear, async (ctx) => {
  const draft = currentEdit(ctx, ctx.match[1]);
  if (!draft?.field || draft.field === 'title') return stale(ctx);
  await settle(ctx);
  await save(ctx, draft, draft.field, null);
});

linked.callbackQuery(callbackPattern.programEditCancel, async (ctx) => {
  const draft = currentEdit(ctx, ctx.match[1]);
  if (!draft) return stale(ctx);
  ctx.session.programEdit = undefined;
  await settle(ctx);
  if (draft.action === 'edit') return void (await ctx.reply(ctx.t('programs.edit-cancelled')));
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const program = await programOf(ctx, admin.organization.id, draft.programId);
  await ctx.reply(program ? ctx.t('programs.archive-kept', { title: program.title }) : ctx.t('programs.not-found'));
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
  const text = ctx.message.text;
  if (text.startsWith('/')) return next();
  const edit = ctx.session.programEdit;
  if (edit?.action === 'edit') return typedValue(ctx, edit, text.trim());
  const draft = ctx.session.programNew;
  if (!draft) return next();
  await answer(ctx, draft, text.trim());
});

/** A field's new value as typed. A value the field cannot hold is explained and the admin stays on the field. */
async function typedValue(ctx: BotContext, draft: ProgramEditDraft, text: string): Promise<void> {
  const cancel = new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.programEditCancel(draft.nonce));
  if (!draft.field) return void (await ctx.reply(ctx.t('add.use-buttons')));
  if (draft.field === 'budget') {
    const budget = parseAmount(text);
    if (budget === null) return void (await ctx.reply(ctx.t('events.problem.cost-invalid'), { reply_markup: cancel }));
    return save(ctx, draft, 'budget', budget);
  }
  const parsed = programSchema.shape[draft.field].safeParse(text);
  if (!parsed.success)
    return void (await ctx.reply(problemText(ctx, { field: draft.field, code: parsed.error.issues[0].message }), { reply_markup: cancel }));
  await save(ctx, draft, draft.field, text);
}

/** EventsService checks the whole program again and journals before and after; the answer shows both. */
async function save(ctx: BotContext, draft: ProgramEditDraft, field: ProgramField, value: string | number | null): Promise<void> {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return void (ctx.session.programEdit = undefined);
  const before = await programOf(ctx, admin.organization.id, draft.programId);
  if (!before) {
    ctx.session.programEdit = undefined;
    return void (await ctx.reply(ctx.t('programs.not-found')));
  }
  const outcome = await ctx.services.events.updateProgram(
    admin.organization.id,
    draft.programId,
    { [field]: value },
    { type: 'admin', id: admin.person.id },
  );
  if (!outcome.ok) {
    if (outcome.reason !== 'invalid') {
      ctx.session.programEdit = undefined;
      return void (await ctx.reply(ctx.t('programs.not-found')));
    }
    // The draft stays on this field: the admin types another value (or cancels).
    return void (await ctx.reply(outcome.problems.map((p) => problemText(ctx, p)).join('\n'), {
      reply_markup: new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.programEditCancel(draft.nonce)),
    }));
  }
  ctx.session.programEdit = undefined;
  await ctx.reply(
    ctx.t('programs.saved', {
      title: outcome.program.title,
      field: ctx.t(`programs.field.${field}`),
      before: shown(ctx, field, before),
      after: shown(ctx, field, outcome.program),
    }),
  );
}

/** A field's value as the admin reads it; empty is a dash, the budget in roubles. */
function shown(ctx: BotContext, field: ProgramField, program: Program): string {
  const value = program[field];
  if (value === null || value === '') return ctx.t('events.edit.empty');
  return field === 'budget' ? ctx.t('events.edit.roubles', { amount: formatNumber(Number(value), ctx.lang) }) : String(value);
}

async function programOf(ctx: BotContext, organizationId: string, programId: string): Promise<Program | undefined> {
  return (await ctx.services.events.listPrograms(organizationId)).find((p) => p.id === programId);
}

/** A new confirmation or edit replaces every other wizard that waits for typed text. */
function startEdit(ctx: BotContext, draft: ProgramEditDraft): ProgramEditDraft {
  ctx.session.programEdit = draft;
  ctx.session.programNew = undefined;
  ctx.session.eventNew = undefined;
  ctx.session.eventAdmin = undefined;
  ctx.session.eventEdit = undefined;
  return draft;
}

function currentEdit(ctx: BotContext, nonce: string): ProgramEditDraft | null {
  const draft = ctx.session.programEdit;
  return draft && draft.nonce === nonce ? draft : null;
}

/** The pressed message loses its buttons, so it cannot be answered twice. */
async function settle(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
}

async function notFound(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('programs.not-found'), show_alert: true });
}

/** One answer (null: skipped). A value the field cannot hold is explained, and the same question stays open. */
async function answer(ctx: BotContext, draft: ProgramDraft, value: string | null): Promise<void> {
  const skip = new InlineKeyboard()
    .text(ctx.t('programs.skip'), callbackData.programNewSkip(draft.nonce))
    .text(ctx.t('common.cancel'), callbackData.programNewCancel(draft.nonce));
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
      if (!parsed.success)
        return void (await ctx.reply(problemText(ctx, { field: draft.step, code: parsed.error.issues[0].message }), {
          reply_markup: skip,
        }));
      ctx.session.programNew =
        draft.step === 'goal' ? { ...draft, step: 'criteria', goal: parsed.data } : { ...draft, step: 'budget', criteria: parsed.data };
      return void (await ctx.reply(ctx.t(draft.step === 'goal' ? 'programs.ask-criteria' : 'programs.ask-budget'), { reply_markup: skip }));
    }
    case 'budget': {
      const budget = value === null ? null : parseAmount(value);
      if (value !== null && budget === null) return void (await ctx.reply(ctx.t('events.problem.cost-invalid'), { reply_markup: skip }));
      const admin = await requireOrgAdmin(ctx);
      if (!admin) return void (ctx.session.programNew = undefined);
      const outcome = await ctx.services.events.createProgram(
        admin.organization.id,
        { title: draft.title!, goal: draft.goal ?? null, criteria: draft.criteria ?? null, budget },
        { type: 'admin', id: admin.person.id },
      );
      if (!outcome.ok)
        return void (await ctx.reply(
          outcome.reason === 'invalid' ? outcome.problems.map((p) => problemText(ctx, p)).join('\n') : ctx.t('programs.not-found'),
          { reply_markup: skip },
        ));
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
