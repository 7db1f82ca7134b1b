import { Api } from 'grammy';
import type { Logger } from '../infra/logger';
import { fitMessages } from '../infra/telegram/fit-messages';

/** The worker's own Bot API client: it sends proactive messages and never handles updates. */
export class TelegramApi extends Api {}

/**
 * A notice rendered with someone's long words in it (a reviewer's comment, a registry's) is sent in
 * parts rather than refused (see fitMessages). A retry after a failed later part sends the earlier parts
 * again: at most a duplicate, the outbound queue's price for never losing one.
 */
export function createTelegramApi(token: string, apiRoot: string, logger?: Logger): TelegramApi {
  const api = new TelegramApi(token, { apiRoot });
  api.config.use(fitMessages(logger));
  return api;
}
