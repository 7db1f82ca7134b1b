import type { Translate } from '../../../infra/i18n';
import { SupportOutbox } from '../../../infra/telegram/support-outbox';
import type { BotServices } from '../../services';

/** The support group speaks Russian: agents read cards and notices there in one language. */
export function groupT(services: BotServices): Translate {
  return services.i18n.getFixedT('ru');
}

/**
 * Where support's unasked messages go: the outbound queue (topics are created and recreated by the
 * worker as it sends, see infra/telegram/support-topic.ts). Only with SUPPORT_CHAT_ID set.
 */
export function supportOutbox(services: BotServices, chatId: bigint): SupportOutbox {
  return new SupportOutbox(services.notifications, services.clock, chatId);
}
