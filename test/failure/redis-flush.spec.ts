import { Redis } from 'ioredis';
import { QUEUE, redisConnectionOptions } from '../../infra/queues/queues';
import { OutboundHarness } from './outbound-harness';

/**
 * Redis is flushed (FLUSHDB on a database of its own) half way through 600 reminders: every queued job,
 * the limiter's keys and the reconciler's own job scheduler are gone. Proves: the worker re-creates the
 * scheduler, the reconciler re-enqueues every due PENDING row from PostgreSQL, and all are delivered,
 * none more than twice.
 */
jest.setTimeout(300_000);

const COUNT = 600;
/** Used by no other test: this one wipes it. */
const REDIS_DB = 11;

describe('outbound: Redis flushed mid-run', () => {
  const harness = new OutboundHarness({
    redisDb: REDIS_DB,
    env: { OUTBOUND_RATE_PER_SECOND: '100', NOTIFICATIONS_RECONCILE_SECONDS: '2' },
  });
  let redis: Redis;

  beforeAll(async () => {
    await harness.start();
    harness.standin.setLatency(10);
    redis = new Redis(redisConnectionOptions(harness.env.REDIS_URL));
  });

  afterAll(async () => {
    redis?.disconnect();
    await harness.stop();
  });

  it('restores what was due from the database and delivers everything', async () => {
    const people = await harness.createPeople(COUNT, 200_000);
    await harness.scheduleReminders(people);
    await harness.startWorkerInProcess();

    await harness.waitUntil(() => harness.totalSent() >= COUNT / 4, 180_000, 'a quarter sent');
    // The worker keeps running through the flush and re-adds jobs as soon as it can, so what the flush
    // removed is read in the same MULTI as the flush itself: queued jobs and the reconciler's scheduler
    // existed the instant before, and no key at all the instant after. Reading the queue afterwards
    // would race the very recovery this test is about.
    const outbound = `${harness.env.REDIS_PREFIX}:${QUEUE.outbound}`;
    const maintenance = `${harness.env.REDIS_PREFIX}:${QUEUE.maintenance}`;
    const replies = await redis
      .multi()
      .llen(`${outbound}:wait`)
      .zcard(`${outbound}:delayed`)
      .zcard(`${outbound}:prioritized`)
      .zscore(`${maintenance}:repeat`, 'reconcile-notifications')
      .flushdb()
      .dbsize()
      .exec();
    const sentAtFlush = harness.totalSent();
    const [waiting, delayed, prioritized, reconcilerNext, , keysAfter] = replies!.map(([error, value]) => {
      if (error) throw error;
      return value;
    });
    expect(Number(waiting) + Number(delayed) + Number(prioritized)).toBeGreaterThan(0);
    expect(reconcilerNext).not.toBeNull();
    expect(keysAfter).toBe(0);
    expect(sentAtFlush).toBeLessThan(COUNT);

    await harness.waitUntil(
      async () => (await harness.db.notification.count({ where: { state: 'SENT' } })) === COUNT,
      180_000,
      'every row SENT',
    );
    expect(people.filter((p) => !harness.sentPerChat.get(p.chatId))).toEqual([]);
    expect(Math.max(...harness.sentPerChat.values())).toBeLessThanOrEqual(2);
    // The worker re-created the reconciler's schedule the flush had removed.
    expect(await redis.zscore(`${maintenance}:repeat`, 'reconcile-notifications')).not.toBeNull();
  });
});
