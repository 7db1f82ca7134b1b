import type { Transformer } from 'grammy';
import type { Redis } from 'ioredis';

/**
 * Telegram's global limit (about 30 messages a second, TELEGRAM_RATE_LIMIT) is one budget for the whole
 * bot: the bot processes' interactive replies and the worker's notices count against it together. Every
 * message-creating call of either takes a place in one sliding window in Redis first, so that their sum
 * never exceeds the limit, whatever the number of replicas. The worker also paces itself below the limit
 * (OUTBOUND_RATE_PER_SECOND, SendSlots) so that a person talking to the bot finds a free place at once.
 */
const TAKE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[1]) then
  redis.call('ZADD', KEYS[1], string.format('%.3f', now), ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window + 1000)
  return 0
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return math.max(1, math.ceil(tonumber(oldest[2]) + window - now))
`;

/** Telegram counts messages in a sliding second. */
export const BUDGET_WINDOW_MS = 1000;

/**
 * Places of every second the worker leaves to people talking to the bot: the worker takes a place only
 * while fewer than `limit - WORKER_RESERVE` are taken, the bot while fewer than `limit`. So a reply never
 * queues behind a fan-out, even with the worker configured at the whole limit, and the sum stays within it.
 */
export const WORKER_RESERVE = 2;

/**
 * One place of every second stays free: a place is taken before the request leaves and Telegram counts
 * the message when it arrives, a few ms later and not equally late for all, so the arrivals of a second
 * can hold one more than the takings did (the bench's stand-in answered 429 to that, once in three runs).
 */
export const ARRIVAL_SPARE = 1;

/** The bot's ceiling in the shared budget. */
export function botBudgetLimit(telegramRateLimit: number): number {
  return Math.max(1, telegramRateLimit - ARRIVAL_SPARE);
}

/** The worker's ceiling in the shared budget (see WORKER_RESERVE). */
export function workerBudgetLimit(telegramRateLimit: number): number {
  return Math.max(1, telegramRateLimit - ARRIVAL_SPARE - WORKER_RESERVE);
}

type BudgetCommands = { telegramSendBudgetTake(key: string, limit: number, windowMs: number, member: string): Promise<number> };

/** Calls that create a message: what Telegram counts against the limit (sendChatAction, edits and answers are not). */
export function isMessageCreating(method: string): boolean {
  return (method.startsWith('send') && method !== 'sendChatAction') || /^(copy|forward)Messages?$/.test(method);
}

export class SendBudget {
  private readonly redis: Redis & BudgetCommands;
  private readonly key: string;
  private sequence = 0;

  constructor(
    redis: Redis,
    /** REDIS_PREFIX: the bot and the worker of one deployment share it, hence the budget. */
    prefix: string,
    /** Places this process may fill the shared window up to: botBudgetLimit for the bot, workerBudgetLimit for the worker. */
    private readonly perSecond: number,
    private readonly windowMs = BUDGET_WINDOW_MS,
  ) {
    if (!('telegramSendBudgetTake' in redis)) redis.defineCommand('telegramSendBudgetTake', { numberOfKeys: 1, lua: TAKE_SCRIPT });
    this.redis = redis as Redis & BudgetCommands;
    this.key = `${prefix}:telegram:sent`;
  }

  /** Takes a place now if the last window has one free; otherwise says in how many ms to ask again. */
  async tryTake(): Promise<number> {
    const member = `${process.pid}:${this.sequence++}:${Math.random().toString(36).slice(2, 8)}`;
    return Number(await this.redis.telegramSendBudgetTake(this.key, this.perSecond, this.windowMs, member));
  }

  /** Waits for a place. */
  async take(): Promise<void> {
    for (;;) {
      const waitMs = await this.tryTake();
      if (waitMs === 0) return;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/**
 * The grammY side: every message-creating call waits for its place in the budget. If Redis cannot be
 * asked, the call goes anyway — a reply to a person is worth a possible 429 (which is retried) more than
 * no reply — and `onUnavailable` hears why.
 */
export function withinSendBudget(budget: SendBudget, onUnavailable: (error: unknown) => void = () => undefined): Transformer {
  return async (prev, method, payload, signal) => {
    if (isMessageCreating(method)) {
      try {
        await budget.take();
      } catch (error) {
        onUnavailable(error);
      }
    }
    return prev(method, payload, signal);
  };
}
