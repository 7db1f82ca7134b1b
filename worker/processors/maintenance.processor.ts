import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { ReevaluationService } from '../../core/credits/reevaluation.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { localDateOf } from '../../core/shared/local-date';
import { SupportEscalation } from '../../core/support/escalation';
import type { Clock } from '../../core/shared/clock';
import type { Config } from '../../infra/config/config';
import type { Logger } from '../../infra/logger';
import { CLOCK, CONFIG, LOGGER } from '../../infra/nest/tokens';
import { SUPPORT_KIND, SupportOutbox } from '../../infra/telegram/support-outbox';
import { NIGHTLY_SWEEP_JOB, QUEUE, sweepBatchJob, type SweepBatchJob } from '../../infra/queues/queues';

/** Batches added to the sweep queue per round trip to Redis. */
const SWEEP_ADD_CHUNK = 100;

/**
 * Periodic work on BullMQ job schedulers, so one firing happens across any number of worker replicas:
 * the reconciler re-dispatches due notifications a lost queue forgot, and the nightly sweep re-evaluates
 * everyone (deadlines approach even when nobody adds anything).
 */
@Processor(QUEUE.maintenance)
export class MaintenanceProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly notifications: NotificationsService,
    private readonly reevaluation: ReevaluationService,
    @InjectQueue(QUEUE.maintenance) private readonly maintenance: Queue,
    @InjectQueue(QUEUE.sweep) private readonly sweepQueue: Queue<SweepBatchJob>,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly escalation: SupportEscalation,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.upsertSchedulers();
    // A flushed Redis takes the schedulers with it: re-create them (idempotent) from a local timer.
    const every = this.config.NOTIFICATIONS_RECONCILE_SECONDS * 1000;
    this.watchdog = setInterval(
      () => void this.upsertSchedulers().catch((err: unknown) => this.logger.warn({ err }, 'job schedulers not renewed')),
      every,
    );
    this.watchdog.unref();
    // A restart may follow a Redis loss: reconcile at once rather than a minute later.
    await this.reconcile();
  }

  onApplicationShutdown(): void {
    clearInterval(this.watchdog);
  }

  private async upsertSchedulers(): Promise<void> {
    const every = this.config.NOTIFICATIONS_RECONCILE_SECONDS * 1000;
    await this.maintenance.upsertJobScheduler('reconcile-notifications', { every }, { name: 'reconcile' });
    await this.maintenance.upsertJobScheduler('nightly-reevaluation', { pattern: '0 3 * * *', tz: 'Europe/Moscow' }, NIGHTLY_SWEEP_JOB);
    await this.maintenance.upsertJobScheduler('support-escalation', { every: 15 * 60 * 1000 }, { name: 'support-escalation' });
  }

  async process(job: Job): Promise<number> {
    if (job.name === 'reconcile') return this.reconcile();
    if (job.name === NIGHTLY_SWEEP_JOB.name) return this.sweep(job);
    if (job.name === 'support-escalation') return this.escalate();
    this.logger.warn({ name: job.name }, 'unknown maintenance job');
    return 0;
  }

  /** Hands due, unsent notifications to the queue again; jobs still queued are not duplicated. */
  async reconcile(): Promise<number> {
    return this.notifications.redispatchDue();
  }

  /** Raises, once each, open tickets nearing (or past) their 1-working-day first-response limit in their topic. */
  async escalate(): Promise<number> {
    const chatId = this.config.SUPPORT_CHAT_ID;
    if (chatId === undefined) return 0;
    const due = await this.escalation.claimDue();
    const outbox = new SupportOutbox(this.notifications, this.clock, chatId);
    for (const { ticket, deadline, fallbackYear } of due) {
      // Claimed before scheduling: a failure is logged, never repeated into a flood of reminders; once
      // scheduled, the outbound queue retries it and posts it in the ticket's topic after its earlier messages.
      await outbox
        .toTopic(ticket, SUPPORT_KIND.escalation, ticket.id, {
          ticketId: ticket.id,
          deadline: deadline.toISOString(),
          deadlineFallbackYear: fallbackYear,
        })
        .catch((err: unknown) => this.logger.warn({ err, ticket: ticket.number }, 'support escalation not scheduled'));
    }
    if (due.length > 0) this.logger.info({ tickets: due.map((d) => d.ticket.number) }, 'support tickets escalated');
    return due.length;
  }

  /**
   * Splits everyone linked into batches of SWEEP_BATCH_SIZE (keyset pages of ids) and queues one job per
   * batch; the worker processes share them. Only ids are read here: the batches do the work. Retried, it
   * adds the same jobs (ids from the night and the range) and BullMQ keeps one of each, so batches
   * already done are not done again.
   */
  private async sweep(job: Job): Promise<number> {
    // The scheduler's firing time, not the start of this attempt: a retry after midnight is the same night.
    const night = localDateOf(new Date(job.opts.prevMillis ?? job.timestamp), 'Europe/Moscow');
    let after: string | undefined;
    let people = 0;
    let pending: SweepBatchJob[] = [];
    const flush = async () => {
      if (pending.length > 0) await this.sweepQueue.addBulk(pending.map(sweepBatchJob));
      pending = [];
    };
    for (;;) {
      const ids = await this.reevaluation.linkedPeople(after, this.config.SWEEP_BATCH_SIZE);
      if (ids.length === 0) break;
      pending.push({ night, first: ids[0], last: ids[ids.length - 1] });
      if (pending.length >= SWEEP_ADD_CHUNK) await flush();
      people += ids.length;
      after = ids[ids.length - 1];
    }
    await flush();
    this.logger.info({ people, night, batchSize: this.config.SWEEP_BATCH_SIZE }, 'nightly re-evaluation queued');
    return people;
  }
}
