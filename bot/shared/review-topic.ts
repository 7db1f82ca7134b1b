import { ReviewOutbox } from '../../infra/telegram/review-outbox';
import { ReviewTopic } from '../../infra/telegram/review-topic';
import type { BotServices } from '../services';

/** The review topic whose id the worker keeps (it creates the topic as it posts there). */
export function reviewTopic(services: BotServices): ReviewTopic {
  return new ReviewTopic(services.redis, services.config.REDIS_PREFIX);
}

/** Where reviewers' posts go: the outbound queue, which keeps the group's limits (#6.7). */
export function reviewOutbox(services: BotServices, chatId: bigint): ReviewOutbox {
  return new ReviewOutbox(services.notifications, services.clock, chatId, reviewTopic(services));
}
