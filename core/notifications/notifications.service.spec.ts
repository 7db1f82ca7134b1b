import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { NotificationsService, type OutboundDispatch } from './notifications.service';

/** Sent once (R-REMIND): one row per idempotency key, state checked before every send, reconciler pages. */
class RecordingDispatch implements OutboundDispatch {
  readonly dispatched: string[] = [];
  async dispatch(notificationId: string): Promise<void> {
    this.dispatched.push(notificationId);
  }
}

describe('NotificationsService', () => {
  let database: TestDatabase;
  let db: Database;
  const clock = new FixedClock(new Date('2026-11-25T09:00:00Z')); // noon in Moscow
  let dispatch: RecordingDispatch;
  let service: NotificationsService;
  let personId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.notification.deleteMany({});
    dispatch = new RecordingDispatch();
    service = new NotificationsService(db, dispatch, clock);
    const person = await db.person.create({
      data: {
        onboardingStep: 'LINKED',
        telegramIdentities: { create: { telegramUserId: BigInt(Date.now()), chatId: BigInt(Date.now()) } },
      },
    });
    personId = person.id;
  });

  const request = () => ({
    personId,
    kind: 'credits.period-end',
    subjectId: 'cycle-1',
    dueAt: new Date('2026-11-25T08:00:00Z'),
    payload: { daysLeft: 7 },
  });

  it('creates one row and one job when the same reminder is scheduled twice, even at once', async () => {
    const [a, b] = await Promise.all([service.schedule(request()), service.schedule(request())]);
    const again = await service.schedule(request());
    expect(await db.notification.count()).toBe(1);
    expect(new Set([a.notification.id, b.notification.id, again.notification.id]).size).toBe(1);
    expect([a.created, b.created, again.created].filter(Boolean)).toHaveLength(1);
    expect(dispatch.dispatched).toHaveLength(1);
  });

  it('does not hand a sent notification to the sender again (a retried job sends nothing)', async () => {
    const { notification } = await service.schedule(request());
    expect((await service.prepareDelivery(notification.id)).action).toBe('send');
    expect(await service.claimSends([{ id: notification.id, by: 'job#1', replaces: null }])).toEqual([true]);
    await service.recordSent([{ id: notification.id, chatId: 42n, messageId: 7 }]);
    expect(await service.prepareDelivery(notification.id)).toEqual({ action: 'drop', reason: 'not-pending' });
    expect(await service.claimSends([{ id: notification.id, by: 'job#2', replaces: 'job#1' }])).toEqual([false]);
    await service.markSent(notification.id);
    const row = await db.notification.findUniqueOrThrow({ where: { id: notification.id } });
    expect(row).toMatchObject({ state: 'SENT', attempts: 1, telegramChatId: 42n, telegramMessageId: 7, uncertainResends: 0 });
  });

  it('writes the intent before a send, and lets one run at a time hold it', async () => {
    const { notification } = await service.schedule(request());
    const other = (await service.schedule({ ...request(), subjectId: 'cycle-2' })).notification;
    // Two runs that both saw no intent: the first claim holds, the second finds the row taken.
    expect(
      await service.claimSends([
        { id: notification.id, by: 'job#1', replaces: null },
        { id: other.id, by: 'other#1', replaces: null },
      ]),
    ).toEqual([true, true]);
    expect(await service.claimSends([{ id: notification.id, by: 'copy#1', replaces: null }])).toEqual([false]);
    const intent = await db.notification.findUniqueOrThrow({ where: { id: notification.id } });
    expect(intent).toMatchObject({ state: 'PENDING', sendingBy: 'job#1', sendingSince: clock.now(), attempts: 1 });

    // The run ended without knowing whether Telegram had it: the next run replaces its intent, counted.
    expect(await service.claimSends([{ id: notification.id, by: 'job#2', replaces: 'job#1' }])).toEqual([true]);
    expect(await db.notification.findUniqueOrThrow({ where: { id: notification.id } })).toMatchObject({
      sendingBy: 'job#2',
      attempts: 2,
      uncertainResends: 1,
    });
  });

  it('clears the intent after a refusal, keeps it when the outcome is unknown', async () => {
    const { notification } = await service.schedule(request());
    await service.claimSends([{ id: notification.id, by: 'job#1', replaces: null }]);
    await service.markAttemptFailed(notification.id, 'Bad Gateway', false);
    expect(await db.notification.findUniqueOrThrow({ where: { id: notification.id } })).toMatchObject({
      state: 'PENDING',
      sendingBy: null,
      sendingSince: null,
      lastError: 'Bad Gateway',
    });
    await service.claimSends([{ id: notification.id, by: 'job#2', replaces: null }]);
    await service.markAttemptFailed(notification.id, 'Network request failed: socket hang up', false, true);
    expect(await db.notification.findUniqueOrThrow({ where: { id: notification.id } })).toMatchObject({
      state: 'PENDING',
      sendingBy: 'job#2',
      attempts: 2,
    });
  });

  it('waits for the end of quiet hours, and sends deadline notices through them when asked', async () => {
    await db.person.update({ where: { id: personId }, data: { quietHoursStart: 11 * 60, quietHoursEnd: 13 * 60 } });
    const { notification } = await service.schedule(request());
    expect(await service.prepareDelivery(notification.id)).toEqual({ action: 'wait', until: new Date('2026-11-25T10:00:00Z') });
    const urgent = await service.schedule({ ...request(), subjectId: 'urgent', ignoreQuietHours: true });
    expect((await service.prepareDelivery(urgent.notification.id)).action).toBe('send');
  });

  it('marks the person unreachable on 403 and cancels what is still pending for them', async () => {
    const first = await service.schedule(request());
    const second = await service.schedule({ ...request(), subjectId: 'cycle-2' });
    await service.markUnreachable(first.notification.id, 'Forbidden: bot was blocked by the user');
    expect((await db.person.findUniqueOrThrow({ where: { id: personId } })).unreachableSince).toEqual(clock.now());
    expect((await db.notification.findUniqueOrThrow({ where: { id: second.notification.id } })).state).toBe('CANCELLED');
    expect(await service.prepareDelivery(second.notification.id)).toEqual({ action: 'drop', reason: 'not-pending' });
    const later = await service.schedule({ ...request(), subjectId: 'cycle-3' });
    expect(await service.prepareDelivery(later.notification.id)).toEqual({ action: 'drop', reason: 'unreachable' });
  });

  it('holds a notification back while an earlier one of its chain is pending; a failed one holds nobody', async () => {
    const chained = (n: number) => service.schedule({ ...request(), kind: 'support.relay', subjectId: `m${n}`, chain: 'ticket:1' });
    const first = (await chained(1)).notification;
    const second = (await chained(2)).notification;
    const third = (await chained(3)).notification;
    const other = (await service.schedule({ ...request(), kind: 'support.relay', subjectId: 'x', chain: 'ticket:2' })).notification;
    expect(second.sequence).toBeGreaterThan(first.sequence);
    expect(await service.waitsForEarlier(first)).toBe(false);
    expect(await service.waitsForEarlier(second)).toBe(true);
    expect(await service.waitsForEarlier(other)).toBe(false);
    await service.markSent(first.id);
    expect(await service.waitsForEarlier(second)).toBe(false);
    expect(await service.waitsForEarlier(third)).toBe(true);
    await service.markAttemptFailed(second.id, 'Bad Request', true);
    expect(await service.waitsForEarlier(third)).toBe(false);
  });

  it("sends an answer to the person's own request through quiet hours and a muted kind", async () => {
    await db.person.update({
      where: { id: personId },
      data: { quietHoursStart: 11 * 60, quietHoursEnd: 13 * 60, mutedKinds: ['support.answer'] },
    });
    const notice = await service.schedule({ ...request(), kind: 'support.answer', subjectId: 'notice' });
    expect((await service.prepareDelivery(notice.notification.id)).action).toBe('drop');
    const answer = await service.schedule({ ...request(), kind: 'support.answer', subjectId: 'answer', reply: true });
    expect((await service.prepareDelivery(answer.notification.id)).action).toBe('send');
  });

  it('re-dispatches every due pending notification, page after page, and nothing else', async () => {
    const due = new Date('2026-11-25T08:00:00Z');
    await db.notification.createMany({
      data: Array.from({ length: 2500 }, (_, i) => ({ idempotencyKey: `k${i}`, personId, kind: 'x', dueAt: due })),
    });
    await db.notification.create({ data: { idempotencyKey: 'future', personId, kind: 'x', dueAt: new Date('2026-12-01T00:00:00Z') } });
    await db.notification.create({ data: { idempotencyKey: 'sent', personId, kind: 'x', dueAt: due, state: 'SENT' } });
    expect(await service.redispatchDue()).toBe(2500);
    expect(new Set(dispatch.dispatched).size).toBe(2500);
  });
});
