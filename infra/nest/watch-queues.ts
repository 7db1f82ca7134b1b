import type { INestApplicationContext } from '@nestjs/common';
import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { Logger } from '../logger';
import type { QUEUE } from '../queues/queues';
import { watchConnection } from '../queues/watch-connections';
import { LOGGER } from './tokens';

/** The BullMQ queues this process registered (InfraModule's, and the worker's own) report a Redis outage once (watchConnection). */
export function watchQueues(app: INestApplicationContext, names: ReadonlyArray<(typeof QUEUE)[keyof typeof QUEUE]>): Logger {
  const logger = app.get<Logger>(LOGGER, { strict: false });
  for (const name of names) watchConnection(app.get<Queue>(getQueueToken(name), { strict: false }), logger, 'queue');
  return logger;
}
