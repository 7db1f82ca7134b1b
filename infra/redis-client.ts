import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from './logger';
import { redisConnectionOptions } from './queues/queues';

/**
 * A Redis client that reports an outage once, not once per reconnection attempt: without an 'error'
 * listener ioredis prints a stack trace for every failed reconnect, many a second.
 */
export function createRedisClient(url: string, logger: Logger, name: string, overrides: Partial<RedisOptions> = {}): Redis {
  const client = new Redis({ ...redisConnectionOptions(url), connectionName: name, ...overrides });
  watchRedis(client, logger, name);
  return client;
}

export function watchRedis(client: Redis, logger: Logger, name: string): void {
  let down = false;
  client.on('error', (err: Error) => {
    if (down) return;
    down = true;
    logger.warn({ client: name, err }, 'Redis unreachable');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    logger.info({ client: name }, 'Redis reachable again');
  });
}

/**
 * For interactive work (the bot answering a person): a command fails after one reconnection attempt
 * instead of waiting for Redis indefinitely, so the update is postponed and the person told.
 */
export const INTERACTIVE_REDIS: Partial<RedisOptions> = {
  maxRetriesPerRequest: 1,
  retryStrategy: (times) => Math.min(times * 200, 2000),
};
