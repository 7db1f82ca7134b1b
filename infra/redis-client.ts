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

/** Any ioredis client (ours, or one BullMQ made): its connection events. */
export interface ConnectionEvents {
  on(event: 'error', listener: (error: Error) => void): unknown;
  on(event: 'ready' | 'end', listener: () => void): unknown;
}

export function watchRedis(client: ConnectionEvents, logger: Logger, name: string): void {
  client.on('error', (err: Error) => redisDown(logger, name, err));
  client.on('ready', () => redisUp(logger, name));
  // A client closed for good (shutdown) no longer counts as waiting for Redis.
  client.on('end', () => redisUp(logger, name, false));
}

/**
 * Which of a process's Redis clients are cut off, per logger (one per process; tests run several). The
 * process says "Redis unreachable" when the first of its clients loses Redis and "reachable again" when
 * the last one has it back: one line per change of state, however many clients and queues it has.
 */
const clientsDown = new WeakMap<Logger, Set<string>>();

function redisDown(logger: Logger, client: string, err: Error): void {
  let down = clientsDown.get(logger);
  if (!down) clientsDown.set(logger, (down = new Set()));
  if (down.has(client)) return;
  down.add(client);
  if (down.size === 1) logger.warn({ client, err }, 'Redis unreachable');
}

function redisUp(logger: Logger, client: string, say = true): void {
  const down = clientsDown.get(logger);
  if (!down?.delete(client)) return;
  if (down.size === 0 && say) logger.info({ client }, 'Redis reachable again');
}

/**
 * For interactive work (the bot answering a person): a command fails after one reconnection attempt
 * instead of waiting for Redis indefinitely, so the update is postponed and the person told.
 */
export const INTERACTIVE_REDIS: Partial<RedisOptions> = {
  maxRetriesPerRequest: 1,
  retryStrategy: (times) => Math.min(times * 200, 2000),
  // Commands of many updates issued in one turn of the event loop go out as one write and come back as
  // one read: under load that is most of a Redis call's cost (README, Performance).
  enableAutoPipelining: true,
};
