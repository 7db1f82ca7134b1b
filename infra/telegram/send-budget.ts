import type { Transformer } from 'grammy';
import type { Redis } from 'ioredis';

/**
 * Telegram's global limit (about 30 messages a second, TELEGRAM_RATE_LIMIT) is one budget for the whole
 * bot: the bot processes' interactive replies and the worker's notices count against it together. Every
 * message-creating call of either takes a place in one sliding window in Redis first, so that their sum
 * never exceeds the limit, whatever the number of replicas (where the limit is high, a busy process
 * takes several places a call: GRANT_USABLE_MS). The worker also paces itself below the limit
 * (OUTBOUND_RATE_PER_SECOND, SendSlots) so that a person talking to the bot finds a free place at once.
 */
// KEYS[1] the window; ARGV[1] limit, ARGV[2] window ms, ARGV[3] member prefix, ARGV[4] places wanted,
// ARGV[5] ms the places may be used in → {0, places granted}, or {ms to wait, 0} when none is free.
// A place is counted at the last moment it may be used (now + ARGV[5]): so a window that looks back from
// any later take still holds every place that can land inside it, whenever it is actually used.
const GRANT_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local window = tonumber(ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local free = tonumber(ARGV[1]) - redis.call('ZCARD', KEYS[1])
if free > 0 then
  local granted = math.min(free, tonumber(ARGV[4]))
  local score = string.format('%.3f', now + tonumber(ARGV[5]))
  for i = 1, granted do redis.call('ZADD', KEYS[1], score, ARGV[3] .. ':' .. i) end
  redis.call('PEXPIRE', KEYS[1], window + tonumber(ARGV[5]) + 1000)
  return {0, granted}
end
local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
return {math.max(1, math.ceil(tonumber(oldest[2]) + window - now)), 0}
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

type BudgetCommands = {
  telegramSendBudgetGrant(
    key: string,
    limit: number,
    windowMs: number,
    member: string,
    wanted: number,
    usableMs: number,
  ): Promise<[number, number]>;
};

/** Calls that create a message: what Telegram counts against the limit (sendChatAction, edits and answers are not). */
export function isMessageCreating(method: string): boolean {
  return (method.startsWith('send') && method !== 'sendChatAction') || /^(copy|forward)Messages?$/.test(method);
}

/**
 * How long places taken ahead stay usable. A process answering many people a second takes the places its
 * pace needs for this long in one call to Redis instead of one call a message. They count in the window
 * from the end of it (GRANT_SCRIPT), and one left unused is lost to that window: the price of the calls saved.
 */
export const GRANT_USABLE_MS = 100;

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export class SendBudget {
  private readonly redis: Redis & BudgetCommands;
  private readonly key: string;
  private readonly aheadAtMost: number;
  private sequence = 0;
  /** Places granted ahead and not used yet, usable until `aheadUntil` (this process's clock). */
  private ahead = 0;
  private aheadUntil = 0;
  private readonly waiters: Waiter[] = [];
  private asking = false;
  /** Places used in the current and the previous second: the pace that sizes the next grant. */
  private usedThisSecond = 0;
  private usedLastSecond = 0;
  private second = 0;
  /** Calls to Redis made (tests and benches: places per call). */
  calls = 0;

  constructor(
    redis: Redis,
    /** REDIS_PREFIX: the bot and the worker of one deployment share it, hence the budget. */
    prefix: string,
    /** Places this process may fill the shared window up to: botBudgetLimit for the bot, workerBudgetLimit for the worker. */
    private readonly perSecond: number,
    private readonly windowMs = BUDGET_WINDOW_MS,
  ) {
    if (!('telegramSendBudgetGrant' in redis)) redis.defineCommand('telegramSendBudgetGrant', { numberOfKeys: 1, lua: GRANT_SCRIPT });
    this.redis = redis as Redis & BudgetCommands;
    this.key = `${prefix}:telegram:sent`;
    // Taking ahead never holds more than half of what the window allows while they wait: at Telegram's
    // real limit (30 a second) that is one place, so every message asks Redis as it goes and replicas and
    // the worker share the window place by place; a deployment with a higher limit saves the round trips.
    this.aheadAtMost = Math.max(1, Math.floor((perSecond * GRANT_USABLE_MS) / windowMs / 2));
  }

  /** Waits for a place: one taken ahead if there is one, otherwise from the shared window in Redis. */
  take(): Promise<void> {
    if (this.aheadAtMost === 1) return this.takeAlone();
    if (this.waiters.length === 0 && this.takeAhead()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ resolve, reject });
      void this.ask();
    });
  }

  /**
   * At Telegram's real limit (one place a call): each sender asks for its own place, all at once, and one
   * refused asks again when the window's oldest place expires. A queue here would only make each sender
   * wait for the round trips of those ahead of it.
   */
  private async takeAlone(): Promise<void> {
    for (;;) {
      const [waitMs, granted] = await this.grant(1, 0);
      if (granted > 0) return;
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }

  private async grant(wanted: number, usableMs: number): Promise<number[]> {
    const member = `${process.pid}:${this.sequence++}:${Math.random().toString(36).slice(2, 8)}`;
    this.calls++;
    const reply = await this.redis.telegramSendBudgetGrant(this.key, this.perSecond, this.windowMs, member, wanted, usableMs);
    return reply.map(Number);
  }

  private takeAhead(): boolean {
    if (this.ahead === 0) return false;
    if (Date.now() >= this.aheadUntil) {
      this.ahead = 0;
      return false;
    }
    this.ahead--;
    this.used();
    return true;
  }

  private used(): void {
    const second = Math.floor(Date.now() / 1000);
    if (second !== this.second) {
      this.usedLastSecond = second === this.second + 1 ? this.usedThisSecond : 0;
      this.usedThisSecond = 0;
      this.second = second;
    }
    this.usedThisSecond++;
  }

  /** One call to Redis at a time, for everyone waiting: as many places as they need and the pace suggests. */
  private async ask(): Promise<void> {
    if (this.asking) return;
    this.asking = true;
    try {
      while (this.waiters.length > 0) {
        while (this.waiters.length > 0 && this.takeAhead()) this.waiters.shift()!.resolve();
        if (this.waiters.length === 0) break;
        const pace = Math.max(this.usedThisSecond, this.usedLastSecond);
        const wanted = Math.min(this.aheadAtMost, Math.max(this.waiters.length, Math.ceil((pace * GRANT_USABLE_MS) / 1000)));
        // A single place is used at once; places for later are counted until they can no longer be used.
        const usableMs = wanted > 1 ? GRANT_USABLE_MS : 0;
        const askedAt = Date.now();
        const [waitMs, granted] = await this.grant(wanted, usableMs);
        if (granted === 0) {
          await new Promise((resolve) => setTimeout(resolve, waitMs));
          continue;
        }
        let left = granted;
        while (left > 0 && this.waiters.length > 0) {
          left--;
          this.used();
          this.waiters.shift()!.resolve();
        }
        // Measured from before the call, so they expire here no later than Redis counts them.
        this.ahead = left;
        this.aheadUntil = askedAt + usableMs;
      }
    } catch (error) {
      for (const waiter of this.waiters.splice(0)) waiter.reject(error);
    } finally {
      this.asking = false;
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
