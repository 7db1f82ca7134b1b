import path from 'node:path';
import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { Job, Queue } from 'bullmq';
import { ReferenceRefreshService } from '../../core/registry/reference-refresh.service';
import { RegistrySyncService } from '../../core/registry/registry-sync.service';
import type { Config } from '../../infra/config/config';
import type { Logger } from '../../infra/logger';
import { CONFIG, LOGGER } from '../../infra/nest/tokens';
import { QUEUE } from '../../infra/queues/queues';
import { RegistryFolderWatch } from './registry-folder-watch';

/** How often the watchdog looks for a sync late by more than 2 hours. */
const WATCHDOG_EVERY_MS = 10 * 60 * 1000;

/**
 * A file dropped in the registry folder is synced within this many milliseconds (R-SYNC «critical changes
 * at once»): long enough for a copy in progress to settle, short enough that a rejection reaches the person
 * in seconds rather than at the next hourly run.
 */
export const REGISTRY_SETTLE_MS = 2000;

/** A lost watch of the registry folder (an error, the folder removed) is started again after this long. */
const REWATCH_MS = 5000;

/** Job names of the sync queue, each fired by one BullMQ job scheduler. */
export const SYNC_JOB = {
  registry: 'registry-sync',
  watchdog: 'sync-watchdog',
  reference: 'reference-refresh',
  yearReset: 'year-reset',
} as const;

/**
 * R-SYNC on BullMQ job schedulers (one firing across replicas): registry statuses hourly, reference data
 * daily at 02:00 Moscow, the 1 January 00:05 reset of calendar-year periods, and a watchdog that raises a
 * sync late by more than 2 hours.
 */
@Processor(QUEUE.sync)
export class SyncProcessor extends WorkerHost implements OnApplicationBootstrap, OnApplicationShutdown {
  private watchdog?: NodeJS.Timeout;
  private folder?: RegistryFolderWatch;

  constructor(
    private readonly registry: RegistrySyncService,
    private readonly reference: ReferenceRefreshService,
    @InjectQueue(QUEUE.sync) private readonly queue: Queue,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  async onApplicationBootstrap(): Promise<void> {
    await this.upsertSchedulers();
    this.watchdog = setInterval(
      () => void this.upsertSchedulers().catch((err: unknown) => this.logger.warn({ err }, 'sync schedulers not renewed')),
      this.config.NOTIFICATIONS_RECONCILE_SECONDS * 1000,
    );
    this.watchdog.unref();
    this.watchFolder();
  }

  onApplicationShutdown(): void {
    clearInterval(this.watchdog);
    this.folder?.stop();
  }

  /**
   * The hourly run stays the safety net; a file waiting at start, a new file, and one that arrived while
   * the watch was lost are applied at once (see RegistryFolderWatch). Every replica watches, and the
   * deduplication id makes their triggers one job; a run that finds nothing left to do changes nothing.
   */
  private watchFolder(): void {
    const dir = this.config.REGISTRY_DIR ?? path.join(this.config.DATA_DIR, 'registry');
    this.folder = new RegistryFolderWatch(dir, () => this.syncNow(), this.logger, { settleMs: REGISTRY_SETTLE_MS, rewatchMs: REWATCH_MS });
    this.folder.start();
  }

  private syncNow(): void {
    this.queue
      .add(
        SYNC_JOB.registry,
        {},
        { deduplication: { id: 'registry-sync-now', ttl: REGISTRY_SETTLE_MS }, removeOnComplete: 100, removeOnFail: 500 },
      )
      .catch((err: unknown) => this.logger.warn({ err }, 'immediate registry sync not queued: the hourly run will apply the file'));
  }

  private async upsertSchedulers(): Promise<void> {
    const opts = { removeOnComplete: 100, removeOnFail: 500 };
    const moscow = (pattern: string) => ({ pattern, tz: 'Europe/Moscow' });
    await this.queue.upsertJobScheduler(SYNC_JOB.registry, moscow('0 * * * *'), { name: SYNC_JOB.registry, opts });
    await this.queue.upsertJobScheduler(SYNC_JOB.watchdog, { every: WATCHDOG_EVERY_MS }, { name: SYNC_JOB.watchdog, opts });
    await this.queue.upsertJobScheduler(SYNC_JOB.reference, moscow('0 2 * * *'), { name: SYNC_JOB.reference, opts });
    await this.queue.upsertJobScheduler(SYNC_JOB.yearReset, moscow('5 0 1 1 *'), { name: SYNC_JOB.yearReset, opts });
  }

  async process(job: Job): Promise<unknown> {
    switch (job.name) {
      case SYNC_JOB.registry: {
        const outcome = await this.registry.run();
        if (outcome.ok)
          this.logger.info(
            { run: outcome.runId, files: outcome.summary.files.map((f) => ({ name: f.name, outcome: f.outcome, problem: f.problem })) },
            'registry sync done',
          );
        else this.logger.error({ run: outcome.runId, error: outcome.error }, 'registry sync failed');
        return outcome;
      }
      case SYNC_JOB.watchdog: {
        const lateness = await this.registry.checkLateness();
        if (lateness.late) this.logger.error(lateness, 'registry sync late by more than 2 hours');
        return lateness;
      }
      case SYNC_JOB.reference: {
        const result = await this.reference.refresh();
        if (result.summary.missingCalendarYears.length > 0)
          this.logger.warn(
            { years: result.summary.missingCalendarYears },
            'no production calendar for these years: load them with POST /admin/calendar/years',
          );
        if (result.summary.settledDeadlines?.recomputed)
          this.logger.info(result.summary.settledDeadlines, 'provisional deadlines recomputed on a calendar year loaded since');
        if (!result.ok) this.logger.error({ invalid: result.summary.invalidRuleSets }, 'stored rule sets no longer parse');
        return result;
      }
      case SYNC_JOB.yearReset: {
        const people = await this.reference.resetCalendarYearPeople();
        this.logger.info({ people }, 'calendar-year periods reset: re-evaluation queued');
        return { people };
      }
      default:
        this.logger.warn({ name: job.name }, 'unknown sync job');
        return null;
    }
  }
}
