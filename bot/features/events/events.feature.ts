import { escapeHtml } from '../../../core/shared/text';
import { clampPage, pageLine, pagerRow, paginate } from '../../keyboards/pager';
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { eventFields, isHttpUrl } from '../../../core/events/event-input';
import type { EventWithSeats, StaffEvent } from '../../../core/events/events.service';
import { formatLocalDateTime, parseEnd, parseLocalDateTime } from '../../../core/events/local-time';
import { callbackButton, callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { requireOrgAdmin } from '../../filters/org-admin';
import { formatNumber } from '../../format';
import type { EventDraft } from './event-draft';
import { eventEditFeature } from './event-edit';
import { audienceKeyboard, audienceText, categoryOf, problemText, short, stale, toggled } from './event-text';
import { programsFeature } from './programs.feature';

/**
 * Events of the organization (#8). Staff: /events lists what is coming for their category with
 * «Записаться» / «Отменить запись». Admins: /event_new, a guided wizard (title → format → kind → audience (categories, none = everybody) → start →
 * duration or end → place or link → ЗЕТ → seats → program, when there are any → confirm) whose buttons
 * carry the draft's nonce, and /events_admin to move (new start, same duration), edit (event-edit.ts) or
 * cancel (with a reason) an event; /programs in programs.feature.ts.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

const FORMATS = { W: 'WEBINAR', C: 'CONFERENCE', S: 'COURSE_SESSION' } as const;

function when(ctx: BotContext, event: { startsAt: Date; endsAt: Date }): string {
  const zone = ctx.person!.timeZone;
  const start = formatLocalDateTime(event.startsAt, zone, ctx.lang);
  const end = formatLocalDateTime(event.endsAt, zone, ctx.lang);
  return start.slice(0, 10) === end.slice(0, 10) ? `${start}–${end.slice(11)}` : `${start} – ${end}`;
}

function where(ctx: BotContext, event: { place: string | null; link: string | null }): string {
  return [
    event.place ? ctx.t('events.where-place', { place: escapeHtml(event.place) }) : '',
    event.link ? ctx.t('events.where-link', { link: escapeHtml(event.link) }) : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function seats(ctx: BotContext, event: EventWithSeats): string {
  if (event.capacity === null) return ctx.t('events.seats-unlimited');
  const left = Math.max(0, event.capacity - event.seatsTaken);
  return left === 0 ? ctx.t('events.seats-full') : ctx.t('events.seats-left', { left, capacity: event.capacity });
}

/** Events per page of /events and /events_admin: each has its buttons, and a keyboard holds at most 100. */
const EVENTS_PER_PAGE = 8;

async function showEvents(ctx: BotContext, requestedPage = 0): Promise<void> {
  const events = await ctx.services.events.upcomingFor(ctx.person!);
  if (events.length === 0) return void (await ctx.reply(ctx.t('events.empty')));
  const blocks = events.map((event: StaffEvent) => {
    const text = ctx.t('events.item', {
      title: escapeHtml(event.title),
      when: when(ctx, event),
      format: ctx.t(`events.format.${event.format}`),
      kind: ctx.t(`events.kind.${event.kind}`),
      zet: formatNumber(event.zet, ctx.lang),
      seats: seats(ctx, event),
      where: where(ctx, event),
    });
    return event.signedUp ? `${text}\n${ctx.t('events.signed-up-mark')}` : text;
  });
  // A long list is paged: each page one message within Telegram's limit, with the buttons of its events.
  const pages = paginate(blocks, { perPage: EVENTS_PER_PAGE });
  const page = clampPage(requestedPage, pages.length);
  const keyboard = new InlineKeyboard();
  for (const index of pages[page]) {
    const event = events[index];
    const full = event.capacity !== null && event.seatsTaken >= event.capacity;
    if (event.signedUp)
      keyboard.text(ctx.t('events.cancel-sign-up-button', { title: short(event.title) }), callbackData.eventCancelSignUp(event.id)).row();
    else if (!full) keyboard.text(ctx.t('events.sign-up-button', { title: short(event.title) }), callbackData.eventSignUp(event.id)).row();
  }
  pagerRow(keyboard, ctx.t, page, pages.length, (p) => callbackData.eventsPage(p));
  const head = [ctx.t('events.title'), ...pageLine(ctx.t, page, pages.length)].join('\n');
  await ctx.reply([head, ...pages[page].map((index) => blocks[index])].join('\n\n'), {
    parse_mode: 'HTML',
    reply_markup: keyboard,
    link_preview_options: { is_disabled: true },
  });
}

linked.command('events', (ctx) => showEvents(ctx));
linked.callbackQuery(callbackPattern.eventsList, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showEvents(ctx, Number(ctx.match[1] ?? 0));
});

