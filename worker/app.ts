import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplicationContext } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import type { Clock } from '../core/shared/clock';
import type { Config } from '../infra/config/config';
import { INFRA_QUEUES } from '../infra/nest/infra.module';
import { watchQueues } from '../infra/nest/watch-queues';
import { QUEUE } from '../infra/queues/queues';
import { watchConnection } from '../infra/queues/watch-connections';
import { EvaluationProcessor } from './processors/evaluation.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { OutboundProcessor } from './processors/outbound.processor';
import { RemindersProcessor } from './processors/reminders.processor';
import { SweepProcessor } from './processors/sweep.processor';
import { SyncProcessor } from './processors/sync.processor';
import { WorkerModule } from './worker.module';

/** Creates and starts the worker process's application context. */
export async function startWorkerApp(
  config: Config,
  options: { clock?: Clock; logDestination?: DestinationStream } = {},
): Promise<INestApplicationContext> {
  const app = await NestFactory.createApplicationContext(
    WorkerModule.forRoot({ config, clock: options.clock, logDestination: options.logDestination }),
    {
      logger: ['error', 'warn'],
      abortOnError: false,
    },
  );
  app.enableShutdownHooks();
  const logger = watchQueues(app, [...INFRA_QUEUES, QUEUE.reminders, QUEUE.sync, QUEUE.sweep]);
  await app.init();
  // Workers exist once the module is initialised; their runs start at bootstrap, after this.
  for (const processor of [
    EvaluationProcessor,
    MaintenanceProcessor,
    OutboundProcessor,
    RemindersProcessor,
    SweepProcessor,
    SyncProcessor,
  ]) {
    watchConnection(app.get(processor, { strict: false }).worker, logger, 'worker');
  }
  return app;
}
