import type { Message } from 'grammy/types';
import type { SupportTicket } from '../../../generated/prisma/client';
import { contentOf } from '../../../infra/telegram/relay-content';
import { SUPPORT_KIND } from '../../../infra/telegram/support-outbox';
import type { BotContext } from '../../context';
import type { BotServices } from '../../services';
import { describe } from './relay';
import { supportOutbox } from '../../shared/support-outbox';

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
