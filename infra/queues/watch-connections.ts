import type { Logger } from '../logger';
import { type ConnectionEvents, watchRedis } from '../redis-client';
import { unavailableDependency } from '../transient-errors';

/** What BullMQ's Queue and Worker have in common here: 'error' events and the ioredis clients they use. */
interface BullMqConnection {
  readonly name: string;
  on(event: 'error', listener: (error: Error) => void): unknown;
  getBackend(): { readonly client: Promise<ConnectionEvents>; readonly blockingClient?: Promise<ConnectionEvents> };
}

/**
 * Makes a BullMQ queue or worker report a Redis outage the way our own clients do: each of its Redis
 * connections counts among the process's clients (watchRedis), so the process says once that Redis is
 * gone and once that it is back. Its own 'error' event gets a listener too: without one BullMQ prints a
 * stack trace to the console for every reconnection attempt, many a second while Redis is away. Errors
 * that are not an outage (a job lost under a worker when Redis was flushed) are logged each time.
 */
export function watchConnection(target: BullMqConnection, logger: Logger, kind: 'queue' | 'worker'): void {
  target.on('error', (error: Error) => {
    if (unavailableDependency(error) !== 'redis') logger.warn({ [kind]: target.name, err: error }, `BullMQ ${kind} error`);
  });
  const backend = target.getBackend();
  const connections: Array<[string, Promise<ConnectionEvents> | undefined]> = [
    [`${kind}:${target.name}`, backend.client],
    [`${kind}:${target.name}:blocking`, backend.blockingClient],
  ];
  for (const [name, client] of connections) {
    // A client that never connected (closed first) has nothing to watch; its errors reached 'error' above.
    client?.then(
      (c) => watchRedis(c, logger, name),
      () => undefined,
    );
  }
}
