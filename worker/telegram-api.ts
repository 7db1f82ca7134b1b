import { Api, type Transformer } from 'grammy';
import { type Landed, noteLanded } from './outbound/landed-messages';
import { TELEGRAM_CALL_TIMEOUT_SECONDS } from './outbound/send-intent';
import type { Logger } from '../infra/logger';
import { grammyFetch } from '../infra/telegram/lean-fetch';
import { fitMessages } from '../infra/telegram/fit-messages';
import { isMessageCreating, type SendBudget, withinSendBudget } from '../infra/telegram/send-budget';

/** The worker's own Bot API client: it sends proactive messages and never handles updates. */
export class TelegramApi extends Api {
  /** Set by createTelegramApi: how an over-long text is split (kept by every client derived from this one). */
  fitLogger?: Logger | null;
  /** Set by createTelegramApi: the global budget shared with the bot (kept by every derived client). */
  budget?: SendBudget;

  /**
   * A client for one delivery that notes in `landed` where each message it creates lands, and splits
   * over-long texts as this one does. Cheap: it shares this client's options and its keep-alive
   * connections (grammY keeps one agent per API root).
   */
  forDelivery(landed: Landed, leaving?: (chatId: number | string) => Promise<void>): TelegramApi {
    const api = new TelegramApi(this.token, this.options);
    // Installed first, so it runs last: after the wait for a place in the budget, as the request leaves.
    if (leaving) api.config.use(onLeaving(leaving, this.fitLogger ?? undefined));
    if (this.budget) api.config.use(withinSendBudget(this.budget, budgetUnavailable(this.fitLogger ?? undefined)));
    api.budget = this.budget;
    api.config.use(noteLanded(landed));
    if (this.fitLogger !== undefined) api.config.use(fitMessages(this.fitLogger ?? undefined));
    return api;
  }
}

/**
 * A notice rendered with someone's long words in it (a reviewer's comment, a registry's) is sent in
 * parts rather than refused (see fitMessages). A retry after a failed later part sends the earlier parts
 * again: at most a duplicate, the outbound queue's price for never losing one.
 */
export function createTelegramApi(token: string, apiRoot: string, logger?: Logger, budget?: SendBudget): TelegramApi {
  // grammY waits 500 s by default: a hung call must end well inside the intent's lease (send-intent.ts).
  // grammyFetch instead of node-fetch: a fraction of the CPU per call (infra/telegram/lean-fetch.ts).
  const api = new TelegramApi(token, { apiRoot, timeoutSeconds: TELEGRAM_CALL_TIMEOUT_SECONDS, fetch: grammyFetch });
  // First, so it runs next to the network: each part of a split text takes its own place.
  if (budget) api.config.use(withinSendBudget(budget, budgetUnavailable(logger)));
  api.budget = budget;
  api.config.use(fitMessages(logger));
  api.fitLogger = logger ?? null;
  return api;
}

/**
 * Tells `leaving` about each message-creating call as it leaves, without holding it up: the call goes
 * whatever becomes of the note (a failure is logged).
 */
function onLeaving(leaving: (chatId: number | string) => Promise<void>, logger?: Logger): Transformer {
  return (prev, method, payload, signal) => {
    const chatId = (payload as { chat_id?: number | string } | undefined)?.chat_id;
    if (chatId !== undefined && isMessageCreating(method)) {
      void leaving(chatId).catch((error: unknown) => logger?.warn({ err: error }, 'chat slot not renewed as the message left'));
    }
    return prev(method, payload, signal);
  };
}

/** Redis could not be asked: the notice goes anyway (a 429 pauses the queue, and it is retried). */
function budgetUnavailable(logger?: Logger): (error: unknown) => void {
  return (error) => logger?.warn({ err: error }, 'send budget unavailable: sending without it');
}