linked.callbackQuery(callbackPattern.eventSignUp, async (ctx) => {
  const outcome = await ctx.services.events.signUp(ctx.person!, ctx.match[1]);
  if (!outcome.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(`events.refused.${outcome.reason}`), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(
    ctx.t(outcome.event.format === 'WEBINAR' ? 'events.signed-up-webinar' : 'events.signed-up', { title: outcome.event.title }),
  );
  await showEvents(ctx);
});

linked.callbackQuery(callbackPattern.eventCancelSignUp, async (ctx) => {
  const outcome = await ctx.services.events.cancelSignUp(ctx.person!, ctx.match[1]);
  if (!outcome.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(`events.refused.${outcome.reason}`), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('events.sign-up-cancelled', { title: outcome.event.title }));
  await showEvents(ctx);
});

// ——— /event_new: the admin's wizard ———

linked.command('event_new', async (ctx) => {
  if (!(await requireOrgAdmin(ctx))) return;
  const draft: EventDraft = { nonce: randomBytes(4).toString('hex'), step: 'title' };
  ctx.session.eventNew = draft;
  ctx.session.eventAdmin = undefined;
  ctx.session.eventEdit = undefined;
  ctx.session.programNew = undefined;
  ctx.session.programEdit = undefined;
  await ctx.reply(ctx.t('events.new.ask-title'), { reply_markup: cancelKeyboard(ctx, draft.nonce) });
});

linked.callbackQuery(callbackPattern.eventNewFormat, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'format');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  ctx.session.eventNew = { ...draft, step: 'kind', format: FORMATS[callbackButton.eventNewFormat.fieldsOf(ctx.match).format] };
  const keyboard = new InlineKeyboard();
  for (const kind of ['PK', 'IOM', 'EVENT'] as const)
    keyboard.text(ctx.t(`events.kind.${kind}`), callbackData.eventNewKind(draft.nonce, kind));
  keyboard.row().text(ctx.t('common.cancel'), callbackData.eventNewCancel(draft.nonce));
  await ctx.reply(ctx.t('events.new.ask-kind'), { reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.eventNewKind, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'kind');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const next: EventDraft = { ...draft, step: 'audience', kind: callbackButton.eventNewKind.fieldsOf(ctx.match).kind, categories: [] };
  ctx.session.eventNew = next;
  await ctx.reply(ctx.t('events.new.ask-audience'), { reply_markup: wizardAudienceKeyboard(ctx, next) });
});

/** «Для кого?»: a category pressed is switched on or off in place; «Для всех» clears the choice. */
for (const pattern of [callbackPattern.eventNewCategory, callbackPattern.eventNewAllCategories]) {
  linked.callbackQuery(pattern, async (ctx) => {
    const draft = currentDraft(ctx, ctx.match[1], 'audience');
    const category = ctx.match[2] === undefined ? undefined : categoryOf(ctx.match[2]);
    if (!draft || category === null) return stale(ctx);
    await ctx.answerCallbackQuery();
    const next: EventDraft = { ...draft, categories: category ? toggled(draft.categories ?? [], category) : [] };
    ctx.session.eventNew = next;
    await ctx.editMessageReplyMarkup({ reply_markup: wizardAudienceKeyboard(ctx, next) }).catch(() => undefined);
  });
}

