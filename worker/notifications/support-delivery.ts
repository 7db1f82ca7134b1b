import { Inject, Injectable } from '@nestjs/common';
import type { i18n } from 'i18next';
import type { Notification } from '../../generated/prisma/client';
import { CreditsService } from '../../core/credits/credits.service';
import { SupportService } from '../../core/support/support.service';
import type { Config } from '../../infra/config/config';
import type { Lang } from '../../infra/i18n';
import type { Logger } from '../../infra/logger';
import { CONFIG, I18N, LOGGER } from '../../infra/nest/tokens';
import { callbackData } from '../../infra/telegram/callback-data';
import { type RelayContent, sendRelay } from '../../infra/telegram/relay-content';
import { SUPPORT_KIND, type SupportKind } from '../../infra/telegram/support-outbox';
import { SupportTopics } from '../../infra/telegram/support-topic';
import { TelegramApi } from '../telegram-api';
import { renderEscalation } from './render';

interface Payload {
  ticketId: string;
  content?: RelayContent;
  /** A later part of a long message (see SupportOutbox): no header above it. */
  part?: number;
  by?: 'agent' | 'person';
  deadline?: string;
  deadlineFallbackYear?: number | null;
  rating?: number;
  comment?: string;
}

/**
 * Sends support's queued messages (see infra/telegram/support-outbox.ts) for the outbound processor:
 * into the ticket's current topic (created or recreated on the way), or to the person. Errors go back
 * to the processor, which retries, pauses on 429 and records the outcome as for any notification.
 */
@Injectable()
export class SupportDelivery {
  constructor(
    private readonly support: SupportService,
    private readonly credits: CreditsService,
    @Inject(I18N) private readonly i18n: i18n,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** Sends through `telegram`, the processor's client for this one delivery (it notes where the messages land). */
  async send(notification: Notification, chatId: bigint, language: Lang, telegram: TelegramApi): Promise<void> {
    const p = notification.payload as unknown as Payload;
    const kind = notification.kind as SupportKind;
    const gt = this.i18n.getFixedT('ru');
    const chat = Number(chatId);
    const topics = new SupportTopics(telegram, { support: this.support, credits: this.credits, groupT: gt, logger: this.logger }, chatId);
    const line = (text: string) => (threadId: number) => telegram.sendMessage(chat, text, { message_thread_id: threadId });
    switch (kind) {
      case SUPPORT_KIND.card:
        return topics.sendCard(p.ticketId);
      case SUPPORT_KIND.relay: {
        const ticket = await this.ticket(p.ticketId);
        const { fullName } = await this.support.context(ticket.personId);
        const header = p.part ? null : gt('support.from-person', { number: ticket.number, name: fullName });
        return topics.sendWithCard(p.ticketId, (threadId) => sendRelay(telegram, chat, header, p.content!, threadId));
      }
      case SUPPORT_KIND.answer: {
        const t = this.i18n.getFixedT(language);
        const header = p.part ? null : (this.config.SUPPORT_AGENT_NAME ?? t('support.agent-name'));
        await sendRelay(telegram, chat, header, p.content!);
        return;
      }
      case SUPPORT_KIND.closedLine: {
        const ticket = await this.ticket(p.ticketId);
        await topics.sendWithCard(p.ticketId, line(gt(`support.group.closed-by-${p.by}`, { number: ticket.number })));
        // Closed after its last line, so the line is not posted below «topic closed».
        const closed = await this.ticket(p.ticketId);
        if (closed.topicId !== null)
          await telegram
            .closeForumTopic(chat, closed.topicId)
            .catch((err: unknown) => this.logger.warn({ err, ticket: ticket.number }, 'support: forum topic not closed'));
        return;
      }
      case SUPPORT_KIND.closedNotice: {
        const ticket = await this.ticket(p.ticketId);
        const t = this.i18n.getFixedT(language);
        const stars = [1, 2, 3, 4, 5].map((rating) => ({
          text: `${rating} ⭐`,
          callback_data: callbackData.supportRate(ticket.id, rating),
        }));
        await telegram.sendMessage(chat, t('support.closed-by-agent', { number: ticket.number }), {
          reply_markup: { inline_keyboard: [stars] },
        });
        return;
      }
      case SUPPORT_KIND.escalation: {
        const ticket = await this.ticket(p.ticketId);
        return topics.sendWithCard(
          p.ticketId,
          line(renderEscalation(gt, ticket.number, new Date(p.deadline!), p.deadlineFallbackYear ?? null)),
        );
      }
      case SUPPORT_KIND.rating: {
        const ticket = await this.ticket(p.ticketId);
        const values = { number: ticket.number, rating: p.rating, comment: p.comment, interpolation: { escapeValue: false } };
        return topics.sendWithCard(p.ticketId, line(gt(p.comment ? 'support.group.rating-comment' : 'support.group.rated', values)));
      }
    }
  }

  private async ticket(ticketId: string) {
    const ticket = await this.support.byId(ticketId);
    if (!ticket) throw new Error(`support ticket ${ticketId} not found`);
    return ticket;
  }
}
