import { Inject, Injectable } from '@nestjs/common';
import { InlineKeyboard, InputFile } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { i18n } from 'i18next';
import type { Redis } from 'ioredis';
import type { Notification } from '../../generated/prisma/client';
import { DisputesService } from '../../core/disputes/disputes.service';
import { DocumentsService } from '../../core/documents/documents.service';
import { IDENTITY_ERROR_CODES, IdentityService } from '../../core/identity/identity.service';
import { SupportService } from '../../core/support/support.service';
import type { Config } from '../../infra/config/config';
import type { Logger } from '../../infra/logger';
import { CONFIG, I18N, LOGGER, REDIS } from '../../infra/nest/tokens';
import { callbackData } from '../../infra/telegram/callback-data';
import { REMINDER_KIND } from '../../core/reminders/reminder-kinds';
import { REVIEW_KIND, type ReviewItemRef, type ReviewPostKind } from '../../infra/telegram/review-outbox';
import { findItem, itemDetails, itemKeyboard, itemLine, type ReviewServices } from '../../infra/telegram/review-queue';
import { ReviewTopic } from '../../infra/telegram/review-topic';
import { TelegramApi } from '../telegram-api';
import { renderNotification } from './render';

interface Payload {
  total?: number;
  more?: number;
  item?: ReviewItemRef;
  documents?: number;
  ownerId?: string;
  documentId?: string;
  prompt?: 'ask-comment' | 'ask-recommendation' | 'pick-error';
  decision?: 'APPROVED' | 'REJECTED';
  ok?: boolean;
  line?: 'not-agent' | 'comment-empty';
}

/**
 * Sends reviewers' queued posts (see infra/telegram/review-outbox.ts) and the daily `review.due` list for
 * the outbound processor, rendered now in the group's language. False when there is nothing left to post:
 * the case was decided or erased since it was queued. Errors go back to the processor, which retries, pauses on 429 and records them.
 */
@Injectable()
export class ReviewDelivery {
  private readonly services: ReviewServices;
  private readonly topic: ReviewTopic;

  constructor(
    support: SupportService,
    disputes: DisputesService,
    identity: IdentityService,
    documents: DocumentsService,
    @Inject(REDIS) redis: Redis,
    @Inject(I18N) private readonly i18n: i18n,
    @Inject(CONFIG) config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    this.services = { support, disputes, identity, documents };
    this.topic = new ReviewTopic(redis, config.REDIS_PREFIX);
  }

  /** Sends through `telegram`, the processor's client for this one delivery (it notes where the messages land). */
  async send(notification: Notification, chatId: bigint, threadId: number | undefined, telegram: TelegramApi): Promise<boolean> {
    const p = notification.payload as unknown as Payload;
    const gt = this.i18n.getFixedT('ru');
    const chat = Number(chatId);
    const kind = notification.kind as ReviewPostKind | typeof REMINDER_KIND.reviewDue;
    // Queued before group lines existed (group.line replaces it); the thread is the agent's, not the topic.
    if (kind === REVIEW_KIND.line) {
      await telegram.sendMessage(chat, gt(p.line === 'comment-empty' ? 'reviews.comment-empty' : 'support.group.not-agent'), {
        message_thread_id: threadId,
      });
      return true;
    }
    const item = p.item ? await findItem(this.services, p.item.kind, p.item.id) : null;
    if (p.item && !item) return false;
    const intoTopic = (send: (thread: number) => Promise<unknown>) =>
      this.topic.send(telegram, chatId, gt('reviews.topic-name'), this.logger, send).then(() => true);
    const text = (body: string, other: { parse_mode?: 'HTML'; reply_markup?: InlineKeyboardMarkup } = {}) =>
      intoTopic((thread) => telegram.sendMessage(chat, body, { message_thread_id: thread, ...other }));

    switch (kind) {
      case REMINDER_KIND.reviewDue: {
        // The daily list of cases due (core/reminders), in the review topic as it is at send time.
        const message = renderNotification(notification, gt, 'ru');
        return text(message.text, { parse_mode: 'HTML', ...(message.replyMarkup ? { reply_markup: message.replyMarkup } : {}) });
      }
      case REVIEW_KIND.list:
        if (item) return text(itemLine(gt, item), { parse_mode: 'HTML', reply_markup: itemKeyboard(gt, item) });
        if (p.more !== undefined) return text(gt('reviews.queue-more', { n: p.more }));
        return text(p.total ? gt('reviews.queue-title', { n: p.total }) : gt('reviews.queue-empty'));
      case REVIEW_KIND.case:
        return text(itemDetails(gt, item!, p.documents ?? 0), { parse_mode: 'HTML', reply_markup: itemKeyboard(gt, item!) });
      case REVIEW_KIND.document: {
        const owner = { id: p.ownerId! };
        const document = await this.services.documents.get(owner, p.documentId!);
        if (!document) return false;
        const name = document.originalName ?? document.id;
        const bytes = await this.services.documents.content(owner, document.id).catch(() => null);
        if (!bytes) return text(gt('reviews.document-missing', { name }));
        return intoTopic((thread) => telegram.sendDocument(chat, new InputFile(bytes, name), { message_thread_id: thread }));
      }
      case REVIEW_KIND.prompt: {
        if (p.prompt === 'pick-error') {
          const keyboard = new InlineKeyboard();
          IDENTITY_ERROR_CODES.forEach((code, index) =>
            keyboard.text(gt(`identity.error.${code}`), callbackData.reviewErrorCode(item!.id, index)).row(),
          );
          return text(gt('reviews.pick-error', { item: itemLine(gt, item!) }), { parse_mode: 'HTML', reply_markup: keyboard });
        }
        return text(gt(`reviews.${p.prompt}`, { decision: gt(`reviews.decision.${p.decision}`) }));
      }
      case REVIEW_KIND.decided:
        return text(p.ok ? gt('reviews.decided', { decision: gt(`reviews.decision.${p.decision}`) }) : gt('reviews.refused'));
    }
  }
}
