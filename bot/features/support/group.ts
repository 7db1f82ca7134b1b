import type { Message } from 'grammy/types';
import type { SupportTicket } from '../../../generated/prisma/client';
import { contentOf } from '../../../infra/telegram/relay-content';
import { SUPPORT_KIND } from '../../../infra/telegram/support-outbox';
import type { BotContext } from '../../context';
import type { BotServices } from '../../services';
import { describe } from './relay';
import { supportOutbox } from './topic';

/** Posts as the anonymous group admin arrive from this bot account, with the group as sender_chat. */
const GROUP_ANONYMOUS_BOT = 1087968824;

/** Agents are those listed in SUPPORT_AGENT_IDS and the support group's administrators (anonymous ones too). */
export async function isAgent(ctx: BotContext, chatId: bigint): Promise<boolean> {
  const from = ctx.from;
  if (!from) return false;
  if (from.id === GROUP_ANONYMOUS_BOT) return ctx.msg?.sender_chat?.id === Number(chatId);
  if (ctx.services.config.SUPPORT_AGENT_IDS.includes(from.id)) return true;
  const member = await ctx.api.getChatMember(Number(chatId), from.id).catch(() => null);
  return member?.status === 'creator' || member?.status === 'administrator';
}

/** `/close@this_bot rest` → { name: 'close', rest }; commands addressed to another bot are not ours. */
export function commandOf(message: Message, botUsername: string): { name: string; rest: string } | null {
  const match = /^\/([A-Za-z_]+)(?:@(\w+))?(?:\s+([\s\S]*))?$/.exec(message.text ?? '');
  if (!match || (match[2] && match[2].toLowerCase() !== botUsername.toLowerCase())) return null;
  return { name: match[1].toLowerCase(), rest: (match[3] ?? '').trim() };
}

/**
 * An agent's message in a topic, queued for the person's private chat, where it arrives as a copy under
 * the role name. Keyed by the agent's message: an update delivered twice sends it once.
 * False when nobody can receive it (the person deleted their data or has no chat).
 */
export async function relayToPerson(ctx: BotContext, chatId: bigint, ticket: SupportTicket, message: Message): Promise<boolean> {
  const services = ctx.services;
  if (!(await services.support.recipient(ticket))) return false;
  const outbox = supportOutbox(services, chatId);
  const notices = outbox.personNotices(ticket, SUPPORT_KIND.answer, `${message.chat.id}:${message.message_id}`, {
    ticketId: ticket.id,
    content: contentOf(message),
  });
  const recorded = { ...describe(message), authorTelegramId: message.from?.id ?? 0 };
  if (await services.support.recordRelayed(ticket.id, 'TO_PERSON', recorded, notices)) await outbox.dispatch(notices);
  return true;
}

/**
 * Closes a ticket from either side: a line in the topic (the worker closes the forum topic after it),
 * and, when an agent closed it, the person asked for a rating. Both go through the outbound queue;
 * failing to schedule them is logged: the ticket is closed regardless.
 */
export async function announceClosed(services: BotServices, chatId: bigint, ticket: SupportTicket, by: 'agent' | 'person'): Promise<void> {
  const log = services.logger.child({ ticket: ticket.number });
  const outbox = supportOutbox(services, chatId);
  await outbox
    .toTopic(ticket, SUPPORT_KIND.closedLine, ticket.id, { ticketId: ticket.id, by })
    .catch((err: unknown) => log.warn({ err }, 'support: closing line not scheduled'));
  if (by === 'person') return;
  await outbox
    .toPerson(ticket, SUPPORT_KIND.closedNotice, ticket.id, { ticketId: ticket.id })
    .catch((err: unknown) => log.warn({ err }, 'support: the close not scheduled for the person'));
}
