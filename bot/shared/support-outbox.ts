import { SupportOutbox } from '../../infra/telegram/support-outbox';
import type { BotServices } from '../services';

/**
 * Where support's unasked messages go: the outbound queue (topics are created and recreated by the
 * worker as it sends, see infra/telegram/support-topic.ts). Only with SUPPORT_CHAT_ID set.
 */
export function supportOutbox(services: BotServices, chatId: bigint): SupportOutbox {
  return new SupportOutbox(services.notifications, services.clock, chatId);
}
