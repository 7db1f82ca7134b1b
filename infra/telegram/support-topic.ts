import { readableNumber } from '../../core/shared/intl-formats';
import { escapeHtml } from '../../core/shared/text';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { SupportTicket } from '../../generated/prisma/client';
import type { CreditsService } from '../../core/credits/credits.service';
import type { SupportService } from '../../core/support/support.service';
import type { Translate } from '../i18n';
import type { Logger } from '../logger';
import { callbackData } from './callback-data';

/** Telegram's limit for a forum topic's name. */
const TOPIC_NAME_MAX = 128;

/** The Bot API calls the topic logic needs; grammY's `Api` has them (the bot's and the worker's alike). */
export interface TopicApi {
  createForumTopic(chatId: number, name: string): Promise<{ message_thread_id: number }>;
  sendMessage(
    chatId: number,
    text: string,
    other?: { message_thread_id?: number; parse_mode?: 'HTML'; reply_markup?: InlineKeyboardMarkup },
  ): Promise<unknown>;
}

export interface SupportTopicDeps {
  support: SupportService;
  credits: CreditsService;
  /** The support group speaks Russian: agents read cards and notices there in one language. */
  groupT: Translate;
  logger: Logger;
}

/** Telegram's answer when the topic a message goes to was deleted. */
export function isTopicGone(error: unknown): boolean {
  const description = (error as { description?: string } | null)?.description ?? '';
  return /message thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(description);
}

const number = (value: number) => readableNumber(value, 'ru');

/**
 * A ticket's forum topic in the support group: created with its context card when first needed, created
 * anew (the card says so) when someone deleted it, so nothing the person wrote is lost. The outbound
 * worker calls it while it sends a ticket's messages, one at a time per ticket (their chain).
 */
export class SupportTopics {
  constructor(
    private readonly api: TopicApi,
    private readonly deps: SupportTopicDeps,
    private readonly chatId: bigint,
  ) {}

  /**
   * Sends into the ticket's current topic (the one it has now, not the one it had when the message was
   * queued); a missing topic is created, a deleted one created again, and the message sent there.
   * `send` learns whether the topic was just made, for the card, which must not be sent twice.
   */
  async send(ticketId: string, send: (threadId: number, created: 'new' | 'recreated' | null) => Promise<unknown>): Promise<void> {
    let ticket = await this.ticket(ticketId);
    if (ticket.topicId === null) return void (await send(await this.create(ticket), 'new'));
    const threadId = ticket.topicId;
    try {
      await send(threadId, null);
    } catch (error) {
      if (!isTopicGone(error)) throw error;
      this.deps.logger.warn({ ticket: ticket.number, topicId: threadId }, 'support topic gone: creating it again');
      ticket = await this.ticket(ticketId);
      // Someone else already replaced it: use theirs rather than make a second one.
      if (ticket.topicId !== null && ticket.topicId !== threadId) return void (await send(ticket.topicId, null));
      await send(await this.create(ticket), 'recreated');
    }
  }

  /** The card, into the ticket's topic; a topic created for a message other than the card gets its card first. */
  async sendCard(ticketId: string): Promise<void> {
    await this.send(ticketId, (threadId, created) => this.postCard(ticketId, threadId, created === 'recreated'));
  }

  /** Sends a message into the topic; a topic made on the way gets its card before it. */
  async sendWithCard(ticketId: string, send: (threadId: number) => Promise<unknown>): Promise<void> {
    await this.send(ticketId, async (threadId, created) => {
      // Sent by the same job as the message it follows, without a group slot of its own: a topic is made on
      // the way only when someone deleted it (the card's own job makes the first), and the messages queued
      // behind wait for that job (one chain): one extra message per topic deleted by hand, not per burst.
      if (created) await this.postCard(ticketId, threadId, created === 'recreated');
      await send(threadId);
    });
  }

  private async ticket(ticketId: string): Promise<SupportTicket> {
    const ticket = await this.deps.support.byId(ticketId);
    if (!ticket) throw new Error(`support ticket ${ticketId} not found`);
    return ticket;
  }

  private async create(ticket: SupportTicket): Promise<number> {
    const { fullName } = await this.deps.support.context(ticket.personId);
    const name = this.deps.groupT('support.topic-name', { number: ticket.number, name: fullName }).slice(0, TOPIC_NAME_MAX);
    const topic = await this.api.createForumTopic(Number(this.chatId), name);
    await this.deps.support.setTopic(ticket.id, topic.message_thread_id);
    this.deps.logger.info({ ticket: ticket.number, topicId: topic.message_thread_id }, 'support topic created');
    return topic.message_thread_id;
  }

  private async postCard(ticketId: string, threadId: number, recreated: boolean): Promise<void> {
    const ticket = await this.ticket(ticketId);
    await this.api.sendMessage(Number(this.chatId), await this.card(ticket, recreated), {
      message_thread_id: threadId,
      parse_mode: 'HTML',
      reply_markup: {
        inline_keyboard: [
          [{ text: this.deps.groupT('support.card.close-button'), callback_data: callbackData.supportAgentClose(ticket.id) }],
        ],
      },
    });
  }

  /** The topic's first message: who writes and where they stand, so the agent need not ask. */
  private async card(ticket: SupportTicket, recreated: boolean): Promise<string> {
    const t = this.deps.groupT;
    const context = await this.deps.support.context(ticket.personId);
    const lines = [
      t('support.card.title', { number: ticket.number }),
      t('support.card.name', { name: escapeHtml(context.fullName) }),
      t('support.card.organization', { organization: escapeHtml(context.organization ?? '—') }),
      t('support.card.category', { category: context.category ? t(`category.${context.category}`) : '—' }),
      t('support.card.credit-status', { status: await this.creditStatus(ticket) }),
      t('support.card.applications', { n: context.openApplications }),
      t('support.card.disputes', { n: context.openDisputes }),
      '',
      t('support.card.hint'),
    ];
    return (recreated ? [t('support.card.recreated'), ...lines] : lines).join('\n');
  }

  private async creditStatus(ticket: SupportTicket): Promise<string> {
    const t = this.deps.groupT;
    try {
      const recipient = await this.deps.support.recipient(ticket);
      if (!recipient) return '—';
      const { ruleSet, evaluation } = await this.deps.credits.balance(recipient.person);
      return t('support.card.credits', {
        total: number(evaluation.total),
        required: number(evaluation.required),
        remaining: number(evaluation.remaining),
        unit: t(`credits.unit.${ruleSet.unit}`),
      });
    } catch (error) {
      // The card is context, not a gate: a person without a rule set still reaches an agent.
      this.deps.logger.warn({ err: error, ticket: ticket.number }, 'support card: no credit status');
      return '—';
    }
  }
}
