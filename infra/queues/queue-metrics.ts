import type { Queue } from 'bullmq';
import { Gauge, type Registry } from 'prom-client';

/** What the gauges read of the database: notifications by state. */
export interface NotificationStates {
  countsByState(): Promise<Record<string, number>>;
}

/** A count over every notification ever written is read at most this often, however often /metrics is scraped. */
const STATES_CACHE_MS = 15_000;
/**
 * A queue's commands wait for Redis while it is away (BullMQ's connections never give up): a scrape
 * must not. What cannot be read in time is reported as NaN, and the rest of /metrics still answers.
 */
const READ_TIMEOUT_MS = 2_000;

/**
 * Queue depth, the age of the oldest waiting job, and notifications by state, read when /metrics is
 * scraped (these are global figures: every replica reports the same, so aggregate with max()).
 * - `nmo_queue_depth{queue}`: jobs ready to run that no worker has taken yet (waiting and prioritized).
 * - `nmo_queue_jobs{queue,state}`: waiting, prioritized, active, delayed, failed.
 * - `nmo_queue_oldest_waiting_age_seconds{queue}`: since the oldest ready job became ready (created, plus
 *   its delay); 0 when none waits. A depth that does not fall while this grows means no worker is taking jobs.
 * - `nmo_notifications{state}`: PENDING, SENT, FAILED, CANCELLED.
 */
export function registerQueueMetrics(
  registry: Registry,
  queues: readonly Queue[],
  notifications: NotificationStates,
  now: () => number = Date.now,
): void {
  new Gauge({
    name: 'nmo_queue_depth',
    help: 'Jobs ready to run that no worker has taken yet (waiting and prioritized), by queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await within(queue.getJobCounts('waiting', 'prioritized'));
          this.set({ queue: queue.name }, counts ? (counts.waiting ?? 0) + (counts.prioritized ?? 0) : NaN);
        }),
      );
    },
  });
  new Gauge({
    name: 'nmo_queue_jobs',
    help: 'Jobs by queue and state',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      const states = ['waiting', 'prioritized', 'active', 'delayed', 'failed'] as const;
      await Promise.all(
        queues.map(async (queue) => {
          const counts = await within(queue.getJobCounts(...states));
          for (const state of states) this.set({ queue: queue.name, state }, counts ? (counts[state] ?? 0) : NaN);
        }),
      );
    },
  });
  new Gauge({
    name: 'nmo_queue_oldest_waiting_age_seconds',
    help: 'Seconds since the oldest job ready to run became ready (0 when none waits), by queue',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      await Promise.all(
        queues.map(async (queue) => {
          // getWaiting lists oldest first (checked against BullMQ 6): the first is the next a worker takes.
          const waiting = await within(queue.getWaiting(0, 0));
          if (!waiting) return this.set({ queue: queue.name }, NaN);
          const oldest = waiting[0];
          const readyAt = oldest ? oldest.timestamp + (oldest.delay ?? 0) : undefined;
          this.set({ queue: queue.name }, readyAt === undefined ? 0 : Math.max(0, (now() - readyAt) / 1000));
        }),
      );
    },
  });
  let cached: { at: number; counts: Promise<Record<string, number>> } | undefined;
  new Gauge({
    name: 'nmo_notifications',
    help: 'Notifications by state',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      if (!cached || now() - cached.at >= STATES_CACHE_MS) cached = { at: now(), counts: notifications.countsByState() };
      const counts = await within(cached.counts);
      if (!counts) {
        cached = undefined;
        for (const state of ['PENDING', 'SENT', 'FAILED', 'CANCELLED']) this.set({ state }, NaN);
        return;
      }
      for (const [state, count] of Object.entries(counts)) this.set({ state }, count);
    },
  });
}

/** The value, or undefined when it failed or did not come within READ_TIMEOUT_MS. */
async function within<T>(promise: Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), READ_TIMEOUT_MS);
    timer.unref();
  });
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
