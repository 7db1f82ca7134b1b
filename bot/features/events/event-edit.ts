import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { eventFields, type EventPatch } from '../../../core/events/event-input';
import type { Event } from '../../../generated/prisma/client';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { requireOrgAdmin } from '../../filters/org-admin';
import { formatNumber } from '../../format';
import { BUTTON_FIELDS, type EditableField, type EventEditDraft } from './event-draft';
import { audienceKeyboard, audienceText, categoryOf, parseAmount, problemText, short, stale, toggled } from './event-text';

/**
 * /events_admin «✏️ Изменить» (#8): the admin picks a field, types the new value (or picks the program,
 * the format or the kind from buttons, or toggles the categories the event is for and saves them) and sees before → after. EventsService.updateEvent checks the whole event again, refuses
 * a capacity below the seats taken, journals before and after, and tells signed-up people of a new
 * place or link; a refused value keeps the admin on the field to type it again.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

/** Each field's button letter; the order is the order of the buttons. */
const EDIT_FIELDS: Record<string, EditableField> = {
  t: 'title',
  f: 'format',
  k: 'kind',
  a: 'categories',
  d: 'description',
  p: 'place',
  l: 'link',
  z: 'zet',
  c: 'capacity',
  r: 'responsible',
  b: 'budgetLine',
  m: 'cost',
  g: 'programId',
};
const FORMATS = { W: 'WEBINAR', C: 'CONFERENCE', S: 'COURSE_SESSION' } as const;
const KINDS = ['PK', 'IOM', 'EVENT'] as const;
/** Fields that may be emptied with a button (a capacity emptied means no limit). */
const CLEARABLE: ReadonlySet<EditableField> = new Set(['description', 'place', 'link', 'capacity', 'responsible', 'budgetLine', 'cost']);

linked.callbackQuery(callbackPattern.eventAdminEdit, async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const event = await ctx.services.events.getEvent(admin.organization.id, ctx.match[1]);
  if (!event || event.status === 'CANCELLED')
    return void (await ctx.answerCallbackQuery({ text: ctx.t(`events.refused.${event ? 'cancelled' : 'not-found'}`), show_alert: true }));
  await ctx.answerCallbackQuery();
  const draft: EventEditDraft = { nonce: randomBytes(4).toString('hex'), eventId: event.id };
  ctx.session.eventEdit = draft;
  ctx.session.eventNew = undefined;
  ctx.session.eventAdmin = undefined;
  ctx.session.programNew = undefined;
  ctx.session.programEdit = undefined;
  const keyboard = new InlineKeyboard();
  Object.entries(EDIT_FIELDS).forEach(([letter, field], i) => {
    keyboard.text(ctx.t(`events.edit.field.${field}`), callbackData.eventEditField(draft.nonce, letter));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text(ctx.t('common.cancel'), callbackData.eventEditCancel(draft.nonce));
  await ctx.reply(ctx.t('events.edit.choose-field', { title: event.title }), { reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.eventEditField, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  const field = EDIT_FIELDS[ctx.match[2]];
  if (!draft || !field) return stale(ctx);
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const event = await ctx.services.events.getEvent(admin.organization.id, draft.eventId);
  if (!event || event.status === 'CANCELLED') return gone(ctx, event ? 'cancelled' : 'not-found');
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  ctx.session.eventEdit = { ...draft, field };
  const current = await shown(ctx, field, event);
  if (field === 'programId') {
    const programs = (await ctx.services.events.listPrograms(admin.organization.id)).filter(
      (p) => !p.archivedAt && p.id !== event.programId,
    );
    const keyboard = new InlineKeyboard();
    for (const program of programs) keyboard.text(short(program.title), callbackData.eventEditProgram(draft.nonce, program.id)).row();
    if (event.programId) keyboard.text(ctx.t('programs.none-button'), callbackData.eventEditNoProgram(draft.nonce)).row();
    keyboard.text(ctx.t('common.cancel'), callbackData.eventEditCancel(draft.nonce));
    const text = programs.length === 0 && !event.programId ? 'events.edit.no-programs' : 'events.edit.ask-program';
    return void (await ctx.reply(ctx.t(text, { title: event.title, current }), { reply_markup: keyboard }));
  }
  if (field === 'format' || field === 'kind') {
    return void (await ctx.reply(
      ctx.t('events.edit.ask-choice', { field: ctx.t(`events.edit.field.${field}`), title: event.title, current }),
      { reply_markup: choiceKeyboard(ctx, draft, field, event) },
    ));
  }
  if (field === 'categories') {
    const next: EventEditDraft = { ...draft, field, categories: [...event.categories] };
    ctx.session.eventEdit = next;
    return void (await ctx.reply(ctx.t('events.edit.ask-audience', { title: event.title, current }), {
      reply_markup: editAudienceKeyboard(ctx, next),
    }));
  }
  const keyboard = new InlineKeyboard();
  if (CLEARABLE.has(field))
    keyboard.text(ctx.t(field === 'capacity' ? 'events.new.no-limit' : 'events.edit.clear'), callbackData.eventEditClear(draft.nonce));
  keyboard.text(ctx.t('common.cancel'), callbackData.eventEditCancel(draft.nonce));
  await ctx.reply(
    ctx.t('events.edit.ask-value', {
      field: ctx.t(`events.edit.field.${field}`),
      title: event.title,
      current,
      hint: ctx.t(`events.edit.hint.${field}`),
    }),
    { reply_markup: keyboard },
  );
});

linked.callbackQuery(callbackPattern.eventEditClear, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (!draft?.field || !CLEARABLE.has(draft.field)) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await save(ctx, draft, { [draft.field]: null });
});

linked.callbackQuery(callbackPattern.eventEditProgram, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (draft?.field !== 'programId') return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await save(ctx, draft, { programId: ctx.match[2] });
});

linked.callbackQuery(callbackPattern.eventEditNoProgram, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (draft?.field !== 'programId') return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await save(ctx, draft, { programId: null });
});

