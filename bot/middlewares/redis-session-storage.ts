import type { StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';

/** Keys read as absent and not yet written back: bounded, in case a handler threw between the two. */
const MAX_ABSENT_KEYS = 10_000;

/**
 * grammY sessions in Redis, expiring after a day of silence: a wizard left half way is forgotten.
 * grammY writes every session back after every update; most updates (/help, /credits, a button) come
 * from people with no session at all, and writing their empty one was a Redis round trip per update
 * for nothing: an empty session that was absent stays absent (reading it gives the initial `{}` again).
 */
export class RedisSessionStorage<T> implements StorageAdapter<T> {
  private readonly absent = new Set<string>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 24 * 3600,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    if (raw !== null) return JSON.parse(raw) as T;
    if (this.absent.size >= MAX_ABSENT_KEYS) this.absent.clear();
    this.absent.add(key);
    return undefined;
  }

  async write(key: string, value: T): Promise<void> {
    const json = JSON.stringify(value);
    if (this.absent.delete(key) && json === '{}') return;
    await this.redis.set(this.prefix + key, json, 'EX', this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    this.absent.delete(key);
    await this.redis.del(this.prefix + key);
  }
}

/** Where the bot keeps a private chat's session (key: the chat id); one definition for the bot and whoever peeks. */
export function botSessionStorage<T>(redis: Redis, redisPrefix: string): RedisSessionStorage<T> {
  return new RedisSessionStorage<T>(redis, `${redisPrefix}:session:`);
}
