import type { JobsOptions, Queue } from 'bullmq';
import type { EvaluationRequests } from '../../core/credits/credits.service';
import type { OutboundDispatch } from '../../core/notifications/notifications.service';
import type { OutboundRequeue } from '../../core/notifications/failed-notifications';

/** Queue names and job payloads shared by producers (bot, worker) and processors (worker). */
export const QUEUE = {
  /** Re-evaluate one person's credits after a change. */
  evaluation: 'evaluation',
  /** Every proactive message, rate-limited to Telegram's limits (R-SEND). */
  outbound: 'outbound',
  /** Periodic work: nightly sweep, reconciler. */
  maintenance: 'maintenance',
  /** The nightly sweep's batches of people, shared by every worker process (see `SweepBatchJob`). */
  sweep: 'sweep',
  /** Daily deadline reminders (R-REMIND), 09:00 Moscow. */
  reminders: 'reminders',
  /** Registry sync hourly, reference refresh at 02:00, the 1 January reset, the late-sync watchdog (R-SYNC). */
  sync: 'sync',
} as const;

export interface EvaluationJob {
  personId: string;
  reason: string;
}

export interface OutboundJob {
  notificationId: string;
}

/** One batch of the nightly sweep: everyone linked with an id from `first` to `last` (uuid order). */
export interface SweepBatchJob {
  /** The night the sweep belongs to (its Moscow date): with the range, the job's id. */
  night: string;
  first: string;
  last: string;
}

/**
 * The nightly sweep job as the maintenance queue's scheduler adds it at 03:00 Moscow time (and as
 * benchmarks and tests add it by hand). Retried: a sweep that fails half way adds the same batches again,
 * and those already added or done are not added twice (`sweepBatchJobId`).
 */
export const NIGHTLY_SWEEP_JOB = {
  name: 'nightly-sweep',
  opts: { attempts: 5, backoff: { type: 'exponential', delay: 30_000 } },
} as const;

/**
 * The same night and range give the same id, so re-adding a batch (the sweep retried, a second replica
 * firing) is a no-op while the job is kept: two days after it completes, a fortnight after it fails.
 * Retries with backoff cover a database restart or a deploy; a batch run again is harmless.
 */
export function sweepBatchJob(batch: SweepBatchJob): { name: string; data: SweepBatchJob; opts: JobsOptions } {
  return {
    name: 'reevaluate-batch',
    data: batch,
    opts: {
      jobId: `sweep-${batch.night}-${batch.first}-${batch.last}`,
      attempts: 8,
      backoff: { type: 'exponential', delay: 5_000 },
      removeOnComplete: { age: 2 * 24 * 3600 },
      removeOnFail: { age: 14 * 24 * 3600 },
    },
  };
}

export function redisConnectionOptions(url: string) {
  const parsed = new URL(url);
  return {
    host: parsed.hostname,
    port: Number(parsed.port || 6379),
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0,
    tls: parsed.protocol === 'rediss:' ? {} : undefined,
    // BullMQ requires it: blocking commands must not be cut off by a retry limit.
    maxRetriesPerRequest: null,
  };
}

export class QueueEvaluationRequests implements EvaluationRequests {
  constructor(private readonly queue: Queue<EvaluationJob>) {}

  async request(personId: string, reason: string): Promise<void> {
    await this.queue.add(
      'evaluate',
      { personId, reason },
      { removeOnComplete: 1000, removeOnFail: 5000, attempts: 3, backoff: { type: 'exponential', delay: 1000 } },
    );
  }
}

export class QueueOutboundDispatch implements OutboundDispatch, OutboundRequeue {
  constructor(private readonly queue: Queue<OutboundJob>) {}

  /**
   * The job id is the notification id: while the job exists, dispatching again (a reconciler pass,
   * a retried scheduling) adds nothing. After a Redis flush it is gone and the reconciler adds it anew.
   */
  async dispatch(notificationId: string, notBefore: Date): Promise<void> {
    await this.queue.add('send', { notificationId }, outboundJobOptions(notificationId, notBefore));
  }

  /** One round trip per batch instead of per job: the reconciler may re-add 100,000 after a flush. */
  async dispatchMany(items: ReadonlyArray<{ id: string; dueAt: Date }>): Promise<void> {
    if (items.length === 0) return;
    await this.queue.addBulk(items.map((n) => ({ name: 'send', data: { notificationId: n.id }, opts: outboundJobOptions(n.id, n.dueAt) })));
  }

  /**
   * A job kept after it ended (failed: up to a week; completed: a day) holds its id, and adding a job
   * with that id again adds nothing: a notification retried by an admin needs its old job gone first.
   */
  async forgetEnded(notificationIds: readonly string[]): Promise<void> {
    for (const id of notificationIds) {
      const job = await this.queue.getJob(id);
      if (!job) continue;
      const state = await job.getState();
      if (state === 'failed' || state === 'completed') await job.remove();
    }
  }
}

function outboundJobOptions(notificationId: string, notBefore: Date): JobsOptions {
  return {
    jobId: notificationId,
    delay: Math.max(0, notBefore.getTime() - Date.now()),
    attempts: 6,
    backoff: { type: 'exponential', delay: 2000 },
    removeOnComplete: { age: 24 * 3600, count: 10000 },
    removeOnFail: { age: 7 * 24 * 3600 },
  };
}
