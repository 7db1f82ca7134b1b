import { escapeHtml } from '../../../core/shared/text';
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { attendanceDeepLink, codeOfDeepLinkPayload } from '../../../core/attendance/attendance-code';
import { type EventClaims, type IssueOutcome, MAX_SHARED_CLAIMS } from '../../../core/attendance/attendance.service';
import { localDateOf } from '../../../core/shared/local-date';
import type { Event } from '../../../generated/prisma/client';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { requireOrgAdmin } from '../../filters/org-admin';
import { formatDate, formatNumber } from '../../format';
import type { CodesDraft } from './codes-draft';
import { claimAndAnswer } from '../../shared/attendance-claim';
import { timeOf } from '../../shared/time-of-day';

/** Validity an admin picks with one press; the API and the CLI take any number up to MAX_CODE_DAYS. */
const DAY_CHOICES = [1, 3, 7, 14, 30] as const;
/** Up to this many personal codes fit a readable message; more go as a CSV file for printing. */
const CODES_IN_TEXT = 10;
/** Up to this many claims are listed in a message; a longer list goes as a CSV file. */
export const CLAIMS_IN_TEXT = 30;

/**
 * Attendance codes in the bot (#8 point 3). Staff: `/code ABCD-EFGH`, `/code` and then the code, or
 * the deep link `/start code_ABCD-EFGH`, answered with the ЗЕТ credited or the reason why not.
 * Organization admins: `/codes` picks a recent event, personal or shared codes, and their validity; for
 * the picked event it also lists who claimed it, and revokes its unused codes after a second press.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

/** The deep link goes before the start feature (registered apart in bot.ts): a linked person claims. */
const deepLink = new Composer<BotContext>();
deepLink
  .chatType('private')
  .filter(linkedOnly)
  .command('start', async (ctx, next) => {
    const code = codeOfDeepLinkPayload(ctx.match.trim());
    if (code === null) return next();
    await claimAndAnswer(ctx, code);
  });

linked.command('code', async (ctx) => {
  const typed = ctx.match.trim();
  if (typed === '') {
    ctx.session.attendanceCode = { awaiting: true };
    await ctx.reply(ctx.t('attendance.ask-code'));
    return;
  }
  await claimAndAnswer(ctx, typed);
});

// ─────────────── /codes: the organization admin issues codes ───────────────

linked.command('codes', async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const events = await ctx.services.attendance.recentEvents(admin.organization.id);
  if (events.length === 0) return void (await ctx.reply(ctx.t('attendance.codes.no-events')));
  const draft: CodesDraft = { nonce: randomBytes(4).toString('hex'), step: 'event' };
  ctx.session.codes = draft;
  const keyboard = new InlineKeyboard();
  for (const event of events)
    keyboard.text(`${eventDate(ctx, event)} · ${event.title}`.slice(0, 60), callbackData.codesEvent(draft.nonce, event.id)).row();
  keyboard.text(ctx.t('common.cancel'), callbackData.codesCancel(draft.nonce));
  await ctx.reply(ctx.t('attendance.codes.choose-event'), { reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.codesEvent, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'event');
  if (!draft) return stale(ctx, 'no draft of this step in the session');
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const event = await ctx.services.attendance.eventOf(admin.organization.id, ctx.match[2]);
  if (!event) return stale(ctx, 'event not found');
  await settle(ctx);
  ctx.session.codes = { ...draft, step: 'mode', eventId: event.id };
  await ctx.reply(ctx.t('attendance.codes.choose-mode', { title: event.title, zet: formatNumber(event.zet, ctx.lang) }), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('attendance.codes.personal-button'), callbackData.codesMode(draft.nonce, 'p'))
      .row()
      .text(ctx.t('attendance.codes.shared-button'), callbackData.codesMode(draft.nonce, 's'))
      .row()
      .text(ctx.t('attendance.codes.claims-button'), callbackData.codesClaims(draft.nonce))
      .text(ctx.t('attendance.codes.revoke-button'), callbackData.codesRevoke(draft.nonce))
      .row()
      .text(ctx.t('common.cancel'), callbackData.codesCancel(draft.nonce)),
  });
});

