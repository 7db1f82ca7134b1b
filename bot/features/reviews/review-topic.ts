import type { Api } from 'grammy';
import type { BotServices } from '../../services';
import { isTopicGone } from '../../../infra/telegram/support-topic';
import { groupT } from '../support/topic';

/** The review queue's forum topic id, remembered in Redis (no table needed; a lost key only means a new topic). */
function topicKey(services: BotServices): string {
  return `${services.config.REDIS_PREFIX}:reviews:topic`;
}

export async function reviewTopicId(services: BotServices): Promise<number | null> {
  const stored = await services.redis.get(topicKey(services));
  return stored ? Number(stored) : null;
}

async function createReviewTopic(api: Api, services: BotServices, chatId: bigint): Promise<number> {
  const topic = await api.createForumTopic(Number(chatId), groupT(services)('reviews.topic-name'));
  await services.redis.set(topicKey(services), String(topic.message_thread_id));
  services.logger.info({ topicId: topic.message_thread_id }, 'review topic created');
  return topic.message_thread_id;
}

/** Sends into the review topic, creating it once and again when someone deleted it. */
export async function sendToReviewTopic<T>(api: Api, services: BotServices, chatId: bigint, send: (threadId: number) => Promise<T>): Promise<T> {
  const threadId = (await reviewTopicId(services)) ?? (await createReviewTopic(api, services, chatId));
  try {
    return await send(threadId);
  } catch (error) {
    if (!isTopicGone(error)) throw error;
    services.logger.warn({ topicId: threadId }, 'review topic gone: creating it again');
    return send(await createReviewTopic(api, services, chatId));
  }
}
