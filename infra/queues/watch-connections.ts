import type { Logger } from '../logger';
import { unavailableDependency } from '../transient-errors';

/** What BullMQ's Queue and Worker have in common here: 'error' events and the ioredis client they use. */
interface BullMqConnection {
  readonly name: string;
  on(event: 'error', listener: (error: Error) => void): unknown;
  getBackend(): { readonly client: Promise<{ on(event: 'ready', listener: () => void): unknown }> };
}

/**
 * Gives a BullMQ queue or worker an 'error' listener that reports a Redis outage once when it starts and
 * once when it ends, like createRedisClient does for our own clients. Without a listener BullMQ prints a
 * stack trace to the console for every reconnection attempt, many a second for as long as Redis is away.
 * Errors that are not an outage (a job lost under a worker when Redis was flushed) are logged each time.
 */
export function watchConnection(target: BullMqConnection, logger: Logger, kind: 'queue' | 'worker'): void {
  const who = { [kind]: target.name };
  let down = false;
  target.on('error', (error: Error) => {
    if (unavailableDependency(error) !== 'redis') {
      logger.warn({ ...who, err: error }, `BullMQ ${kind} error`);
      return;
    }
    if (down) return;
    down = true;
    logger.warn({ ...who, err: error }, 'Redis unreachable');
  });
  target.getBackend().client.then(
    (client) =>
      client.on('ready', () => {
        if (!down) return;
        down = false;
        logger.info(who, 'Redis reachable again');
      }),
    // The client could not be created (closed before it connected): the 'error' listener has said why.
    () => undefined,
  );
}
