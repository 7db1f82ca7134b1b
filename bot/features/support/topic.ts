import { type Api, InlineKeyboard } from 'grammy';
import type { SupportTicket } from '../../../generated/prisma/client';
import { callbackData } from '../../../infra/telegram/callback-data';
import type { Translate } from '../../../infra/i18n';
import { escapeHtml, formatNumber } from '../../format';
import type { BotServices } from '../../services';
import { isTopicGone } from './relay';

/** Telegram's limit for a forum topic's name. */
const TOPIC_NAME_MAX = 128;

/** The support group speaks Russian: agents read cards and notices there in one language. */
export function groupT(services: BotServices): Translate {
  return services.i18n.getFixedT('ru');
}

async function creditStatus(services: BotServices, t: Translate, ticket: SupportTicket): Promise<string> {
  try {
    const recipient = await services.support.recipient(ticket);
    if (!recipient) return '—';
    const { ruleSet, evaluation } = await services.credits.balance(recipient.person);
    return t('support.card.credits', {
      total: formatNumber(evaluation.total, 'ru'),
      required: formatNumber(evaluation.required, 'ru'),
      remaining: formatNumber(evaluation.remaining, 'ru'),
      unit: t(`credits.unit.${ruleSet.unit}`),
    });
  } catch (error) {
    // The card is context, not a gate: a person without a rule set still reaches an agent.
    services.logger.warn({ err: error, ticket: ticket.number }, 'support card: no credit status');
    return '—';
  }
}

/** The topic's first message: who writes and where they stand, so the agent need not ask. */
async function contextCard(services: BotServices, ticket: SupportTicket, recreated: boolean): Promise<string> {
  const t = groupT(services);
  const context = await services.support.context(ticket.personId);
  const lines = [
    t('support.card.title', { number: ticket.number }),
    t('support.card.name', { name: escapeHtml(context.fullName) }),
    t('support.card.organization', { organization: escapeHtml(context.organization ?? '—') }),
    t('support.card.category', { category: context.category ? t(`category.${context.category}`) : '—' }),
    t('support.card.credit-status', { status: await creditStatus(services, t, ticket) }),
    t('support.card.applications', { n: context.openApplications }),
    t('support.card.disputes', { n: context.openDisputes }),
    '',
    t('support.card.hint'),
  ];
  return (recreated ? [t('support.card.recreated'), ...lines] : lines).join('\n');
}

/** Creates the ticket's forum topic with the card and stores its id. */
export async function createTopic(api: Api, services: BotServices, chatId: bigint, ticket: SupportTicket, recreated = false): Promise<number> {
  const t = groupT(services);
  const { fullName } = await services.support.context(ticket.personId);
  const name = t('support.topic-name', { number: ticket.number, name: fullName }).slice(0, TOPIC_NAME_MAX);
  const topic = await api.createForumTopic(Number(chatId), name);
  await services.support.setTopic(ticket.id, topic.message_thread_id);
  await api.sendMessage(Number(chatId), await contextCard(services, ticket, recreated), {
    message_thread_id: topic.message_thread_id,
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard().text(t('support.card.close-button'), callbackData.supportAgentClose(ticket.id)),
  });
  services.logger.info({ ticket: ticket.number, topicId: topic.message_thread_id, recreated }, 'support topic created');
  return topic.message_thread_id;
}

/**
 * Sends into the ticket's topic; a topic someone deleted (or one never created) is created anew with
 * its card and the message goes there: nothing the person wrote is lost.
 */
export async function sendToTopic(api: Api, services: BotServices, chatId: bigint, ticket: SupportTicket, send: (threadId: number) => Promise<unknown>): Promise<void> {
  const threadId = ticket.topicId ?? (await createTopic(api, services, chatId, ticket));
  try {
    await send(threadId);
  } catch (error) {
    if (!isTopicGone(error)) throw error;
    services.logger.warn({ ticket: ticket.number, topicId: threadId }, 'support topic gone: creating it again');
    await send(await createTopic(api, services, chatId, ticket, true));
  }
}