linked.callbackQuery(callbackPattern.codesMode, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'mode');
  if (!draft) return stale(ctx, 'no draft of this step in the session');
  await settle(ctx);
  if (ctx.match[2] === 's') {
    ctx.session.codes = { ...draft, step: 'limit', mode: 'shared' };
    await ctx.reply(ctx.t('attendance.codes.ask-limit', { max: MAX_SHARED_CLAIMS }), { reply_markup: cancelKeyboard(ctx, draft.nonce) });
    return;
  }
  ctx.session.codes = { ...draft, step: 'days', mode: 'personal' };
  await askDays(ctx, draft.nonce);
});

linked.callbackQuery(callbackPattern.codesDays, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'days');
  const days = Number(ctx.match[2]);
  if (!draft || !DAY_CHOICES.includes(days as (typeof DAY_CHOICES)[number]))
    return stale(ctx, draft ? 'unknown day choice' : 'no draft of this step in the session');
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  await settle(ctx);
  // Cleared before issuing: a second press finds no draft and issues nothing twice.
  ctx.session.codes = undefined;
  const outcome = await ctx.services.attendance.issue(
    admin.organization.id,
    draft.eventId!,
    draft.mode === 'shared'
      ? { mode: 'shared', maxClaims: draft.maxClaims!, validForDays: days }
      : { mode: 'personal', validForDays: days },
    { type: 'admin', id: admin.person.id },
  );
  await answerIssued(ctx, outcome);
});

linked.callbackQuery(callbackPattern.codesCancel, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1]);
  if (!draft) return stale(ctx, 'no draft of this step in the session');
  ctx.session.codes = undefined;
  await settle(ctx);
  await ctx.reply(ctx.t(draft.step === 'revoke' ? 'attendance.codes.revoke-cancelled' : 'attendance.codes.cancelled'));
});

/**
 * Who claimed the picked event: name, when, ЗЕТ credited, with the count of claims and of sign-ups. Only
 * reading, so the event's buttons stay: the admin may still issue or revoke codes after looking.
 */
linked.callbackQuery(callbackPattern.codesClaims, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'mode');
  if (!draft) return stale(ctx, 'no draft of this step in the session');
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const [listing, event] = await Promise.all([
    ctx.services.attendance.claims(admin.organization.id, draft.eventId!),
    ctx.services.events.getEvent(admin.organization.id, draft.eventId!),
  ]);
  if (!listing || !event) return stale(ctx, listing ? 'event not found' : 'listing not found');
  await ctx.answerCallbackQuery();
  const zone = ctx.person!.timeZone;
  const counts = { title: event.title, claimed: listing.claims.length, signedUp: event.seatsTaken };
  if (listing.claims.length === 0) return void (await ctx.reply(ctx.t('attendance.codes.claims-none', counts)));
  const when = (at: Date) => `${formatDate(localDateOf(at, zone), ctx.lang)} ${timeOf(at, zone)}`;
  const credited = (quantity: number | null) =>
    quantity === null
      ? ctx.t('attendance.codes.claims-no-entry')
      : ctx.t('attendance.codes.claims-zet', { zet: formatNumber(quantity, ctx.lang) });
  if (listing.claims.length <= CLAIMS_IN_TEXT) {
    const lines = listing.claims.map((c, i) =>
      ctx.t('attendance.codes.claims-line', { n: i + 1, name: c.fullName ?? '—', at: when(c.claimedAt), credited: credited(c.quantity) }),
    );
    return void (await ctx.reply([ctx.t('attendance.codes.claims-title', counts), '', ...lines].join('\n')));
  }
  const header = [
    ctx.t('attendance.codes.claims-columns.name'),
    ctx.t('attendance.codes.claims-columns.at'),
    ctx.t('attendance.codes.claims-columns.zet'),
  ];
  const rows = [
    header,
    ...listing.claims.map((c) => [c.fullName ?? '', when(c.claimedAt), c.quantity === null ? '' : formatNumber(c.quantity, ctx.lang)]),
  ];
  await ctx.replyWithDocument(new InputFile(Buffer.from(csvOf(rows), 'utf8'), 'attendance-claims.csv'), {
    caption: ctx.t('attendance.codes.claims-title', counts),
  });
});

