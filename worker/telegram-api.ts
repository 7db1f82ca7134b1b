import { Api } from 'grammy';
import { type Landed, noteLanded } from './outbound/landed-messages';
import { TELEGRAM_CALL_TIMEOUT_SECONDS } from './outbound/send-intent';

/** The worker's own Bot API client: it sends proactive messages and never handles updates. */
export class TelegramApi extends Api {
  /**
   * A client for one delivery that notes in `landed` where each message it creates lands. Cheap: it
   * shares this client's options and its keep-alive connections (grammY keeps one agent per API root).
   */
  forDelivery(landed: Landed): TelegramApi {
    const api = new TelegramApi(this.token, this.options);
    api.config.use(noteLanded(landed));
    return api;
  }
}

export function createTelegramApi(token: string, apiRoot: string): TelegramApi {
  // grammY waits 500 s by default: a hung call must end well inside the intent's lease (send-intent.ts).
  return new TelegramApi(token, { apiRoot, timeoutSeconds: TELEGRAM_CALL_TIMEOUT_SECONDS });
}
