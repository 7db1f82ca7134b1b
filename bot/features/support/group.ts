import type { Api } from 'grammy';
import type { Message } from 'grammy/types';
import type { SupportTicket } from '../../../generated/prisma/client';
import type { BotContext } from '../../context';
import type { BotServices } from '../../services';
import { ratingKeyboard } from './person-side';
import { describe, isCaptioned, withHeader } from './relay';
import { groupT } from './topic';

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

/** An agent's message in a topic, copied to the person's private chat under the role name. */
export async function relayToPerson(ctx: BotContext, ticket: SupportTicket, message: Message): Promise<boolean> {
  const services = ctx.services;
  const recipient = await services.support.recipient(ticket);
  if (!recipient) return false;
  const t = services.i18n.getFixedT(recipient.person.language);
  const name = services.config.SUPPORT_AGENT_NAME ?? t('support.agent-name');
  const chatId = Number(recipient.chatId);
  if (message.text !== undefined) {
    const { text, entities } = withHeader(name, message.text, message.entities);
    await ctx.api.sendMessage(chatId, text, { entities });
  } else if (isCaptioned(message)) {
    const { text, entities } = withHeader(name, message.caption, message.caption_entities);
    await ctx.api.copyMessage(chatId, message.chat.id, message.message_id, { caption: text, caption_entities: entities });
  } else {
    await ctx.api.copyMessage(chatId, message.chat.id, message.message_id);
  }
  await services.support.record(ticket.id, 'TO_PERSON', { ...describe(message), authorTelegramId: message.from?.id ?? 0 });
  return true;
}

/**
 * Closes a ticket from either side: a line in the topic, the forum topic closed, and the person asked
 * for a rating. Failures to reach the topic or the person are logged: the ticket is closed regardless.
 */
export async function announceClosed(api: Api, services: BotServices, chatId: bigint, ticket: SupportTicket, by: 'agent' | 'person'): Promise<void> {
  const gt = groupT(services);
  const log = services.logger.child({ ticket: ticket.number });
  if (ticket.topicId) {
    await api.sendMessage(Number(chatId), gt(`support.group.closed-by-${by}`, { number: ticket.number }), { message_thread_id: ticket.topicId }).catch((err) => log.warn({ err }, 'support: closing line not posted'));
    await api.closeForumTopic(Number(chatId), ticket.topicId).catch((err) => log.warn({ err }, 'support: forum topic not closed'));
  }
  if (by === 'person') return;
  const recipient = await services.support.recipient(ticket);
  if (!recipient) return;
  const t = services.i18n.getFixedT(recipient.person.language);
  await api
    .sendMessage(Number(recipient.chatId), t('support.closed-by-agent', { number: ticket.number }), { reply_markup: ratingKeyboard(ticket) })
    .catch((err) => log.warn({ err }, 'support: the person was not told of the close'));
}
