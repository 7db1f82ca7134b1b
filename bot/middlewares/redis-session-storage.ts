import type { StorageAdapter } from 'grammy';
import type { Redis } from 'ioredis';

/** grammY sessions in Redis, expiring after a day of silence: a wizard left half way is forgotten. */
export class RedisSessionStorage<T> implements StorageAdapter<T> {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 24 * 3600,
  ) {}

  async read(key: string): Promise<T | undefined> {
    const raw = await this.redis.get(this.prefix + key);
    return raw === null ? undefined : (JSON.parse(raw) as T);
  }

  async write(key: string, value: T): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(value), 'EX', this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}

/** Where the bot keeps a private chat's session (key: the chat id); one definition for the bot and whoever peeks. */
export function botSessionStorage<T>(redis: Redis, redisPrefix: string): RedisSessionStorage<T> {
  return new RedisSessionStorage<T>(redis, `${redisPrefix}:session:`);
}
