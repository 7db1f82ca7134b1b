import { Composer } from 'grammy';
import type { Message } from 'grammy/types';
import type { Person, SupportTicket } from '../../../generated/prisma/client';
import { callbackPattern } from '../../../infra/telegram/callback-data';
import { contentOf } from '../../../infra/telegram/relay-content';
import { SUPPORT_KIND } from '../../../infra/telegram/support-outbox';
import type { BotContext } from '../../context';
import { awaitingIdentityUpload } from '../../shared/identity-upload';
import { type SupportFaqTopic, faqAnswer, faqKeyboard } from './faq';
import { isAgent } from '../../shared/group-agent';
import { commandOf } from '../../shared/group-command';
import { announceClosed, relayToPerson } from './group';
import { answerInGroup } from '../../shared/group-line';
import { hoursNotice, openTicketKeyboard, ratingComment, ratingKeyboard } from './person-side';
import { describe } from './relay';
import { groupT } from '../../shared/group-language';
import { supportOutbox } from '../../shared/support-outbox';

/**
 * R-SUPPORT. `supportFeature` goes first: it owns every update of the support group (agents answer,
 * note, close; everyone else is refused) and the person's /support, FAQ and ticket buttons.
 * `supportRelayFeature` goes after the wizards and before `unhandled`: a person's free message while
 * a ticket is open (or just closed: a new one opens) is relayed to the ticket's forum topic.
 */
const composer = new Composer<BotContext>();
const relay = new Composer<BotContext>();

const supportChatOf = (ctx: BotContext): bigint | undefined => ctx.services.config.SUPPORT_CHAT_ID;
const linkedPerson = (ctx: BotContext): Person | null => (ctx.person?.onboardingStep === 'LINKED' ? ctx.person : null);

// ───────────── the support group ─────────────

const group = composer.filter((ctx) => supportChatOf(ctx) !== undefined && ctx.chat?.id === Number(supportChatOf(ctx)));

group.callbackQuery(callbackPattern.supportAgentClose, async (ctx) => {
  const chatId = supportChatOf(ctx)!;
  const gt = groupT(ctx.services);
  if (!(await isAgent(ctx, chatId))) return void (await ctx.answerCallbackQuery({ text: gt('support.group.not-agent'), show_alert: true }));
  const threadId = ctx.callbackQuery.message?.message_thread_id;
  const ticket = threadId ? await ctx.services.support.byTopic(threadId) : null;
  const closed = ticket?.id === ctx.match[1] ? await ctx.services.support.close(ticket.id, `agent:${ctx.from.id}`) : null;
  await ctx.answerCallbackQuery(closed ? undefined : { text: gt('support.group.already-closed') });
  if (closed) await announceClosed(ctx.services, chatId, closed, 'agent');
});

group.on('callback_query', async (ctx) => {
  await ctx.answerCallbackQuery({ text: groupT(ctx.services)('support.group.not-agent') });
});

group.on('message', async (ctx) => {
  const chatId = supportChatOf(ctx)!;
  const message = ctx.message;
  const command = commandOf(message, ctx.me.username);
  const threadId = message.is_topic_message ? message.message_thread_id : undefined;
  if (!(await isAgent(ctx, chatId))) {
    if (command) await answerInGroup(ctx, 'support.group.not-agent');
    return;
  }
  if (threadId === undefined) return;
  const ticket = await ctx.services.support.byTopic(threadId);
  if (!ticket) {
    if (command) await answerInGroup(ctx, 'support.group.no-ticket');
    return;
  }
  if (command?.name === 'note') {
    if (!command.rest) return answerInGroup(ctx, 'support.group.note-empty', undefined, ticket);
    await ctx.services.support.record(ticket.id, 'INTERNAL_NOTE', { authorTelegramId: ctx.from?.id ?? 0, text: command.rest });
    return;
  }
  if (command?.name === 'close') {
    const closed = await ctx.services.support.close(ticket.id, `agent:${ctx.from?.id ?? 'anonymous'}`);
    if (closed) await announceClosed(ctx.services, chatId, closed, 'agent');
    return;
  }
  // Other commands, service messages (topic edits, pins) and the like are not for the person.
  if (command || describe(message).mediaKind === 'other') return;
  const delivered = await relayToPerson(ctx, chatId, ticket, message).catch((err: unknown) => {
    ctx.log.warn({ err, ticket: ticket.number }, 'support: answer not delivered to the person');
    return false;
  });
  if (!delivered) await answerInGroup(ctx, 'support.group.not-delivered', undefined, ticket);
});

