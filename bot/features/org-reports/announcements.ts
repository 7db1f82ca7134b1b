import { escapeHtml } from '../../../core/shared/text';
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { announcementTextLimit } from '../../../core/announcements/announcements.service';
import { STAFF_CATEGORIES } from '../../../core/organizations/categories';
import type { StaffCategory } from '../../../generated/prisma/client';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { AnnounceDraft, BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { requireOrgAdmin } from '../../filters/org-admin';
import { formatDate } from '../../format';

/**
 * /announce for an organization's admins: audience (everyone or a category) → text → preview with the
 * number of people it will reach → confirm → queued. /announce_status shows the latest announcements'
 * delivered / blocked / failed counts. The draft lives in the session; every button carries its nonce.
 */
const composer = new Composer<BotContext>();
const admins = composer.chatType('private').filter(linkedOnly);

function audienceName(ctx: BotContext, category: StaffCategory | null): string {
  return category ? ctx.t(`reports.categories.${category}`) : ctx.t('announcements.everyone');
}

function current(ctx: BotContext, nonce: string, step: AnnounceDraft['step']): AnnounceDraft | null {
  const draft = ctx.session.announce;
  return draft && draft.nonce === nonce && draft.step === step ? draft : null;
}

async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('announcements.stale'), show_alert: true });
}

admins.command('announce', async (ctx) => {
  if (!(await requireOrgAdmin(ctx))) return;
  const draft: AnnounceDraft = { nonce: randomBytes(4).toString('hex'), step: 'audience', category: null };
  ctx.session.announce = draft;
  const keyboard = new InlineKeyboard().text(ctx.t('announcements.everyone'), callbackData.announceAudience(draft.nonce, '-')).row();
  for (const category of STAFF_CATEGORIES)
    keyboard.text(ctx.t(`reports.categories.${category}`), callbackData.announceAudience(draft.nonce, category)).row();
  keyboard.text(ctx.t('announcements.cancel-button'), callbackData.announceCancel(draft.nonce));
  await ctx.reply(ctx.t('announcements.choose-audience'), { reply_markup: keyboard });
});

admins.callbackQuery(callbackPattern.announceAudience, async (ctx) => {
  const draft = current(ctx, ctx.match[1], 'audience');
  if (!draft) return stale(ctx);
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  const category = ctx.match[2] === '-' ? null : (STAFF_CATEGORIES.find((c) => c === ctx.match[2]) ?? null);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  ctx.session.announce = { ...draft, step: 'text', category };
  await ctx.reply(
    ctx.t('announcements.ask-text', { audience: audienceName(ctx, category), limit: announcementTextLimit(admin.organization.name) }),
    {
      reply_markup: new InlineKeyboard().text(ctx.t('announcements.cancel-button'), callbackData.announceCancel(draft.nonce)),
    },
  );
});

admins.on('message', async (ctx, next) => {
  const draft = ctx.session.announce;
  if (!draft || draft.step !== 'text' || ctx.message.text?.startsWith('/')) return next();
  const admin = await requireOrgAdmin(ctx);
  if (!admin) {
    ctx.session.announce = undefined;
    return;
  }
  const text = ctx.message.text?.trim();
  if (text === undefined) {
    await ctx.reply(ctx.t('announcements.text-only'));
    return;
  }
  const limit = announcementTextLimit(admin.organization.name);
  if (!text) return void (await ctx.reply(ctx.t('announcements.refused.text-empty')));
  if (text.length > limit) return void (await ctx.reply(ctx.t('announcements.refused.text-too-long', { limit })));
  const count = await ctx.services.announcements.audienceSize(admin.organization.id, draft.category);
  if (count === 0) {
    ctx.session.announce = undefined;
    await ctx.reply(ctx.t('announcements.refused.no-recipients'));
    return;
  }
  ctx.session.announce = { ...draft, step: 'confirm', text };
  const notice = ctx.t('announcements.notice', { organization: escapeHtml(admin.organization.name), text: escapeHtml(text) });
  await ctx.reply(ctx.t('announcements.preview', { count, audience: audienceName(ctx, draft.category), notice }), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard()
      .text(ctx.t('announcements.send-button'), callbackData.announceConfirm(draft.nonce))
      .text(ctx.t('announcements.cancel-button'), callbackData.announceCancel(draft.nonce)),
  });
});

admins.callbackQuery(callbackPattern.announceConfirm, async (ctx) => {
  const draft = current(ctx, ctx.match[1], 'confirm');
  if (!draft || !draft.text) return stale(ctx);
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  // Cleared first: a second press of «Send» finds no draft and cannot announce twice.
  ctx.session.announce = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const outcome = await ctx.services.announcements.send(
    admin.organization.id,
    { category: draft.category, text: draft.text },
    { type: 'admin', id: admin.person.id },
  );
  if (!outcome.ok) {
    await ctx.reply(ctx.t(`announcements.refused.${outcome.reason}`, outcome.reason === 'text-too-long' ? { limit: outcome.limit } : {}));
    return;
  }
  await ctx.reply(ctx.t('announcements.queued', { count: outcome.announcement.recipients }), {
    reply_markup: new InlineKeyboard().text(ctx.t('announcements.status-button'), callbackData.announceStatus),
  });
});

admins.callbackQuery(callbackPattern.announceCancel, async (ctx) => {
  if (ctx.session.announce?.nonce !== ctx.match[1]) return stale(ctx);
  ctx.session.announce = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('announcements.cancelled'));
});

async function showStatus(ctx: BotContext): Promise<void> {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  if (ctx.callbackQuery) await ctx.answerCallbackQuery();
  const recent = await ctx.services.announcements.recent(admin.organization.id, 5);
  if (recent.length === 0) {
    await ctx.reply(ctx.t('announcements.status-none'));
    return;
  }
  const items = recent.map((a) =>
    ctx.t('announcements.status-item', {
      date: formatDate(a.createdAt.toISOString().slice(0, 10), ctx.lang),
      audience: audienceName(ctx, a.category),
      excerpt: escapeHtml(a.text.length > 60 ? `${a.text.slice(0, 60)}…` : a.text),
      recipients: a.recipients,
      delivered: a.delivered,
      blocked: a.blocked,
      failed: a.failed,
      skipped: a.skipped,
      pending: a.pending,
    }),
  );
  await ctx.reply([ctx.t('announcements.status-title'), ...items].join('\n\n'), { parse_mode: 'HTML' });
}

admins.command('announce_status', showStatus);
admins.callbackQuery(callbackPattern.announceStatus, showStatus);

export { composer as announcementsComposer };
