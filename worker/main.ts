import 'reflect-metadata';
import { ConfigError, loadConfig } from '../infra/config/config';
import { createLogger } from '../infra/logger';
import { guardProcess } from '../infra/process-guards';
import { startWorkerApp } from './app';

/** Entry point of the worker process: `node dist/worker/main.js`. */
async function main(): Promise<void> {
  const config = loadConfig();
  guardProcess(createLogger(config, 'worker'));
  await startWorkerApp(config);
}

main().catch((error: unknown) => {
  console.error(error instanceof ConfigError ? error.message : error);
  process.exit(1);
});
