import { Api } from 'grammy';

/** The worker's own Bot API client: it sends proactive messages and never handles updates. */
export class TelegramApi extends Api {}

export function createTelegramApi(token: string, apiRoot: string): TelegramApi {
  return new TelegramApi(token, { apiRoot });
}
