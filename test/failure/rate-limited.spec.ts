import { OutboundHarness } from './outbound-harness';

/**
 * Telegram answers 429 with retry_after. Proves: the whole queue waits (no send starts during the
 * pause), nothing is lost or doubled, and the number of 429s stays small — the queue backs off rather
 * than hammering.
 */
jest.setTimeout(120_000);

const CONCURRENCY = 8;

describe('outbound: Telegram answers 429', () => {
  const harness = new OutboundHarness({ env: { OUTBOUND_RATE_PER_SECOND: '50', OUTBOUND_CONCURRENCY: String(CONCURRENCY) } });

  beforeAll(async () => {
    await harness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  afterEach(async () => {
    await harness.stopWorkerInProcess();
  });

  it('pauses the whole queue for retry_after on an injected 429, loses nothing', async () => {
    const people = await harness.createPeople(150, 300_000);
    harness.standin.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 }, 3);
    const since = harness.standin.callCount();
    await harness.scheduleReminders(people);
    await harness.startWorkerInProcess();

    await harness.waitUntil(() => people.every((p) => harness.sentPerChat.get(p.chatId) === 1), 60_000, 'every chat served');
    const calls = harness.standin.calls('sendMessage').filter((c) => c.index >= since);
    const limited = calls.filter((c) => !c.ok && c.error?.error_code === 429);
    expect(limited).toHaveLength(3);

    // The worker learns of the 429 some time after the stand-in answered it (later on a loaded machine)
    // and pauses for 1 s from then: what the stand-in accepts in the second after its answer can only be
    // sends already under way, at most one per other job running at once. At 50/s, not pausing would
    // let about 50 through.
    const pausedAt = limited[0].at.getTime();
    const duringPause = calls.filter((c) => c.ok && c.at.getTime() > pausedAt && c.at.getTime() < pausedAt + 1000);
    expect(duringPause.length).toBeLessThan(CONCURRENCY);
    expect(Math.max(...people.map((p) => harness.sentPerChat.get(p.chatId) ?? 0))).toBe(1);
  });

  it('keeps 429s few against Telegram enforcing 30/s (per chat and per group too) at the default 25/s', async () => {
    const people = await harness.createPeople(150, 310_000);
    harness.standin.resetStats();
    harness.standin.setRateLimit({ perSecond: 30, perChatPerSecond: 1, perGroupPerMinute: 20 });
    harness.env.OUTBOUND_RATE_PER_SECOND = '25';
    await harness.scheduleReminders(people);
    await harness.startWorkerInProcess();

    await harness.waitUntil(() => people.every((p) => harness.sentPerChat.get(p.chatId) === 1), 60_000, 'every chat served');
    // Evenly spaced slots put at most 26 into any sliding second; a late timer can squeeze a few more, never 30.
    expect(harness.standin.stats().rateLimited).toBeLessThanOrEqual(2);
    const sent = () => harness.db.notification.count({ where: { personId: { in: people.map((p) => p.personId) }, state: 'SENT' } });
    await harness.waitUntil(async () => (await sent()) === people.length, 10_000, 'every row marked sent');
    expect(await sent()).toBe(people.length);
    harness.standin.setRateLimit(undefined);
  });
});
