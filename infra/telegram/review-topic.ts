import type { Redis } from 'ioredis';
import type { Logger } from '../logger';
import { isTopicGone } from './support-topic';

/** Where the review topic's id is kept: Redis, no table needed (a lost key only means a new topic). */
export function reviewTopicKey(prefix: string): string {
  return `${prefix}:reviews:topic`;
}

/** The Bot API call the review topic needs besides the sends themselves; grammY's `Api` has it. */
export interface ReviewTopicApi {
  createForumTopic(chatId: number, name: string): Promise<{ message_thread_id: number }>;
}

/**
 * The support group's forum topic for reviews. The bot reads its id (an agent's comment there answers a
 * pending decision); the outbound worker posts into it, creating it when first needed and again when
 * someone deleted it. Review posts are one chain, sent one at a time, so two creations never race.
 */
export class ReviewTopic {
  constructor(
    private readonly redis: Redis,
    /** REDIS_PREFIX. */
    private readonly prefix: string,
  ) {}

  async id(): Promise<number | null> {
    const stored = await this.redis.get(reviewTopicKey(this.prefix));
    return stored ? Number(stored) : null;
  }

  /** Sends into the topic as it is now; a missing topic is created, a deleted one created again. */
  async send(
    api: ReviewTopicApi,
    chatId: bigint,
    name: string,
    logger: Logger,
    send: (threadId: number) => Promise<unknown>,
  ): Promise<void> {
    const threadId = (await this.id()) ?? (await this.create(api, chatId, name, logger));
    try {
      await send(threadId);
    } catch (error) {
      if (!isTopicGone(error)) throw error;
      logger.warn({ topicId: threadId }, 'review topic gone: creating it again');
      await send(await this.create(api, chatId, name, logger));
    }
  }

  private async create(api: ReviewTopicApi, chatId: bigint, name: string, logger: Logger): Promise<number> {
    const topic = await api.createForumTopic(Number(chatId), name);
    await this.redis.set(reviewTopicKey(this.prefix), String(topic.message_thread_id));
    logger.info({ topicId: topic.message_thread_id }, 'review topic created');
    return topic.message_thread_id;
  }
}