linked.callbackQuery(callbackPattern.eventNewCategoriesDone, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'audience');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  ctx.session.eventNew = { ...draft, step: 'start' };
  await ctx.reply(
    ctx.t('events.new.audience-chosen', { audience: audienceText(ctx, draft.categories ?? []) }) + '\n' + ctx.t('events.new.ask-start'),
    { reply_markup: cancelKeyboard(ctx, draft.nonce) },
  );
});

function wizardAudienceKeyboard(ctx: BotContext, draft: EventDraft): InlineKeyboard {
  return audienceKeyboard(ctx, draft.categories ?? [], {
    toggle: (category) => callbackData.eventNewCategory(draft.nonce, category),
    all: callbackData.eventNewAllCategories(draft.nonce),
    done: callbackData.eventNewCategoriesDone(draft.nonce),
    doneLabel: ctx.t('events.audience.next'),
    cancel: callbackData.eventNewCancel(draft.nonce),
  });
}

linked.callbackQuery(callbackPattern.eventNewNoLimit, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'capacity');
  if (!draft) return stale(ctx);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await askProgram(ctx, { ...draft, capacity: null });
});

for (const pattern of [callbackPattern.eventNewProgram, callbackPattern.eventNewNoProgram]) {
  linked.callbackQuery(pattern, async (ctx) => {
    const draft = currentDraft(ctx, ctx.match[1], 'program');
    if (!draft) return stale(ctx);
    await ctx.answerCallbackQuery();
    await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
    await showSummary(ctx, { ...draft, programId: ctx.match[2] ?? null });
  });
}

linked.callbackQuery(callbackPattern.eventNewCancel, async (ctx) => {
  if (!currentDraft(ctx, ctx.match[1])) return stale(ctx);
  ctx.session.eventNew = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('events.new.cancelled'));
});

linked.callbackQuery(callbackPattern.eventNewConfirm, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'confirm');
  if (!draft) return stale(ctx);
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const outcome = await ctx.services.events.createEvent(
    admin.organization.id,
    {
      title: draft.title!,
      format: draft.format!,
      kind: draft.kind!,
      startsAt: new Date(draft.startsAt!),
      endsAt: new Date(draft.endsAt!),
      place: draft.place ?? null,
      link: draft.link ?? null,
      zet: draft.zet!,
      capacity: draft.capacity ?? null,
      categories: draft.categories ?? [],
      programId: draft.programId ?? null,
    },
    { type: 'admin', id: admin.person.id },
  );
  if (!outcome.ok) {
    // The draft stays: the admin fixes what is named and confirms again.
    const problems = outcome.reason === 'invalid' ? outcome.problems : [{ field: '-', code: outcome.reason }];
    return void (await ctx.reply(problems.map((p) => problemText(ctx, p)).join('\n'), { reply_markup: cancelKeyboard(ctx, draft.nonce) }));
  }
  ctx.session.eventNew = undefined;
  await ctx.reply(ctx.t('events.new.created'));
});

// ——— /events_admin: move or cancel ———

