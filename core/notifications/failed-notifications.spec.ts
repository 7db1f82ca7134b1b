import { Queue, Worker } from 'bullmq';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { waitUntil } from '../../test/support/eventually';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import { QUEUE, QueueOutboundDispatch, redisConnectionOptions } from '../../infra/queues/queues';
import { createDatabase, type Database } from '../shared/database';
import { FailedNotifications } from './failed-notifications';

/**
 * Which FAILED notifications a retry takes (those Telegram never had, of people still reachable) and that
 * it takes each once however often it is asked, on real PostgreSQL and a real outbound queue in Redis.
 */
describe('FailedNotifications', () => {
  let database: TestDatabase;
  let db: Database;
  let queue: Queue;
  let failed: FailedNotifications;
  const actor = { type: 'admin', id: 'test' } as const;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    queue = new Queue(QUEUE.outbound, { connection: redisConnectionOptions(testRedisUrl()), prefix: testRedisPrefix() });
    failed = new FailedNotifications(db, new QueueOutboundDispatch(queue));
  });

  afterAll(async () => {
    await queue?.obliterate({ force: true });
    await queue?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  let n = 0;
  async function person(fields: { unreachableSince?: Date; deletedAt?: Date } = {}) {
    n++;
    return db.person.create({
      data: {
        onboardingStep: 'LINKED',
        ...fields,
        telegramIdentities: { create: { telegramUserId: BigInt(900_000 + n), chatId: BigInt(900_000 + n) } },
      },
    });
  }
  async function notification(fields: {
    personId?: string;
    chatId?: bigint;
    kind?: string;
    state?: 'FAILED' | 'PENDING';
    sendingBy?: string;
  }) {
    n++;
    return db.notification.create({
      data: {
        idempotencyKey: `failed-test-${n}`,
        kind: fields.kind ?? 'credits.met',
        dueAt: new Date('2026-11-25T09:00:00Z'),
        state: fields.state ?? 'FAILED',
        lastError: 'Bad Request: chat not found',
        attempts: 1,
        personId: fields.personId,
        chatId: fields.chatId,
        sendingBy: fields.sendingBy,
        sendingSince: fields.sendingBy ? new Date('2026-11-25T09:00:00Z') : undefined,
      },
    });
  }

  it('retries only what did not reach Telegram, once each even when asked twice at once', async () => {
    const reachable = await notification({ personId: (await person()).id });
    const group = await notification({ chatId: -100123n, kind: 'support.relay' });
    const perhaps = await notification({ personId: (await person()).id, sendingBy: '1700000000000#1' });
    const blocked = await notification({ personId: (await person({ unreachableSince: new Date() })).id });
    const deleted = await notification({ personId: (await person({ deletedAt: new Date() })).id });
    const pending = await notification({ personId: (await person()).id, state: 'PENDING' });

    expect(await failed.list()).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: reachable.id, retryable: true }),
        expect.objectContaining({ id: group.id, retryable: true }),
        expect.objectContaining({ id: perhaps.id, retryable: false, held: 'perhaps-delivered' }),
        expect.objectContaining({ id: blocked.id, retryable: false, held: 'unreachable' }),
        expect.objectContaining({ id: deleted.id, retryable: false, held: 'deleted' }),
      ]),
    );

    const [first, second] = await Promise.all([failed.retry({}, actor), failed.retry({}, actor)]);
    expect([...first.requeued, ...second.requeued].sort()).toEqual([reachable.id, group.id].sort());
    expect(first.held).toBe(3);
    const states = await db.notification.findMany({ select: { id: true, state: true } });
    const stateOf = (id: string) => states.find((row) => row.id === id)?.state;
    expect([reachable, group, pending].map((row) => stateOf(row.id))).toEqual(['PENDING', 'PENDING', 'PENDING']);
    expect([perhaps, blocked, deleted].map((row) => stateOf(row.id))).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect((await queue.getJobs(['waiting', 'delayed'])).map((job) => job.id).sort()).toEqual([reachable.id, group.id].sort());
    expect(await db.auditLog.count({ where: { action: 'notification.retried' } })).toBe(2);

    expect((await failed.retry({}, actor)).requeued).toEqual([]);
  });

  it('replaces the ended job that holds the notification id, and keeps to the filter', async () => {
    const announcement = await notification({ personId: (await person()).id, kind: 'announcement' });
    const other = await notification({ personId: (await person()).id, kind: 'credits.met' });
    // The job of the first attempt ended completed (a 400 ends the row FAILED and its job completed),
    // and BullMQ keeps it for a day under the notification's id.
    await queue.obliterate({ force: true });
    await queue.add('send', { notificationId: announcement.id }, { jobId: announcement.id });
    const worker = new Worker(queue.name, async () => 'failed', {
      connection: redisConnectionOptions(testRedisUrl()),
      prefix: queue.opts.prefix,
    });
    await waitUntil(async () => (await queue.getJobState(announcement.id)) === 'completed', 'the first attempt to complete', 60_000);
    await worker.close();

    const outcome = await failed.retry({ kind: 'announcement' }, actor);
    expect(outcome.requeued).toEqual([announcement.id]);
    expect(await queue.getJobState(announcement.id)).toBe('waiting');
    expect((await db.notification.findUniqueOrThrow({ where: { id: other.id } })).state).toBe('FAILED');
  });
});
