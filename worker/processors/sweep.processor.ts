import { OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import type { Job } from 'bullmq';
import { ReevaluationService } from '../../core/credits/reevaluation.service';
import type { Config } from '../../infra/config/config';
import type { Logger } from '../../infra/logger';
import { CONFIG, LOGGER } from '../../infra/nest/tokens';
import { QUEUE, type SweepBatchJob } from '../../infra/queues/queues';

/**
 * One batch of the nightly sweep (R-RULES): everyone linked in an id range, re-evaluated through the same
 * `ReevaluationService` as a single person after a change. Any number of worker processes take batches
 * from the queue; a batch that fails is retried with backoff, and a retried batch creates no notice twice.
 */
// A batch takes about a second, and its lock is renewed every 7.5 s while it runs: a crashed worker's
// batch is taken over within 30 s. Stalls beyond the third fail the job rather than loop on a poison batch.
@Processor(QUEUE.sweep, { concurrency: 2, lockDuration: 15_000, stalledInterval: 15_000, maxStalledCount: 3 })
export class SweepProcessor extends WorkerHost implements OnApplicationBootstrap {
  constructor(
    private readonly reevaluation: ReevaluationService,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.concurrency = this.config.SWEEP_CONCURRENCY;
  }

  async process(job: Job<SweepBatchJob>): Promise<{ people: number; written: number; notified: number }> {
    const { first, last, night } = job.data;
    const result = await this.reevaluation.reevaluateBetween(first, last);
    const summary = { people: result.evaluated, written: result.written, notified: result.notified };
    if (summary.notified > 0) {
      const crossed = result.crossed.map((c) => ({ person_id: c.personId, kinds: c.thresholds.map((t) => t.kind) }));
      this.logger.info({ night, first, last, ...summary, crossed }, 'sweep batch crossed thresholds');
    } else this.logger.debug({ night, first, last, ...summary }, 'sweep batch done');
    return summary;
  }

  /** A batch that used up its attempts: the people in it keep yesterday's snapshot until tomorrow night. */
  @OnWorkerEvent('failed')
  onFailed(job: Job<SweepBatchJob> | undefined, error: Error): void {
    // Earlier attempts are retried; a job stalled more often than allowed is not.
    if (!job || (job.attemptsMade < (job.opts.attempts ?? 1) && !/stalled/i.test(error.message))) return;
    this.logger.error({ err: error, night: job.data.night, first: job.data.first, last: job.data.last }, 'sweep batch failed for good');
  }
}