async function showAdminEvents(ctx: BotContext, requestedPage = 0): Promise<void> {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const events = (
    await ctx.services.events.listEvents(admin.organization.id, { from: ctx.services.clock.now(), includeCancelled: false })
  ).filter((e) => e.startsAt > ctx.services.clock.now());
  if (events.length === 0) return void (await ctx.reply(ctx.t('events.admin.empty')));
  const blocks = events.map((event) =>
    ctx.t('events.admin.item', {
      title: escapeHtml(event.title),
      when: when(ctx, event),
      format: ctx.t(`events.format.${event.format}`),
      taken: event.seatsTaken,
      capacity: event.capacity === null ? '' : `/${event.capacity}`,
    }),
  );
  const pages = paginate(blocks, { perPage: EVENTS_PER_PAGE });
  const page = clampPage(requestedPage, pages.length);
  const keyboard = new InlineKeyboard();
  for (const index of pages[page]) {
    const event = events[index];
    keyboard.text(ctx.t('events.admin.move-button', { title: short(event.title) }), callbackData.eventAdminMove(event.id)).row();
    keyboard.text(ctx.t('events.admin.edit-button', { title: short(event.title) }), callbackData.eventAdminEdit(event.id)).row();
    keyboard.text(ctx.t('events.admin.cancel-button', { title: short(event.title) }), callbackData.eventAdminCancel(event.id)).row();
  }
  pagerRow(keyboard, ctx.t, page, pages.length, (p) => callbackData.eventsAdminPage(p));
  const head = [ctx.t('events.admin.title'), ...pageLine(ctx.t, page, pages.length)].join('\n');
  await ctx.reply([head, ...pages[page].map((index) => blocks[index])].join('\n\n'), { parse_mode: 'HTML', reply_markup: keyboard });
}

linked.command('events_admin', (ctx) => showAdminEvents(ctx));
linked.callbackQuery(callbackPattern.eventsAdminPage, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showAdminEvents(ctx, Number(ctx.match[1]));
});

for (const [pattern, action] of [
  [callbackPattern.eventAdminMove, 'move'],
  [callbackPattern.eventAdminCancel, 'cancel'],
] as const) {
  linked.callbackQuery(pattern, async (ctx) => {
    const admin = await requireOrgAdmin(ctx);
    if (!admin) return;
    const event = await ctx.services.events.getEvent(admin.organization.id, ctx.match[1]);
    if (!event || event.status === 'CANCELLED')
      return void (await ctx.answerCallbackQuery({ text: ctx.t(`events.refused.${event ? 'cancelled' : 'not-found'}`), show_alert: true }));
    await ctx.answerCallbackQuery();
    ctx.session.eventAdmin = { action, eventId: event.id };
    ctx.session.eventNew = undefined;
    ctx.session.eventEdit = undefined;
    ctx.session.programNew = undefined;
    ctx.session.programEdit = undefined;
    await ctx.reply(ctx.t(action === 'move' ? 'events.admin.ask-new-start' : 'events.admin.ask-reason', { title: event.title }));
  });
}