// Nothing in the support group reaches the other features.
group.use(() => undefined);

// ───────────── the person: /support, FAQ, tickets ─────────────

const privateChat = composer.chatType('private');

async function showMenu(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t('support.menu'), { reply_markup: faqKeyboard(ctx.t) });
}

privateChat.command('support', showMenu);
privateChat.callbackQuery(callbackPattern.supportMenu, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showMenu(ctx);
});

privateChat.callbackQuery(callbackPattern.supportFaq, async (ctx) => {
  await ctx.answerCallbackQuery();
  const { text, keyboard } = faqAnswer(ctx.t, ctx.match[1] as SupportFaqTopic);
  await ctx.reply(text, { reply_markup: keyboard, link_preview_options: { is_disabled: true } });
});

/**
 * A new ticket, and what the person should expect (including out-of-hours). Its card is queued first in
 * the ticket's chain: the worker creates the forum topic with it, before anything the person writes.
 */
async function openTicket(
  ctx: BotContext,
  person: Person,
  chatId: bigint,
  intro: (ticket: SupportTicket) => string,
): Promise<SupportTicket> {
  const { ticket } = await ctx.services.support.open(person.id);
  await supportOutbox(ctx.services, chatId).toTopic(ticket, SUPPORT_KIND.card, ticket.id, { ticketId: ticket.id });
  const notice = hoursNotice(ctx.t, ctx.lang, await ctx.services.support.availability());
  await ctx.reply([intro(ticket), notice].filter(Boolean).join('\n\n'), { reply_markup: openTicketKeyboard(ctx.t, ticket) });
  return ticket;
}

async function unavailable(ctx: BotContext): Promise<void> {
  ctx.log.warn('SUPPORT_CHAT_ID is not set: a person asked for an operator and was told support is unavailable here');
  await ctx.reply(ctx.t('support.unavailable'));
}

privateChat.callbackQuery(callbackPattern.supportCall, async (ctx) => {
  await ctx.answerCallbackQuery();
  const person = linkedPerson(ctx);
  if (!person) return void (await ctx.reply(ctx.t('support.link-first')));
  const chatId = supportChatOf(ctx);
  if (!chatId) return unavailable(ctx);
  const open = await ctx.services.support.openTicketOf(person.id);
  if (open)
    return void (await ctx.reply(ctx.t('support.already-open', { number: open.number }), {
      reply_markup: openTicketKeyboard(ctx.t, open),
    }));
  await openTicket(ctx, person, chatId, (ticket) => ctx.t('support.opened', { number: ticket.number }));
});

