import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { ReevaluationService } from '../../core/credits/reevaluation.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import type { Logger } from '../../infra/logger';
import { LOGGER } from '../../infra/nest/tokens';
import { QUEUE, QueueOutboundDispatch, type EvaluationJob, type OutboundJob } from '../../infra/queues/queues';

const SWEEP_PAGE = 500;

/**
 * Periodic work on BullMQ job schedulers, so one firing happens across any number of worker replicas:
 * the reconciler re-dispatches due notifications a lost queue forgot, and the nightly sweep re-evaluates
 * everyone (deadlines approach even when nobody adds anything).
 */
@Processor(QUEUE.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly reevaluation: ReevaluationService,
    @InjectQueue(QUEUE.maintenance) private readonly maintenance: Queue,
    @InjectQueue(QUEUE.evaluation) private readonly evaluation: Queue<EvaluationJob>,
    @InjectQueue(QUEUE.outbound) private readonly outbound: Queue<OutboundJob>,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.maintenance.upsertJobScheduler('reconcile-notifications', { every: 60_000 }, { name: 'reconcile' });
    await this.maintenance.upsertJobScheduler('nightly-reevaluation', { pattern: '0 3 * * *', tz: 'Europe/Moscow' }, { name: 'nightly-sweep' });
    // A restart may follow a Redis loss: reconcile at once rather than a minute later.
    await this.reconcile();
  }

  async process(job: Job): Promise<number> {
    if (job.name === 'reconcile') return this.reconcile();
    if (job.name === 'nightly-sweep') return this.sweep();
    this.logger.warn({ name: job.name }, 'unknown maintenance job');
    return 0;
  }

  /** Hands due, unsent notifications to the queue again; jobs still queued are not duplicated. */
  async reconcile(): Promise<number> {
    const dispatch = new QueueOutboundDispatch(this.outbound);
    const due = await this.notifications.pendingDue();
    for (const n of due) await dispatch.dispatch(n.id, n.dueAt);
    return due.length;
  }

  private async sweep(): Promise<number> {
    let cursor: string | undefined;
    let total = 0;
    for (;;) {
      const ids = await this.reevaluation.linkedPeople(cursor, SWEEP_PAGE);
      if (ids.length === 0) break;
      await this.evaluation.addBulk(ids.map((personId) => ({ name: 'evaluate', data: { personId, reason: 'nightly' }, opts: { removeOnComplete: 1000, removeOnFail: 5000 } })));
      total += ids.length;
      cursor = ids[ids.length - 1];
    }
    this.logger.info({ people: total }, 'nightly re-evaluation queued');
    return total;
  }
}
