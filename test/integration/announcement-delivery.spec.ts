import { AnnouncementsService } from '../../core/announcements/announcements.service';
import { systemClock } from '../../core/shared/clock';
import { OutboundHarness } from '../failure/outbound-harness';

/**
 * A hospital announces to its 1,000 staff. The outbound worker sends it through the Bot API stand-in:
 * a few people blocked the bot (Telegram answers 403), a few had blocked it before (already unreachable,
 * not tried), a few chats Telegram does not know (400). The delivery report counts each exactly.
 */
jest.setTimeout(420_000);

describe('an announcement to 1,000 people', () => {
  const harness = new OutboundHarness({ env: { OUTBOUND_RATE_PER_SECOND: '1000' } });

  beforeAll(async () => {
    await harness.start();
  });

  afterAll(async () => {
    await harness.stop();
  });

  it('is delivered, blocked and failed in exact numbers that add up to the recipients', async () => {
    const organization = await harness.db.organization.create({ data: { code: 'CITY1', name: 'Городская больница № 1' } });
    const people = await harness.createPeople(1000, 600_000);
    await harness.db.person.updateMany({
      where: { id: { in: people.map((p) => p.personId) } },
      data: { organizationId: organization.id, category: 'NURSE' },
    });
    // Staff of another hospital, and a doctor here when only nurses are addressed elsewhere: not recipients.
    const other = await harness.db.organization.create({ data: { code: 'CITY2', name: 'Другая больница' } });
    const outsiders = await harness.createPeople(5, 700_000);
    await harness.db.person.updateMany({
      where: { id: { in: outsiders.map((p) => p.personId) } },
      data: { organizationId: other.id, category: 'NURSE' },
    });

    const blocksNow = people.slice(0, 7);
    for (const p of blocksNow) harness.standin.blockUser(p.chatId);
    const blockedBefore = people.slice(7, 12);
    await harness.db.person.updateMany({
      where: { id: { in: blockedBefore.map((p) => p.personId) } },
      data: { unreachableSince: new Date('2026-01-01T00:00:00Z') },
    });
    const unknownChats = people.slice(12, 15);
    // The stand-in answers «chat not found» (400) for chats it has never seen.
    for (const p of unknownChats)
      await harness.db.telegramIdentity.update({
        where: { telegramUserId: BigInt(p.chatId) },
        data: { chatId: BigInt(p.chatId + 5_000_000) },
      });

    const announcements = new AnnouncementsService(harness.db, harness.notifications, systemClock);
    const outcome = await announcements.send(
      organization.id,
      { category: null, text: 'Плановая проверка документов <до 1 декабря> & без исключений' },
      { type: 'admin', id: 'test' },
    );
    if (!outcome.ok) throw new Error(`refused: ${outcome.reason}`);
    expect(outcome.announcement.recipients).toBe(1000);
    expect(await harness.db.notification.count({ where: { kind: 'announcement', subjectId: outcome.announcement.id } })).toBe(1000);

    await harness.startWorkerInProcess();
    await harness.waitUntil(
      async () =>
        (await harness.db.notification.count({ where: { kind: 'announcement', subjectId: outcome.announcement.id, state: 'PENDING' } })) ===
        0,
      360_000,
      'every announcement message handled',
    );

    const counts = await announcements.counts(organization.id, outcome.announcement.id);
    expect(counts).toMatchObject({ recipients: 1000, delivered: 985, blocked: 12, failed: 3, skipped: 0, pending: 0 });
    expect(counts!.delivered + counts!.blocked + counts!.failed).toBe(1000);
    // What the stand-in saw agrees: one message to each reachable chat, the text escaped under the organization's name.
    expect(harness.totalSent()).toBe(985);
    expect(harness.standin.stats().forbidden).toBe(7);
    const sample = harness.standin.calls('sendMessage').find((c) => c.ok && c.chatId === people[500].chatId);
    expect(JSON.stringify(sample)).toContain('Городская больница № 1');
    expect(JSON.stringify(sample)).toContain('&lt;до 1 декабря&gt; &amp; без исключений');
    for (const p of outsiders) expect(harness.sentPerChat.get(p.chatId)).toBeUndefined();
    expect(await announcements.counts(other.id, outcome.announcement.id)).toBeNull();
  });
});
