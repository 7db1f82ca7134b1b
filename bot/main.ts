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
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
