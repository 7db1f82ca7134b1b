import { Queue } from 'bullmq';
import { addDays, addYears } from '../../core/shared/dates';
import { localDateOf } from '../../core/shared/local-date';
import { NIGHTLY_SWEEP_JOB, QUEUE, redisConnectionOptions, type SweepBatchJob } from '../../infra/queues/queues';
import { OutboundHarness } from './outbound-harness';

/**
 * Requirement 3 of #18: the nightly sweep is split in batches on BullMQ; a worker killed mid-sweep
 * (SIGKILL: no clean-up) and started again finishes only the batches that were not done, and nobody
 * is notified twice. The worker runs as production runs it (worker/main.ts as a child process).
 */
const PEOPLE = 1200;
const BATCH = 25;

describe('a worker killed in the middle of the nightly sweep', () => {
  const harness = new OutboundHarness({ env: { SWEEP_BATCH_SIZE: String(BATCH), SWEEP_CONCURRENCY: '1' } });
  let maintenance: Queue;
  let batches: Queue<SweepBatchJob>;

  beforeAll(async () => {
    await harness.start();
    const connection = redisConnectionOptions(harness.env.REDIS_URL);
    maintenance = new Queue(QUEUE.maintenance, { connection, prefix: harness.env.REDIS_PREFIX });
    batches = new Queue<SweepBatchJob>(QUEUE.sweep, { connection, prefix: harness.env.REDIS_PREFIX });
  }, 60_000);

  afterAll(async () => {
    await maintenance?.obliterate({ force: true }).catch(() => undefined);
    await batches?.obliterate({ force: true }).catch(() => undefined);
    await maintenance?.close();
    await batches?.close();
    await harness.stop();
  });

  it('re-does only unfinished batches after a restart and notifies everyone once', async () => {
    const people = await harness.createPeople(PEOPLE);
    // About 99 days before the cycle ends, with nothing done: each person's first evaluation is a 180-day notice.
    const cycleStart = addDays(addYears(localDateOf(new Date(), 'Europe/Moscow'), -5), 100);
    await harness.db.person.updateMany({ data: { lastAccreditationDate: new Date(`${cycleStart}T00:00:00Z`) } });

    harness.startWorkerChild();
    const sweep = await maintenance.add(NIGHTLY_SWEEP_JOB.name, {}, NIGHTLY_SWEEP_JOB.opts);
    await harness.waitUntil(async () => (await batches.getJobCounts('completed')).completed >= 5, 60_000, 'five batches done');
    await harness.killWorkerChild('SIGKILL');

    const doneBeforeKill = await batches.getJobs(['completed']);
    const counts = await batches.getJobCounts('completed', 'waiting', 'active', 'prioritized', 'delayed');
    expect(counts.completed).toBeLessThan(PEOPLE / BATCH);
    expect(counts.waiting + counts.active + counts.prioritized + counts.delayed).toBeGreaterThan(0);

    harness.startWorkerChild();
    await harness.waitUntil(
      async () => (await batches.getJobCounts('completed')).completed === PEOPLE / BATCH,
      120_000,
      'every batch done',
    );
    await harness.waitUntil(
      async () => (await harness.db.notification.count({ where: { state: 'SENT' } })) === PEOPLE,
      120_000,
      'every notice sent',
    );

    // Each batch is one job, run to completion once; those done before the kill were not run again.
    const all = await batches.getJobs(['completed']);
    expect(all).toHaveLength(PEOPLE / BATCH);
    expect(new Set(all.map((job) => job.data.first)).size).toBe(PEOPLE / BATCH);
    for (const before of doneBeforeKill) {
      const after = await batches.getJob(before.id!);
      expect({ id: before.id, finishedOn: after?.finishedOn, attemptsMade: after?.attemptsMade }).toEqual({
        id: before.id,
        finishedOn: before.finishedOn,
        attemptsMade: before.attemptsMade,
      });
    }
    expect(await harness.db.statusSnapshot.count()).toBe(PEOPLE);

    // The same night's sweep once more (as its retry would): every batch exists, none is added or run again.
    const finished = new Map(all.map((job) => [job.id, job.finishedOn]));
    const again = await maintenance.add(NIGHTLY_SWEEP_JOB.name, {}, { ...NIGHTLY_SWEEP_JOB.opts, timestamp: sweep.timestamp });
    await harness.waitUntil(async () => (await again.getState()) === 'completed', 60_000, 'the second sweep');
    const afterAgain = await batches.getJobs(['completed', 'waiting', 'active', 'prioritized', 'delayed']);
    expect(new Map(afterAgain.map((job) => [job.id, job.finishedOn]))).toEqual(finished);

    // One notice per person, delivered; a second send could only come from a send in flight at the kill.
    const notifications = await harness.db.notification.findMany({ select: { personId: true, kind: true } });
    expect(notifications).toHaveLength(PEOPLE);
    expect(new Set(notifications.map((n) => n.personId)).size).toBe(PEOPLE);
    expect(new Set(notifications.map((n) => n.kind))).toEqual(new Set(['credits.period-end']));
    const sends = people.map((p) => harness.sentPerChat.get(p.chatId) ?? 0);
    expect(sends.filter((n) => n === 0)).toEqual([]);
    expect(sends.filter((n) => n > 1).length).toBeLessThanOrEqual(8);
  }, 300_000);
});
