import type { Redis } from 'ioredis';

/** Telegram's limits: over all chats, per chat and per group. */
export interface SendLimits {
  /** Messages per second over all chats, measured by Telegram in a sliding second. */
  perSecond: number;
  /** At most one message per chat in this many ms. */
  perChatIntervalMs: number;
  /** At most this many messages per group chat (id < 0) in a sliding window of `groupWindowMs`. */
  perGroupPerWindow: number;
  groupWindowMs: number;
  /**
   * How far ahead a global slot may be booked. A worker sleeps until its slot, so this bounds the sleep;
   * a job that would have to wait longer is moved back to delayed instead of holding a worker.
   */
  maxAheadMs: number;
}

/**
 * Telegram counts a message when it arrives; a slot is booked before the claim is written and the request
 * leaves, which under load takes tens of ms, more for one message than the next. The per-chat and
 * per-group windows are a little longer than Telegram's, so that two sends booked exactly one window
 * apart never arrive less than one window apart (the bench's stand-in answered 429 to that).
 */
export const TELEGRAM_CHAT_LIMITS = { perChatIntervalMs: 1100, perGroupPerWindow: 20, groupWindowMs: 61_000, maxAheadMs: 1000 } as const;

/** What `reserve` decided: send after `inMs` (the slot is booked), or come back later (nothing booked). */
export type SendSlot = { go: true; inMs: number } | { go: false; retryInMs: number };

/**
 * One atomic step, so that concurrent workers (and replicas) never book the same slot. Times come from
 * Redis's clock, the one clock every replica shares.
 *
 * The global rate is a GCRA (a token bucket without burst): the n-th message goes at `tat`, the next one
 * `1000 / perSecond` ms later. Sends evenly spaced put at most perSecond + 1 into any sliding second,
 * which is how Telegram counts; a fixed-window limiter (n per window) lets two windows' bursts meet
 * across their boundary and counts up to twice the rate there.
 *
 * KEYS[1] per-chat key, KEYS[2] group window (sorted set, '' for a private chat), KEYS[3] the global
 * pace (the next free send time, ms); ARGV: chat interval ms, group limit, group window ms, a unique
 * member, global interval ms, max ahead ms.
 * Returns {1, ms to sleep before sending} with every slot booked, or {0, ms to wait} with none booked.
 */
const RESERVE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local chatTtl = redis.call('PTTL', KEYS[1])
if chatTtl > 0 then return {0, chatTtl} end
local window = tonumber(ARGV[3])
if KEYS[2] ~= '' then
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[2]) then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return {0, math.max(1, math.ceil(tonumber(oldest[2]) + window - now))}
  end
end
local interval = tonumber(ARGV[5])
local at = math.max(now, tonumber(redis.call('GET', KEYS[3]) or 0))
local ahead = at - now
if ahead > tonumber(ARGV[6]) then return {0, math.ceil(ahead)} end
redis.call('SET', KEYS[3], string.format('%.3f', at + interval), 'PX', math.ceil(ahead + interval) + 1000)
redis.call('SET', KEYS[1], '1', 'PX', math.ceil(ahead) + tonumber(ARGV[1]))
if KEYS[2] ~= '' then
  redis.call('ZADD', KEYS[2], string.format('%.3f', at), ARGV[4])
  redis.call('PEXPIRE', KEYS[2], math.ceil(ahead) + window)
end
return {1, math.ceil(ahead)}
`;

/** Telegram answered 429: no global slot before `ms` from now. */
const PAUSE_SCRIPT = `
local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + tonumber(time[2]) / 1000
local resume = now + tonumber(ARGV[1])
local at = tonumber(redis.call('GET', KEYS[1]) or 0)
if resume > at then redis.call('SET', KEYS[1], string.format('%.3f', resume), 'PX', tonumber(ARGV[1]) + 1000) end
return 0
`;

type SlotCommands = {
  outboundReserveSlot(chatKey: string, groupKey: string, paceKey: string, ...args: Array<string | number>): Promise<[number, number]>;
  outboundPauseSlots(paceKey: string, ms: number): Promise<number>;
};

/**
 * Global, per-chat and per-group send slots in Redis, shared by every worker replica: one round trip
 * (EVALSHA) per message.
 */
export class SendSlots {
  private sequence = 0;
  private readonly redis: Redis & SlotCommands;
  private readonly paceKey: string;

  constructor(
    redis: Redis,
    /** REDIS_PREFIX: these keys live beside the queues and vanish with them on a flush. */
    private readonly prefix: string,
    private readonly limits: SendLimits,
  ) {
    if (!('outboundReserveSlot' in redis)) {
      redis.defineCommand('outboundReserveSlot', { numberOfKeys: 3, lua: RESERVE_SCRIPT });
      redis.defineCommand('outboundPauseSlots', { numberOfKeys: 1, lua: PAUSE_SCRIPT });
    }
    this.redis = redis as Redis & SlotCommands;
    this.paceKey = `${prefix}:outbound:pace`;
  }

  /** Books this chat's next send: the global slot, the chat's and (for a group) the group's. */
  async reserve(chatId: bigint): Promise<SendSlot> {
    const chatKey = this.chatKey(chatId);
    const groupKey = chatId < 0n ? `${this.prefix}:outbound:group:${chatId}` : '';
    const member = `${process.pid}:${this.sequence++}:${Math.random().toString(36).slice(2, 8)}`;
    const [go, ms] = await this.redis.outboundReserveSlot(
      chatKey,
      groupKey,
      this.paceKey,
      this.limits.perChatIntervalMs,
      this.limits.perGroupPerWindow,
      this.limits.groupWindowMs,
      member,
      1000 / this.limits.perSecond,
      this.limits.maxAheadMs,
    );
    return go === 1 ? { go: true, inMs: Number(ms) } : { go: false, retryInMs: Number(ms) };
  }

  /**
   * The message to `chatId` is leaving now: its chat's slot runs from this moment rather than from the
   * booking. Between the two lie the claim's write and the wait for a place in the send budget, longer
   * for one message than the next; counted from the booking, two messages to one person could arrive less
   * than a second apart (the outbound bench's stand-in answered 429 to that on a busy machine).
   */
  async leaving(chatId: bigint): Promise<void> {
    await this.redis.set(this.chatKey(chatId), '1', 'PX', this.limits.perChatIntervalMs);
  }

  /** The chat's own slot: set while the chat may not be sent to (booked by `reserve`, renewed by `leaving`). */
  private chatKey(chatId: bigint): string {
    return `${this.prefix}:outbound:chat:${chatId}`;
  }

  /** After a 429: no replica books a global slot for the next `ms`. */
  async pause(ms: number): Promise<void> {
    await this.redis.outboundPauseSlots(this.paceKey, ms);
  }
}