privateChat.callbackQuery(callbackPattern.supportClose, async (ctx) => {
  const person = linkedPerson(ctx);
  const open = person ? await ctx.services.support.openTicketOf(person.id) : null;
  const closed = open?.id === ctx.match[1] ? await ctx.services.support.close(open.id, 'person') : null;
  if (!closed) return void (await ctx.answerCallbackQuery({ text: ctx.t('support.not-open'), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('support.closed-by-person', { number: closed.number }), { reply_markup: ratingKeyboard(closed) });
  const chatId = supportChatOf(ctx);
  if (chatId) await announceClosed(ctx.services, chatId, closed, 'person');
});

privateChat.callbackQuery(callbackPattern.supportRate, async (ctx) => {
  const person = linkedPerson(ctx);
  const outcome = person
    ? await ctx.services.support.rate(person.id, ctx.match[1], Number(ctx.match[2]))
    : ({ ok: false, reason: 'not-found' } as const);
  if (!outcome.ok) return void (await ctx.answerCallbackQuery({ text: ctx.t(`support.rate-refused.${outcome.reason}`), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ratingComment.ask(ctx, outcome.ticket.id);
  await ctx.reply(ctx.t('support.rated', { rating: outcome.ticket.rating }));
  await tellAgentsOfRating(ctx, outcome.ticket, ctx.callbackQuery.id);
});

/** «Оценка: 4/5» (and later the comment) in the ticket's topic, for the agents; keyed by the press or message. */
async function tellAgentsOfRating(ctx: BotContext, ticket: SupportTicket, key: string, comment?: string): Promise<void> {
  const chatId = supportChatOf(ctx);
  if (!chatId || ticket.rating === null) return;
  await supportOutbox(ctx.services, chatId)
    .toTopic(ticket, SUPPORT_KIND.rating, `${ticket.id}:${key}`, {
      ticketId: ticket.id,
      rating: ticket.rating,
      ...(comment ? { comment } : {}),
    })
    .catch((err: unknown) => ctx.log.warn({ err, ticket: ticket.number }, 'support: rating not scheduled for the agents'));
}

/**
 * Files sent while a ticket is open belong to the conversation, not to «Мои документы» (whose feature
 * would otherwise store every photo): unless a wizard waits for a file, they are relayed to the agent.
 */
privateChat.on(['message:photo', 'message:document'], async (ctx, next) => {
  const person = linkedPerson(ctx);
  const chatId = supportChatOf(ctx);
  if (!person || !chatId || ctx.session.addCredit || ctx.session.editCredit || (await awaitingIdentityUpload(ctx))) return next();
  const ticket = await ctx.services.support.openTicketOf(person.id);
  if (!ticket) return next();
  await relayOrApologise(ctx, ticket, chatId, ctx.message);
});

// ───────────── relay of the person's messages (registered late) ─────────────

/**
 * Queues the person's message for the ticket's topic (copied there under a header naming them) and
 * stores it. Keyed by the Telegram message: an update delivered again relays nothing twice.
 */
async function relayToTopic(ctx: BotContext, ticket: SupportTicket, chatId: bigint, message: Message): Promise<void> {
  const services = ctx.services;
  const key = `${message.chat.id}:${message.message_id}`;
  const outbox = supportOutbox(services, chatId);
  const notices = outbox.topicNotices(ticket, SUPPORT_KIND.relay, key, { ticketId: ticket.id, content: contentOf(message) });
  const recorded = { ...describe(message), authorTelegramId: message.from?.id ?? 0 };
  if (await services.support.recordRelayed(ticket.id, 'FROM_PERSON', recorded, notices)) await outbox.dispatch(notices);
}

relay.chatType('private').on('message', async (ctx, next) => {
  const person = linkedPerson(ctx);
  const message = ctx.message;
  if (!person || message.text?.startsWith('/')) return next();
  const services = ctx.services;
  const awaitedComment = message.text ? await ratingComment.take(ctx) : null;
  const commented = awaitedComment ? await services.support.comment(person.id, awaitedComment, message.text!) : null;
  if (commented) {
    await ctx.reply(ctx.t('support.comment-saved'));
    return tellAgentsOfRating(ctx, commented, `${message.chat.id}:${message.message_id}`, commented.ratingComment ?? undefined);
  }
  const target = await services.support.relayTicketOf(person.id);
  if (!target) return next();
  const chatId = supportChatOf(ctx);
  if (!chatId) return unavailable(ctx);
  let ticket: SupportTicket;
  if ('open' in target) ticket = target.open;
  else {
    const closed = target.recentlyClosed;
    ticket = await openTicket(ctx, person, chatId, (t) => ctx.t('support.reopened', { previous: closed.number, number: t.number }));
  }
  await relayOrApologise(ctx, ticket, chatId, message);
});

async function relayOrApologise(ctx: BotContext, ticket: SupportTicket, chatId: bigint, message: Message): Promise<void> {
  try {
    await relayToTopic(ctx, ticket, chatId, message);
  } catch (err) {
    ctx.log.error({ err, ticket: ticket.number }, 'support: message not relayed to the topic');
    await ctx.reply(ctx.t('support.not-delivered'));
  }
}

export { composer as supportFeature, relay as supportRelayFeature };