linked.callbackQuery(callbackPattern.eventEditFormat, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (draft?.field !== 'format') return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await save(ctx, draft, { format: FORMATS[ctx.match[2] as keyof typeof FORMATS] });
});

linked.callbackQuery(callbackPattern.eventEditKind, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (draft?.field !== 'kind') return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await save(ctx, draft, { kind: ctx.match[2] as (typeof KINDS)[number] });
});

/** «Для кого»: toggles change only the draft (the keyboard is redrawn in place); «Сохранить» writes it. */
for (const pattern of [callbackPattern.eventEditCategory, callbackPattern.eventEditAllCategories]) {
  linked.callbackQuery(pattern, async (ctx) => {
    const draft = currentDraft(ctx, ctx.match[1]);
    const category = ctx.match[2] === undefined ? undefined : categoryOf(ctx.match[2]);
    if (draft?.field !== 'categories' || category === null) return stale(ctx);
    await ctx.answerCallbackQuery();
    const next: EventEditDraft = { ...draft, categories: category ? toggled(draft.categories ?? [], category) : [] };
    ctx.session.eventEdit = next;
    await ctx.editMessageReplyMarkup({ reply_markup: editAudienceKeyboard(ctx, next) }).catch(() => undefined);
  });
}

linked.callbackQuery(callbackPattern.eventEditCategoriesSave, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (draft?.field !== 'categories') return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await save(ctx, draft, { categories: draft.categories ?? [] });
});

linked.callbackQuery(callbackPattern.eventEditCancel, async (ctx) => {
  if (!currentDraft(ctx, ctx.match[1])) return stale(ctx);
  ctx.session.eventEdit = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('events.admin.aborted'));
});

/** The typed new value. A value the field cannot hold is explained and the admin stays on the field. */
linked.on('message:text', async (ctx, next) => {
  const draft = ctx.session.eventEdit;
  const text = ctx.message.text;
  if (!draft || text.startsWith('/')) return next();
  if (!draft.field || BUTTON_FIELDS.has(draft.field)) return void (await ctx.reply(ctx.t('add.use-buttons')));
  const value = parseValue(draft.field, text.trim());
  if (!value.ok) return void (await ctx.reply(ctx.t(`events.problem.${value.code}`)));
  await save(ctx, draft, { [draft.field]: value.value });
});

type Parsed = { ok: true; value: string | number } | { ok: false; code: string };

/** Numbers as the admin types them (1,5 ЗЕТ; 150 000 ₽); text is checked by the service with the whole event. */
function parseValue(field: EditableField, text: string): Parsed {
  switch (field) {
    case 'zet': {
      const parsed = eventFields.zet.safeParse(Number(text.replace(',', '.')));
      return /^\d+([.,]\d+)?$/.test(text) && parsed.success ? { ok: true, value: parsed.data } : { ok: false, code: 'zet-invalid' };
    }
    case 'capacity': {
      const parsed = eventFields.capacity.safeParse(Number(text));
      return /^\d+$/.test(text) && parsed.success && parsed.data !== null
        ? { ok: true, value: parsed.data }
        : { ok: false, code: 'capacity-invalid' };
    }
    case 'cost': {
      const amount = parseAmount(text);
      return amount === null ? { ok: false, code: 'cost-invalid' } : { ok: true, value: amount };
    }
    default:
      return { ok: true, value: text };
  }
}

