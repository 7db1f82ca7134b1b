import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { Clock } from '../core/shared/clock';
import type { Config } from '../infra/config/config';
import { WorkerModule } from './worker.module';

/** Creates and starts the worker process's application context. */
export async function startWorkerApp(config: Config, options: { clock?: Clock } = {}): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot({ config, clock: options.clock }), {
    logger: ['error', 'warn'],
    abortOnError: false,
  });
  app.enableShutdownHooks();
  await app.init();
  return app;
}