/** First press: how many unused codes would stop working, and a second button that does it. */
linked.callbackQuery(callbackPattern.codesRevoke, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'mode');
  if (!draft) return stale(ctx, 'no draft of this step in the session');
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const listing = await ctx.services.attendance.claims(admin.organization.id, draft.eventId!);
  if (!listing) return stale(ctx, 'listing not found');
  await settle(ctx);
  const unused = unusedCodes(ctx, listing.codes);
  if (unused.length === 0) {
    ctx.session.codes = undefined;
    return void (await ctx.reply(ctx.t('attendance.codes.revoke-none', { title: listing.event.title })));
  }
  ctx.session.codes = { ...draft, step: 'revoke' };
  await ctx.reply(ctx.t('attendance.codes.revoke-confirm', { title: listing.event.title, count: unused.length }), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('attendance.codes.revoke-yes'), callbackData.codesRevokeConfirm(draft.nonce))
      .row()
      .text(ctx.t('common.cancel'), callbackData.codesCancel(draft.nonce)),
  });
});

/**
 * Second press: the codes that can still be claimed stop working now, each journaled; used-up and
 * expired ones are left as they are, so the count is what actually changed. Claims made stay credited.
 */
linked.callbackQuery(callbackPattern.codesRevokeConfirm, async (ctx) => {
  const draft = currentDraft(ctx, ctx.match[1], 'revoke');
  if (!draft) return stale(ctx, 'no draft of this step in the session');
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  await settle(ctx);
  // Cleared first: a repeated press finds no draft and revokes nothing twice.
  ctx.session.codes = undefined;
  const listing = await ctx.services.attendance.claims(admin.organization.id, draft.eventId!);
  if (!listing) return void (await ctx.reply(ctx.t('attendance.codes.refused.event-not-found')));
  let revoked = 0;
  for (const code of unusedCodes(ctx, listing.codes)) {
    const outcome = await ctx.services.attendance.revoke(
      admin.organization.id,
      listing.event.id,
      { type: 'admin', id: admin.person.id },
      code.id,
    );
    if (outcome.ok) revoked += outcome.revoked;
  }
  ctx.log.info({ event_id: listing.event.id, revoked }, 'attendance codes revoked');
  await ctx.reply(ctx.t('attendance.codes.revoked', { title: listing.event.title, count: revoked }));
});

/** Codes that someone could still claim: not revoked, not expired, uses left. */
function unusedCodes(ctx: BotContext, codes: EventClaims['codes']): EventClaims['codes'] {
  const now = ctx.services.clock.now();
  return codes.filter((c) => c.revokedAt === null && c.expiresAt > now && c.claimCount < c.maxClaims);
}

/** Typed answers: the code after a bare /code, the limit of a shared code. Commands pass through. */
linked.on('message:text', async (ctx, next) => {
  const text = ctx.message.text;
  if (text.startsWith('/')) return next();
  const draft = ctx.session.codes;
  if (draft?.step === 'limit') {
    const limit = Number(text.trim());
    if (!/^\d{1,5}$/.test(text.trim()) || limit < 1 || limit > MAX_SHARED_CLAIMS) {
      return void (await ctx.reply(ctx.t('attendance.codes.limit-invalid', { max: MAX_SHARED_CLAIMS }), {
        reply_markup: cancelKeyboard(ctx, draft.nonce),
      }));
    }
    ctx.session.codes = { ...draft, step: 'days', maxClaims: limit };
    return askDays(ctx, draft.nonce);
  }
  if (ctx.session.attendanceCode?.awaiting) return claimAndAnswer(ctx, text);
  return next();
});