async function save(ctx: BotContext, draft: EventEditDraft, patch: EventPatch): Promise<void> {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return void (ctx.session.eventEdit = undefined);
  const field = draft.field!;
  const before = await ctx.services.events.getEvent(admin.organization.id, draft.eventId);
  if (!before) return ended(ctx, 'not-found');
  const outcome = await ctx.services.events.updateEvent(admin.organization.id, draft.eventId, patch, {
    type: 'admin',
    id: admin.person.id,
  });
  if (!outcome.ok) {
    if (outcome.reason !== 'invalid') return ended(ctx, outcome.reason);
    const problems = outcome.problems.map((p) => problemText(ctx, p)).join('\n');
    if (field === 'format' || field === 'kind' || field === 'categories') {
      // Nothing was written: said so, with what to fix first; the same choice is offered again (or «Отмена»).
      const hint = outcome.problems.some((p) => p.code === 'link-required') ? `\n${ctx.t('events.edit.hint-link-first')}` : '';
      const keyboard = field === 'categories' ? editAudienceKeyboard(ctx, draft) : choiceKeyboard(ctx, draft, field, before);
      return void (await ctx.reply(`${ctx.t('events.edit.not-saved', { title: before.title })}\n${problems}${hint}`, {
        reply_markup: keyboard,
      }));
    }
    // The draft stays on this field: the admin types another value (or cancels).
    return void (await ctx.reply(problems, {
      reply_markup: new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.eventEditCancel(draft.nonce)),
    }));
  }
  ctx.session.eventEdit = undefined;
  await ctx.reply(
    ctx.t('events.edit.saved', {
      title: outcome.event.title,
      field: ctx.t(`events.edit.field.${field}`),
      before: await shown(ctx, field, before),
      after: await shown(ctx, field, outcome.event),
    }),
  );
}

/** A field's value as the admin reads it; empty is a dash, no capacity is «без ограничения». */
async function shown(ctx: BotContext, field: EditableField, event: Event): Promise<string> {
  if (field === 'format') return ctx.t(`events.format.${event.format}`);
  if (field === 'kind') return ctx.t(`events.kind.${event.kind}`);
  if (field === 'categories') return audienceText(ctx, event.categories);
  const value = event[field];
  if (value === null || value === '') return ctx.t(field === 'capacity' ? 'events.new.unlimited' : 'events.edit.empty');
  switch (field) {
    case 'zet':
      return formatNumber(event.zet, ctx.lang);
    case 'cost':
      return ctx.t('events.edit.roubles', { amount: formatNumber(Number(event.cost), ctx.lang) });
    case 'programId': {
      const program = (await ctx.services.events.listPrograms(event.organizationId)).find((p) => p.id === event.programId);
      return program?.title ?? ctx.t('events.edit.empty');
    }
    default:
      return String(value);
  }
}

/** The event was cancelled or is gone after the button was answered: said in a message, the edit ends. */
async function ended(ctx: BotContext, reason: 'not-found' | 'cancelled'): Promise<void> {
  ctx.session.eventEdit = undefined;
  await ctx.reply(ctx.t(`events.refused.${reason}`));
}

/** The same, answering the button pressed. */
async function gone(ctx: BotContext, reason: 'not-found' | 'cancelled'): Promise<void> {
  ctx.session.eventEdit = undefined;
  const text = ctx.t(`events.refused.${reason}`);
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text, show_alert: true });
  else await ctx.reply(text);
}

/** The values of the format or the kind, the current one marked. */
function choiceKeyboard(ctx: BotContext, draft: EventEditDraft, field: 'format' | 'kind', event: Event): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (field === 'format') {
    for (const [code, format] of Object.entries(FORMATS))
      keyboard.text(
        `${event.format === format ? '✅ ' : ''}${ctx.t(`events.format.${format}`)}`,
        callbackData.eventEditFormat(draft.nonce, code as keyof typeof FORMATS),
      );
  } else {
    for (const kind of KINDS)
      keyboard.text(`${event.kind === kind ? '✅ ' : ''}${ctx.t(`events.kind.${kind}`)}`, callbackData.eventEditKind(draft.nonce, kind));
  }
  return keyboard.row().text(ctx.t('common.cancel'), callbackData.eventEditCancel(draft.nonce));
}

function editAudienceKeyboard(ctx: BotContext, draft: EventEditDraft): InlineKeyboard {
  return audienceKeyboard(ctx, draft.categories ?? [], {
    toggle: (category) => callbackData.eventEditCategory(draft.nonce, category),
    all: callbackData.eventEditAllCategories(draft.nonce),
    done: callbackData.eventEditCategoriesSave(draft.nonce),
    doneLabel: ctx.t('events.audience.save'),
    cancel: callbackData.eventEditCancel(draft.nonce),
  });
}

function currentDraft(ctx: BotContext, nonce: string): EventEditDraft | null {
  const draft = ctx.session.eventEdit;
  return draft && draft.nonce === nonce ? draft : null;
}

export { composer as eventEditFeature };
