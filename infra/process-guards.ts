import type { Logger } from './logger';

/**
 * A stray rejected promise (a library's timer, a fire-and-forget call) is logged, not fatal: one bad
 * update must never take the bot down for everyone. A truly broken state still shows in /ready.
 */
export function guardProcess(logger: Logger): void {
  process.on('unhandledRejection', (reason) => logger.error({ err: reason }, 'unhandled promise rejection'));
}
