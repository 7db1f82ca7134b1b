import type { NotificationsService } from '../../core/notifications/notifications.service';
import { REVIEW_TOPIC_CHAIN } from '../../core/reminders/reminder-kinds';
import type { Clock } from '../../core/shared/clock';
import type { ReviewKind } from './review-queue';
import type { ReviewTopic } from './review-topic';

/**
 * What the bot posts in the support group for reviewers goes through the outbound queue (#6.7: the
 * group's 20-per-minute limit holds, a 429 delays a post and loses none): the queue list, a case's
 * details and its documents, prompts and decisions. The worker renders each from locales/ when it sends
 * it, into the review topic as it is then (see review-topic.ts). Payloads carry ids and sentence keys.
 */
export const REVIEW_KIND = {
  /** «Очередь на рассмотрение: N», one case line with its buttons, or «ещё N». */
  list: 'review.list',
  /** A case's details with its buttons, before its documents. */
  case: 'review.case',
  /** One evidence file of a case (read from storage when sent). */
  document: 'review.document',
  /** «Напишите комментарий…», or the identity error codes to pick from. */
  prompt: 'review.prompt',
  decided: 'review.decided',
  /**
   * A short answer to an agent in the thread they wrote in. No longer queued (the bot queues `group.line`,
   * see group-lines.ts, in the chain of the thread's topic); rows queued before that are still sent.
   */
  line: 'review.line',
} as const;

export type ReviewPostKind = (typeof REVIEW_KIND)[keyof typeof REVIEW_KIND];

export interface ReviewItemRef {
  kind: ReviewKind;
  id: string;
}

export type ReviewPayload =
  | { total: number }
  | { item: ReviewItemRef }
  | { more: number }
  | { item: ReviewItemRef; documents: number }
  | { item: ReviewItemRef; ownerId: string; documentId: string }
  | { prompt: 'ask-comment' | 'ask-recommendation'; decision: 'APPROVED' | 'REJECTED' }
  | { prompt: 'pick-error'; item: ReviewItemRef }
  | { decision: 'APPROVED' | 'REJECTED'; ok: boolean };

export function isReviewKind(kind: string): kind is ReviewPostKind {
  return (Object.values(REVIEW_KIND) as string[]).includes(kind);
}

/** One chain for the review topic: a case's text before its documents, a prompt after the list it answers. */
export const REVIEW_CHAIN = REVIEW_TOPIC_CHAIN;

export class ReviewOutbox {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    /** SUPPORT_CHAT_ID, the forum supergroup. */
    private readonly groupChatId: bigint,
    private readonly topic: ReviewTopic,
  ) {}

  /**
   * Queues posts in the order given. `key` names the update that caused them (a message or a button
   * press): a redelivered update queues nothing new. They go to the review topic the worker finds when
   * it sends them.
   */
  async post(key: string, posts: ReadonlyArray<{ kind: ReviewPostKind; payload: ReviewPayload }>): Promise<void> {
    const topicId = (await this.topic.id()) ?? undefined;
    let index = 0;
    for (const { kind, payload } of posts) {
      await this.notifications.schedule({
        chatId: this.groupChatId,
        threadId: topicId,
        kind,
        chain: REVIEW_CHAIN,
        dueAt: this.clock.now(),
        payload: payload as unknown as Record<string, unknown>,
        idempotencyKey: `${kind}:${key}:${index++}`,
      });
    }
  }
}
