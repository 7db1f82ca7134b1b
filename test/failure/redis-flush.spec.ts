import { Redis } from 'ioredis';
import { redisConnectionOptions } from '../../infra/queues/queues';
import { OutboundHarness } from './outbound-harness';

/**
 * Redis is flushed (FLUSHDB on a database of its own) half way through 600 reminders: every queued job,
 * the limiter's keys and the reconciler's own job scheduler are gone. Proves: the worker re-creates the
 * scheduler, the reconciler re-enqueues every due PENDING row from PostgreSQL, and all are delivered,
 * none more than twice.
 */
jest.setTimeout(120_000);

const COUNT = 600;
/** Used by no other test: this one wipes it. */
const REDIS_DB = 11;

describe('outbound: Redis flushed mid-run', () => {
  const harness = new OutboundHarness({ redisDb: REDIS_DB, env: { OUTBOUND_RATE_PER_SECOND: '100', NOTIFICATIONS_RECONCILE_SECONDS: '2' } });
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

    await harness.waitUntil(() => harness.totalSent() >= COUNT / 4, 60_000, 'a quarter sent');
    await redis.flushdb();
    expect(await harness.queue.getJobCounts('wait', 'delayed', 'prioritized')).toEqual({ wait: 0, delayed: 0, prioritized: 0 });
    const sentAtFlush = harness.totalSent();
    expect(sentAtFlush).toBeLessThan(COUNT);

    await harness.waitUntil(async () => (await harness.db.notification.count({ where: { state: 'SENT' } })) === COUNT, 90_000, 'every row SENT');
    expect(people.filter((p) => !harness.sentPerChat.get(p.chatId))).toEqual([]);
    expect(Math.max(...harness.sentPerChat.values())).toBeLessThanOrEqual(2);
  });
});