async function askDays(ctx: BotContext, nonce: string): Promise<void> {
  const keyboard = new InlineKeyboard();
  for (const days of DAY_CHOICES)
    keyboard.text(ctx.t('attendance.codes.days-button', { count: days }), callbackData.codesDays(nonce, days));
  keyboard.row().text(ctx.t('common.cancel'), callbackData.codesCancel(nonce));
  await ctx.reply(ctx.t('attendance.codes.ask-days'), { reply_markup: keyboard });
}

async function answerIssued(ctx: BotContext, outcome: IssueOutcome): Promise<void> {
  if (!outcome.ok) {
    const params = outcome.reason === 'zet-not-creditable' ? { zet: formatNumber(outcome.params.zet, ctx.lang) } : {};
    return void (await ctx.reply(ctx.t(`attendance.codes.refused.${outcome.reason}`, params)));
  }
  if (outcome.codes.length === 0) return void (await ctx.reply(ctx.t('attendance.codes.nobody', { title: outcome.event.title })));
  const bot = ctx.me.username;
  const zone = ctx.person!.timeZone;
  const [first] = outcome.codes;
  const until = `${formatDate(localDateOf(first.expiresAt, zone), ctx.lang)} ${timeOf(first.expiresAt, zone)}`;
  const title = escapeHtml(outcome.event.title);
  if (first.personId === null) {
    await ctx.reply(
      ctx.t('attendance.codes.shared-issued', {
        title,
        code: first.code,
        link: attendanceDeepLink(bot, first.code),
        max: first.maxClaims,
        until,
      }),
      { parse_mode: 'HTML' },
    );
    return;
  }
  if (outcome.codes.length <= CODES_IN_TEXT) {
    const lines = outcome.codes.map((c) => `${escapeHtml(c.fullName ?? '—')} — <code>${c.code}</code>`);
    await ctx.reply([ctx.t('attendance.codes.personal-issued', { title, count: outcome.codes.length, until }), '', ...lines].join('\n'), {
      parse_mode: 'HTML',
    });
    return;
  }
  const header = [
    ctx.t('attendance.codes.csv-columns.name'),
    ctx.t('attendance.codes.csv-columns.code'),
    ctx.t('attendance.codes.csv-columns.link'),
  ];
  const rows = [header, ...outcome.codes.map((c) => [c.fullName ?? '', c.code, attendanceDeepLink(bot, c.code)])];
  await ctx.replyWithDocument(new InputFile(Buffer.from(csvOf(rows), 'utf8'), 'attendance-codes.csv'), {
    caption: ctx.t('attendance.codes.personal-file', { title: outcome.event.title, count: outcome.codes.length, until }),
  });
}

/** A BOM and ';' so that Excel with Russian settings opens it in columns, Cyrillic intact. */
function csvOf(rows: string[][]): string {
  return '\uFEFF' + rows.map((row) => row.map(csvCell).join(';')).join('\r\n') + '\r\n';
}

function csvCell(value: string): string {
  return /[;"\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function eventDate(ctx: BotContext, event: Event): string {
  return formatDate(localDateOf(event.startsAt, 'Europe/Moscow'), ctx.lang);
}

function currentDraft(ctx: BotContext, nonce: string, step?: CodesDraft['step']): CodesDraft | undefined {
  const draft = ctx.session.codes;
  return draft && draft.nonce === nonce && (step === undefined || draft.step === step) ? draft : undefined;
}

function cancelKeyboard(ctx: BotContext, nonce: string): InlineKeyboard {
  return new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.codesCancel(nonce));
}

/** The pressed message loses its buttons, so it cannot be answered twice. */
async function settle(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
}

/** A button of a question no longer asked; `why` goes to the log (a stale press is no error, but a puzzling one). */
async function stale(ctx: BotContext, why: string): Promise<void> {
  ctx.log.info({ why, data: ctx.callbackQuery?.data }, 'attendance: a button answered as stale');
  await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
}

export { composer as attendanceFeature, deepLink as attendanceDeepLinkFeature };
