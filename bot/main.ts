import 'reflect-metadata';
import { ConfigError, loadConfig } from '../infra/config/config';
import { startBotApp } from './app';

/** Entry point of the bot process: `node dist/bot/main.js`. */
async function main(): Promise<void> {
  const config = loadConfig();
  await startBotApp(config);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
