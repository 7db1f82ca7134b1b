import 'reflect-metadata';
import { ConfigError, loadConfig } from '../infra/config/config';
import { startWorkerApp } from './app';

/** Entry point of the worker process: `node dist/worker/main.js`. */
async function main(): Promise<void> {
  await startWorkerApp(loadConfig());
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
