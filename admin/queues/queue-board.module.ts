import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { Inject, Module, type OnModuleInit } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { METRICS } from '../../infra/nest/tokens';
import { QUEUE } from '../../infra/queues/queues';
import { registerQueueMetrics } from '../../infra/queues/queue-metrics';

/** Every queue of the product, as the dashboard and /metrics show them. */
export const ALL_QUEUES = Symbol('ALL_QUEUES');

/** The worker's own queues, registered in the bot only to be read. */
export const READ_ONLY_QUEUES = [QUEUE.sync, QUEUE.reminders, QUEUE.sweep] as const;

const QUEUE_NAMES = [QUEUE.outbound, QUEUE.evaluation, QUEUE.maintenance, ...READ_ONLY_QUEUES] as const;

/**
 * The queues as the engineer on call sees them from the bot process: the dashboard (mounted by
 * `mountQueueBoard`) and the queue gauges of its /metrics. InfraModule registers the queues the bot
 * produces to; the worker's own (sync, reminders, the nightly sweep's batches) are registered here too, only to be read.
 */
@Module({
  imports: [BullModule.registerQueue(...READ_ONLY_QUEUES.map((name) => ({ name })))],
  providers: [
    {
      provide: ALL_QUEUES,
      useFactory: (...queues: Queue[]) => queues,
      inject: QUEUE_NAMES.map((name) => getQueueToken(name)),
    },
  ],
  exports: [ALL_QUEUES],
})
export class QueueBoardModule implements OnModuleInit {
  constructor(
    @Inject(ALL_QUEUES) private readonly queues: Queue[],
    @Inject(METRICS) private readonly registry: Registry,
    private readonly notifications: NotificationsService,
  ) {}

  onModuleInit(): void {
    registerQueueMetrics(this.registry, this.queues, this.notifications);
  }
}
