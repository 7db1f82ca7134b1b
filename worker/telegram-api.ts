import { Api } from 'grammy';
import { noteLandedMessages } from './outbound/landed-messages';
import { TELEGRAM_CALL_TIMEOUT_SECONDS } from './outbound/send-intent';

/** The worker's own Bot API client: it sends proactive messages and never handles updates. */
export class TelegramApi extends Api {}

export function createTelegramApi(token: string, apiRoot: string): TelegramApi {
  // grammY waits 500 s by default: a hung call must end well inside the intent's lease (send-intent.ts).
  const api = new TelegramApi(token, { apiRoot, timeoutSeconds: TELEGRAM_CALL_TIMEOUT_SECONDS });
  api.config.use(noteLandedMessages);
  return api;
}
