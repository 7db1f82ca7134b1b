import 'reflect-metadata';
import { ConfigError, loadConfig } from '../infra/config/config';
import { createLogger } from '../infra/logger';
import { guardProcess } from '../infra/process-guards';
import { startBotApp } from './app';

/** Entry point of the bot process: `node dist/bot/main.js`. */
async function main(): Promise<void> {
  const config = loadConfig();
  guardProcess(createLogger(config, 'bot'));
  await startBotApp(config);
}

main().catch((error: unknown) => {
  // Before a logger exists (or when config is what failed): one plain line for the operator.
  // eslint-disable-next-line no-console
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
