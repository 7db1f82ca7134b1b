import type { Redis } from 'ioredis';

/** Telegram's limits besides the global rate (which BullMQ's limiter keeps): per chat and per group. */
export interface ChatLimits {
  /** At most one message per chat in this many ms. */
  perChatIntervalMs: number;
  /** At most this many messages per group chat (id < 0) in a sliding window of `groupWindowMs`. */
  perGroupPerWindow: number;
  groupWindowMs: number;
}

export const TELEGRAM_CHAT_LIMITS: ChatLimits = { perChatIntervalMs: 1000, perGroupPerWindow: 20, groupWindowMs: 60_000 };

/**
 * One atomic step, so that concurrent workers (and replicas) never both take the last slot:
 * KEYS[1] per-chat key, KEYS[2] group window (sorted set, '' for a private chat);
 * ARGV: now, chat interval ms, group limit, group window ms, a unique member.
 * Returns 0 when the message may go now (both slots taken), else how many ms to wait.
 */
const RESERVE_SCRIPT = `
local now = tonumber(ARGV[1])
local chatTtl = redis.call('PTTL', KEYS[1])
if chatTtl > 0 then return chatTtl end
if KEYS[2] ~= '' then
  local window = tonumber(ARGV[4])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - window)
  if redis.call('ZCARD', KEYS[2]) >= tonumber(ARGV[3]) then
    local oldest = redis.call('ZRANGE', KEYS[2], 0, 0, 'WITHSCORES')
    return math.max(1, tonumber(oldest[2]) + window - now)
  end
  redis.call('ZADD', KEYS[2], now, ARGV[5])
  redis.call('PEXPIRE', KEYS[2], window)
end
redis.call('SET', KEYS[1], '1', 'PX', ARGV[2])
return 0
`;

/** Per-chat and per-group send slots in Redis, shared by every worker replica. */
export class ChatRateLimiter {
  private sequence = 0;

  constructor(
    private readonly redis: Redis,
    /** REDIS_PREFIX: these keys live beside the queues and vanish with them on a flush. */
    private readonly prefix: string,
    private readonly limits: ChatLimits = TELEGRAM_CHAT_LIMITS,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes a send slot for this chat: 0 when the message may go now, else the ms to wait first. */
  async reserve(chatId: bigint): Promise<number> {
    const chatKey = `${this.prefix}:outbound:chat:${chatId}`;
    const groupKey = chatId < 0n ? `${this.prefix}:outbound:group:${chatId}` : '';
    const member = `${this.now()}:${process.pid}:${this.sequence++}`;
    const wait = await this.redis.eval(
      RESERVE_SCRIPT,
      2,
      chatKey,
      groupKey,
      this.now(),
      this.limits.perChatIntervalMs,
      this.limits.perGroupPerWindow,
      this.limits.groupWindowMs,
      member,
    );
    return Number(wait);
  }
}