/** Typed answers of the wizard and of a move or cancellation. Commands pass through to their features. */
linked.on('message:text', async (ctx, next) => {
  const text = ctx.message.text;
  if (text.startsWith('/') || (!ctx.session.eventNew && !ctx.session.eventAdmin)) return next();
  if (ctx.session.eventAdmin) return adminAnswer(ctx, text);
  const draft = ctx.session.eventNew!;
  const cancel = { reply_markup: cancelKeyboard(ctx, draft.nonce) };
  const zone = ctx.person!.timeZone;
  switch (draft.step) {
    case 'title': {
      const parsed = eventFields.title.safeParse(text);
      if (!parsed.success)
        return void (await ctx.reply(problemText(ctx, { field: 'title', code: parsed.error.issues[0].message }), cancel));
      ctx.session.eventNew = { ...draft, step: 'format', title: parsed.data };
      const keyboard = new InlineKeyboard();
      for (const [code, format] of Object.entries(FORMATS))
        keyboard.text(ctx.t(`events.format.${format}`), callbackData.eventNewFormat(draft.nonce, code as keyof typeof FORMATS));
      keyboard.row().text(ctx.t('common.cancel'), callbackData.eventNewCancel(draft.nonce));
      return void (await ctx.reply(ctx.t('events.new.ask-format'), { reply_markup: keyboard }));
    }
    case 'start': {
      const startsAt = parseLocalDateTime(text, zone);
      if (!startsAt) return void (await ctx.reply(ctx.t('events.problem.date-invalid'), cancel));
      ctx.session.eventNew = { ...draft, step: 'end', startsAt: startsAt.toISOString() };
      return void (await ctx.reply(ctx.t('events.new.ask-end'), cancel));
    }
    case 'end': {
      const endsAt = parseEnd(text, new Date(draft.startsAt!), zone);
      if (!endsAt) return void (await ctx.reply(ctx.t('events.problem.duration-invalid'), cancel));
      if (endsAt < new Date(draft.startsAt!)) return void (await ctx.reply(ctx.t('events.problem.end-before-start'), cancel));
      ctx.session.eventNew = { ...draft, step: 'where', endsAt: endsAt.toISOString() };
      return void (await ctx.reply(ctx.t(draft.format === 'WEBINAR' ? 'events.new.ask-link' : 'events.new.ask-place'), cancel));
    }
    case 'where': {
      const value = text.trim();
      if (draft.format === 'WEBINAR' || /^https?:\/\//i.test(value)) {
        if (!isHttpUrl(value)) return void (await ctx.reply(ctx.t('events.problem.link-invalid'), cancel));
        ctx.session.eventNew = { ...draft, step: 'zet', link: value, place: null };
      } else {
        const parsed = eventFields.place.safeParse(value);
        if (!parsed.success || !value)
          return void (await ctx.reply(
            ctx.t(`events.problem.${parsed.success ? 'place-required' : parsed.error.issues[0].message}`),
            cancel,
          ));
        ctx.session.eventNew = { ...draft, step: 'zet', place: value, link: null };
      }
      return void (await ctx.reply(ctx.t('events.new.ask-zet'), cancel));
    }
    case 'zet': {
      const parsed = eventFields.zet.safeParse(Number(text.trim().replace(',', '.')));
      if (!/^\d+([.,]\d+)?$/.test(text.trim()) || !parsed.success)
        return void (await ctx.reply(ctx.t('events.problem.zet-invalid'), cancel));
      ctx.session.eventNew = { ...draft, step: 'capacity', zet: parsed.data };
      return void (await ctx.reply(ctx.t('events.new.ask-capacity'), {
        reply_markup: new InlineKeyboard()
          .text(ctx.t('events.new.no-limit'), callbackData.eventNewNoLimit(draft.nonce))
          .text(ctx.t('common.cancel'), callbackData.eventNewCancel(draft.nonce)),
      }));
    }
    case 'capacity': {
      const parsed = eventFields.capacity.safeParse(Number(text.trim()));
      if (!/^\d+$/.test(text.trim()) || !parsed.success) return void (await ctx.reply(ctx.t('events.problem.capacity-invalid'), cancel));
      return askProgram(ctx, { ...draft, capacity: parsed.data });
    }
    default:
      await ctx.reply(ctx.t('add.use-buttons'));
  }
});

async function adminAnswer(ctx: BotContext, text: string): Promise<void> {
  const pending = ctx.session.eventAdmin!;
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return void (ctx.session.eventAdmin = undefined);
  const event = await ctx.services.events.getEvent(admin.organization.id, pending.eventId);
  if (!event) {
    ctx.session.eventAdmin = undefined;
    return void (await ctx.reply(ctx.t('events.refused.not-found')));
  }
  const actor = { type: 'admin' as const, id: admin.person.id };
  if (pending.action === 'move') {
    const startsAt = parseLocalDateTime(text, ctx.person!.timeZone);
    // A typo keeps the admin on this step: nothing is lost, they type the date again.
    if (!startsAt) return void (await ctx.reply(ctx.t('events.problem.date-invalid')));
    const endsAt = new Date(startsAt.getTime() + (event.endsAt.getTime() - event.startsAt.getTime()));
    const outcome = await ctx.services.events.updateEvent(admin.organization.id, event.id, { startsAt, endsAt }, actor);
    if (!outcome.ok)
      return void (await ctx.reply(
        outcome.reason === 'invalid'
          ? outcome.problems.map((p) => problemText(ctx, p)).join('\n')
          : ctx.t(`events.refused.${outcome.reason}`),
      ));
    ctx.session.eventAdmin = undefined;
    return void (await ctx.reply(ctx.t('events.admin.moved', { title: event.title, when: when(ctx, outcome.event) })));
  }
  const outcome = await ctx.services.events.cancelEvent(admin.organization.id, event.id, text, actor);
  if (!outcome.ok)
    return void (await ctx.reply(
      outcome.reason === 'invalid'
        ? outcome.problems.map((p) => problemText(ctx, p)).join('\n')
        : ctx.t(`events.refused.${outcome.reason}`),
    ));
  ctx.session.eventAdmin = undefined;
  await ctx.reply(ctx.t('events.admin.cancelled', { title: event.title }));
}

