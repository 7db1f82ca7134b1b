import 'reflect-metadata';
import { ConfigError, loadConfig } from '../infra/config/config';
import { LogScrubber, secretsOf } from '../infra/log-safety';
import { createLogger } from '../infra/logger';
import { collectStartupGarbage } from '../infra/collect-startup-garbage';
import { guardProcess } from '../infra/process-guards';
import { startBotApp } from './app';
import { applyBotMemorySettings } from './memory';

/** Entry point of the bot process: `node dist/bot/main.js` (see ./memory.ts). */
async function main(): Promise<void> {
  applyBotMemorySettings();
  const config = loadConfig();
  const logger = createLogger(config, 'bot');
  guardProcess(logger);
  // SIGTERM drains (see TelegramBot.beforeApplicationShutdown); if anything hangs, the process still
  // ends shortly after the grace period, as an orchestrator's stop_grace_period expects.
  process.once('SIGTERM', () => {
    setTimeout(() => {
      logger.error({ graceMs: config.BOT_STOP_GRACE_MS }, 'shutdown took too long: exiting');
      process.exit(1);
    }, config.BOT_STOP_GRACE_MS + 1500).unref();
  });
  await startBotApp(config);
  collectStartupGarbage();
}

main().catch((error: unknown) => {
  // Before a logger exists (or when config is what failed): one plain line for the operator.
  const scrub = new LogScrubber(secretsOf(process.env));
  // eslint-disable-next-line no-console
  console.error(error instanceof ConfigError ? error.message : JSON.stringify(scrub.error(error)));
  process.exit(1);
});
