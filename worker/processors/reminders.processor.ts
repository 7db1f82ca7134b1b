import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { RemindersService, type ReminderRunSummary } from '../../core/reminders/reminders.service';
import type { Config } from '../../infra/config/config';
import type { Logger } from '../../infra/logger';
import { CONFIG, LOGGER } from '../../infra/nest/tokens';
import { QUEUE } from '../../infra/queues/queues';

/**
 * Deadline reminders (R-REMIND) once a day at 09:00 Moscow on a BullMQ job scheduler, so one firing
 * happens across any number of worker replicas; every notice is idempotent, so a repeat firing is harmless.
 */
@Processor(QUEUE.reminders)
export class RemindersProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private watchdog?: NodeJS.Timeout;

  constructor(
    private readonly reminders: RemindersService,
    @InjectQueue(QUEUE.reminders) private readonly queue: Queue,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.upsertSchedulers();
    // A flushed Redis takes the schedulers with it: re-create them (idempotent) from a local timer.
    this.watchdog = setInterval(
      () => void this.upsertSchedulers().catch((err: unknown) => this.logger.warn({ err }, 'reminder schedulers not renewed')),
      this.config.NOTIFICATIONS_RECONCILE_SECONDS * 1000,
    );
    this.watchdog.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.watchdog);
  }

  private async upsertSchedulers(): Promise<void> {
    await this.queue.upsertJobScheduler(
      'daily-reminders',
      { pattern: '0 9 * * *', tz: 'Europe/Moscow' },
      { name: 'daily-reminders', opts: { removeOnComplete: 100, removeOnFail: 500 } },
    );
  }

  async process(job: Job): Promise<ReminderRunSummary | null> {
    if (job.name !== 'daily-reminders') {
      this.logger.warn({ name: job.name }, 'unknown reminders job');
      return null;
    }
    // The reviewers' list finds the review topic when the outbound worker sends it, not now.
    const summary = await this.reminders.runDaily();
    this.logger.info(summary, 'daily reminders scheduled');
    return summary;
  }
}
