import 'reflect-metadata';
import { existsSync, readdirSync } from 'node:fs';
import { setPriority } from 'node:os';
import { ConfigError, loadConfig } from '../infra/config/config';
import { createLogger } from '../infra/logger';
import { collectStartupGarbage } from '../infra/collect-startup-garbage';
import { guardProcess } from '../infra/process-guards';
import { startWorkerApp } from './app';
import { applyWorkerMemorySettings } from './memory';

/** Entry point of the worker process: `node --max-semi-space-size=2 dist/worker/main.js` (see ./memory.ts). */
async function main(): Promise<void> {
  applyWorkerMemorySettings();
  const config = loadConfig();
  const logger = createLogger(config, 'worker');
  guardProcess(logger);
  // The worker's fan-out can wait; a person waiting for the bot's answer cannot. On a host shared with
  // the bot (and PostgreSQL) the worker yields the CPU first, so a fan-out does not slow interactive replies.
  try {
    lowerPriority(config.WORKER_NICE);
  } catch (err) {
    logger.warn({ err }, "could not lower the worker's CPU priority (WORKER_NICE)");
  }
  await startWorkerApp(config);
  collectStartupGarbage();
}

/**
 * On Linux a nice value belongs to a thread: V8's garbage-collector threads, started before this runs,
 * would keep the old one. Every thread there is now gets it; threads started later inherit it.
 */
function lowerPriority(nice: number): void {
  const threads = process.platform === 'linux' && existsSync('/proc/self/task') ? readdirSync('/proc/self/task').map(Number) : [];
  if (threads.length === 0) return setPriority(nice);
  for (const tid of threads) setPriority(tid, nice);
}

main().catch((error: unknown) => {
  // Before a logger exists (or when config is what failed): one plain line for the operator.
  // eslint-disable-next-line no-console
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
