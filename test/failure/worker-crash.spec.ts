import { OutboundHarness } from './outbound-harness';

/**
 * The worker process is SIGKILLed while it sends 2,000 reminders to 2,000 chats, then started again.
 * Proves: nothing is lost (the jobs it held are taken over as stalled; the database row stays PENDING
 * until sent), a reminder is sent at most twice (only one sent-but-not-recorded per in-flight job), and
 * every second send was counted as a possible duplicate (the row's intent outlived the killed run).
 */
// Bounds on liveness, not on speed: a loaded 2-core machine compiles and starts the worker slowly.
jest.setTimeout(420_000);

const COUNT = 2000;

describe('outbound: worker killed mid fan-out', () => {
  const harness = new OutboundHarness({ env: { OUTBOUND_RATE_PER_SECOND: '200' } });

  beforeAll(async () => {
    await harness.start();
    // A little latency keeps several sends in flight when the kill lands.
    harness.standin.setLatency(15);
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('delivers every reminder after a SIGKILL and a restart, at most one duplicate each', async () => {
    const people = await harness.createPeople(COUNT);
    await harness.scheduleReminders(people);
    expect(await harness.db.notification.count()).toBe(COUNT);

    harness.startWorkerChild();
    await harness.waitUntil(() => harness.totalSent() >= COUNT / 4, 180_000, 'a quarter sent');
    await harness.killWorkerChild('SIGKILL');
    const sentAtKill = harness.totalSent();
    expect(sentAtKill).toBeLessThan(COUNT);

    harness.startWorkerChild();
    await harness.waitUntil(
      async () => (await harness.db.notification.count({ where: { state: 'SENT' } })) === COUNT,
      180_000,
      'every row SENT',
    );

    const missing = people.filter((p) => !harness.sentPerChat.get(p.chatId));
    const counts = [...harness.sentPerChat.values()];
    expect(missing).toEqual([]);
    expect(Math.max(...counts)).toBeLessThanOrEqual(2);
    // Duplicates can only come from sends in flight at the kill (concurrency 8).
    const doubled = counts.filter((n) => n > 1).length;
    expect(doubled).toBeLessThanOrEqual(8);
    // Each was sent again knowingly: counted on its row (and in nmo_outbound_possible_duplicates_total).
    const counted = await harness.db.notification.aggregate({ _sum: { uncertainResends: true } });
    expect(counted._sum.uncertainResends).toBeGreaterThanOrEqual(doubled);
    expect(counted._sum.uncertainResends).toBeLessThanOrEqual(8);
  });
});