/** The optional last step: which of the organization's active programs the event belongs to (skipped when there are none). */
async function askProgram(ctx: BotContext, draft: EventDraft): Promise<void> {
  const programs = (await ctx.services.events.listPrograms(ctx.person!.organizationId!)).filter((p) => !p.archivedAt);
  if (programs.length === 0) return showSummary(ctx, { ...draft, programId: null });
  ctx.session.eventNew = { ...draft, step: 'program' };
  const keyboard = new InlineKeyboard();
  for (const program of programs) keyboard.text(short(program.title), callbackData.eventNewProgram(draft.nonce, program.id)).row();
  keyboard
    .text(ctx.t('programs.none-button'), callbackData.eventNewNoProgram(draft.nonce))
    .row()
    .text(ctx.t('common.cancel'), callbackData.eventNewCancel(draft.nonce));
  await ctx.reply(ctx.t('events.new.ask-program'), { reply_markup: keyboard });
}

async function showSummary(ctx: BotContext, draft: EventDraft): Promise<void> {
  const confirmed: EventDraft = { ...draft, step: 'confirm' };
  ctx.session.eventNew = confirmed;
  const program = confirmed.programId
    ? (await ctx.services.events.listPrograms(ctx.person!.organizationId!)).find((p) => p.id === confirmed.programId)
    : undefined;
  const programLine = program ? `\n${ctx.t('events.new.summary-program', { title: escapeHtml(program.title) })}` : '';
  await ctx.reply(
    ctx.t('events.new.summary', {
      title: escapeHtml(confirmed.title!),
      format: ctx.t(`events.format.${confirmed.format}`),
      kind: ctx.t(`events.kind.${confirmed.kind}`),
      when: when(ctx, { startsAt: new Date(confirmed.startsAt!), endsAt: new Date(confirmed.endsAt!) }),
      where: where(ctx, { place: confirmed.place ?? null, link: confirmed.link ?? null }),
      zet: formatNumber(confirmed.zet!, ctx.lang),
      capacity: confirmed.capacity === null || confirmed.capacity === undefined ? ctx.t('events.new.unlimited') : confirmed.capacity,
      audience: escapeHtml(audienceText(ctx, confirmed.categories ?? [])),
    }) + programLine,
    {
      parse_mode: 'HTML',
      link_preview_options: { is_disabled: true },
      reply_markup: new InlineKeyboard()
        .text(ctx.t('events.new.confirm'), callbackData.eventNewConfirm(draft.nonce))
        .text(ctx.t('common.cancel'), callbackData.eventNewCancel(draft.nonce)),
    },
  );
}

function cancelKeyboard(ctx: BotContext, nonce: string): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.eventNewCancel(nonce));
}

function currentDraft(ctx: BotContext, nonce: string, step?: EventDraft['step']): EventDraft | null {
  const draft = ctx.session.eventNew;
  if (!draft || draft.nonce !== nonce || (step && draft.step !== step)) return null;
  return draft;
}

// Editing an event's fields and the organization's programs: their own files, the same admins.
composer.use(eventEditFeature, programsFeature);

export { composer as eventsFeature };
