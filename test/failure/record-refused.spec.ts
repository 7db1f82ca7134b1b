import { Redis } from 'ioredis';
import { redisConnectionOptions } from '../../infra/queues/queues';
import { OutboundHarness } from './outbound-harness';

/**
 * Telegram accepts the messages but the database refuses to record them (a trigger stands in for a
 * database that fails the statement after the send). Proves: no message is sent again for want of its
 * record — the worker keeps each send's receipt in Redis, and the job's next run records it from there
 * with Telegram's message_id — and nothing is counted as a possible duplicate.
 */
jest.setTimeout(120_000);

const COUNT = 30;

describe('outbound: sent, but the record refused', () => {
  const harness = new OutboundHarness({ env: { OUTBOUND_RATE_PER_SECOND: '100' } });
  let redis: Redis;

  beforeAll(async () => {
    await harness.start();
    redis = new Redis(redisConnectionOptions(harness.env.REDIS_URL));
  });

  afterAll(async () => {
    redis?.disconnect();
    await harness.db.$executeRawUnsafe('DROP TRIGGER IF EXISTS refuse_sent ON "Notification"').catch(() => undefined);
    await harness.stop();
  });

  it('records each send from its receipt on the next run instead of sending it again', async () => {
    await harness.db.$executeRawUnsafe(`
      CREATE FUNCTION refuse_sent() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'record refused for the test'; END $$ LANGUAGE plpgsql`);
    await harness.db.$executeRawUnsafe(`
      CREATE TRIGGER refuse_sent BEFORE UPDATE ON "Notification"
      FOR EACH ROW WHEN (NEW.state = 'SENT') EXECUTE FUNCTION refuse_sent()`);
    const people = await harness.createPeople(COUNT, 500_000);
    await harness.scheduleReminders(people);
    await harness.startWorkerInProcess();

    await harness.waitUntil(() => harness.totalSent() === COUNT, 60_000, 'every reminder sent once');
    const receipts = await redis.keys(`${harness.env.REDIS_PREFIX}:outbound:unrecorded:*`);
    expect(receipts.length).toBeGreaterThan(0);
    expect(await harness.db.notification.count({ where: { state: 'SENT' } })).toBe(0);
    await harness.db.$executeRawUnsafe('DROP TRIGGER refuse_sent ON "Notification"');

    await harness.waitUntil(
      async () => (await harness.db.notification.count({ where: { state: 'SENT' } })) === COUNT,
      60_000,
      'every reminder recorded',
    );
    expect(Math.max(...people.map((p) => harness.sentPerChat.get(p.chatId) ?? 0))).toBe(1);
    const landed = new Map(
      harness.standin
        .calls('sendMessage')
        .filter((c) => c.ok)
        .map((c) => [c.chatId, (c.result as { message_id: number }).message_id]),
    );
    const rows = await harness.db.notification.findMany({ include: { person: { include: { telegramIdentities: true } } } });
    for (const row of rows) {
      const chatId = Number(row.person!.telegramIdentities[0].chatId);
      expect(row).toMatchObject({ telegramChatId: BigInt(chatId), telegramMessageId: landed.get(chatId), uncertainResends: 0 });
    }
    expect(await redis.keys(`${harness.env.REDIS_PREFIX}:outbound:unrecorded:*`)).toEqual([]);
  });
});
