import { OutboundHarness } from './outbound-harness';

/**
 * Some people blocked the bot: Telegram answers 403. Proves: the person is marked unreachable
 * (Person.unreachableSince), their other pending reminders are cancelled, exactly one attempt reaches
 * Telegram for them, and later reminders are dropped without an attempt; everyone else is served.
 */
jest.setTimeout(300_000);

describe('outbound: a user who blocked the bot', () => {
  const harness = new OutboundHarness({ env: { OUTBOUND_RATE_PER_SECOND: '100' } });

  beforeAll(async () => {
    await harness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('marks them unreachable after one 403 and makes no more attempts', async () => {
    const people = await harness.createPeople(40, 400_000);
    const blocked = people.slice(0, 5);
    for (const p of blocked) harness.standin.blockUser(p.chatId);
    const dueAt = new Date(Date.now() - 1000);
    for (const p of people) {
      for (const subjectId of ['a', 'b', 'c'])
        await harness.notifications.schedule({
          personId: p.personId,
          kind: 'credits.period-end',
          subjectId,
          dueAt,
          payload: { daysLeft: 7 },
        });
    }
    await harness.startWorkerInProcess();

    const others = people.slice(5);
    await harness.waitUntil(() => others.every((p) => harness.sentPerChat.get(p.chatId) === 3), 180_000, 'everyone else served');
    await harness.waitUntil(
      async () => (await harness.db.notification.count({ where: { state: 'PENDING' } })) === 0,
      120_000,
      'nothing pending',
    );

    const attemptsFor = (chatId: number) => harness.standin.calls('sendMessage').filter((c) => c.chatId === chatId).length;
    for (const p of blocked) {
      const person = await harness.db.person.findUniqueOrThrow({ where: { id: p.personId } });
      expect(person.unreachableSince).not.toBeNull();
      expect(attemptsFor(p.chatId)).toBe(1);
      const states = (await harness.db.notification.findMany({ where: { personId: p.personId } })).map((n) => n.state).sort();
      expect(states).toEqual(['CANCELLED', 'CANCELLED', 'FAILED']);
    }

    // A reminder scheduled later is dropped at once: no attempt reaches Telegram.
    const later = await harness.notifications.schedule({
      personId: blocked[0].personId,
      kind: 'credits.period-end',
      subjectId: 'later',
      dueAt: new Date(),
      payload: { daysLeft: 1 },
    });
    await harness.waitUntil(
      async () => (await harness.db.notification.findUniqueOrThrow({ where: { id: later.notification.id } })).state !== 'PENDING',
      120_000,
      'the later reminder handled',
    );
    expect((await harness.db.notification.findUniqueOrThrow({ where: { id: later.notification.id } })).state).toBe('CANCELLED');
    expect(attemptsFor(blocked[0].chatId)).toBe(1);
    expect(harness.standin.stats().forbidden).toBe(blocked.length);
  });
});
