import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { NotificationsService, type OutboundDispatch } from '../notifications/notifications.service';
import { RuleSetRepository } from '../rules/rule-set.repository';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { ReevaluationService } from './reevaluation.service';

/**
 * A sweep batch is retried by the queue after any failure, so running it again must be harmless: no
 * notice twice, none lost, and nothing rewritten that did not change.
 */
class RecordingDispatch implements OutboundDispatch {
  readonly dispatched: string[] = [];
  failures = 0;
  async dispatch(notificationId: string): Promise<void> {
    if (this.failures > 0) {
      this.failures--;
      throw new Error('Redis went away');
    }
    this.dispatched.push(notificationId);
  }
}

describe('ReevaluationService batches run again', () => {
  let database: TestDatabase;
  let db: Database;
  // Cycle 2021-12-26 → 2026-12-25: 31 days left on 2026-11-24 (Moscow), 30 on the 25th.
  const dayBefore = new Date('2026-11-24T00:30:00Z');
  const night = new Date('2026-11-25T00:30:00Z');
  let clock: FixedClock;
  let dispatch: RecordingDispatch;
  let notifications: NotificationsService;
  let service: ReevaluationService;
  let personIds: string[];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 3 });
    await new RuleSetRepository(db).installShipped();
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.$executeRawUnsafe('DROP TRIGGER IF EXISTS fail_notifications ON "Notification"');
    await db.notification.deleteMany({});
    await db.statusSnapshot.deleteMany({});
    await db.creditEntry.deleteMany({});
    await db.person.deleteMany({});
    clock = new FixedClock(dayBefore);
    dispatch = new RecordingDispatch();
    notifications = new NotificationsService(db, dispatch, clock);
    service = new ReevaluationService(db, new RuleSetRepository(db), notifications, clock);
    personIds = [];
    for (let i = 0; i < 3; i++) {
      const person = await db.person.create({
        data: {
          onboardingStep: 'LINKED',
          lastAccreditationDate: new Date('2021-12-26T00:00:00Z'),
          creditEntries: { create: [{ creditTypeCode: 'pk', quantity: 36, occurredOn: new Date('2023-05-10T00:00:00Z') }] },
        },
      });
      personIds.push(person.id);
    }
    personIds.sort();
    // Last night's snapshots: 31 days left (and, as a first evaluation, the 90-day notice, not wanted here).
    await service.reevaluateBetween(personIds[0], personIds[2]);
    await db.notification.deleteMany({});
    dispatch.dispatched.length = 0;
    clock.set(night);
  });

  const batch = () => service.reevaluateBetween(personIds[0], personIds[2]);
  const snapshots = () => db.statusSnapshot.findMany({ orderBy: { personId: 'asc' } });

  it('notifies each crossing once and rewrites nothing when the same batch runs again', async () => {
    const first = await batch();
    expect(first.crossed).toEqual(personIds.map((personId) => ({ personId, thresholds: [{ kind: 'credits.period-end', milestone: 30 }] })));
    expect(first).toMatchObject({ written: 3, notified: 3 });
    const written = await snapshots();

    const again = await batch();
    expect(again).toMatchObject({ written: 0, notified: 0 });
    expect(await snapshots()).toEqual(written);
    expect(await db.notification.count()).toBe(3);
    expect(dispatch.dispatched).toHaveLength(3);
  });

  it('keeps the old snapshots when the write fails, so the retry still notifies, once', async () => {
    // The database refuses notifications, as a crash or a lost connection half way through would.
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION fail_notifications() RETURNS trigger AS $$
      BEGIN RAISE EXCEPTION 'notifications unavailable'; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(
      'CREATE TRIGGER fail_notifications BEFORE INSERT ON "Notification" FOR EACH ROW EXECUTE FUNCTION fail_notifications()',
    );
    await expect(batch()).rejects.toThrow(/notifications unavailable/);
    expect((await snapshots()).map((s) => s.daysLeft)).toEqual([31, 31, 31]);
    expect(await db.notification.count()).toBe(0);

    await db.$executeRawUnsafe('DROP TRIGGER fail_notifications ON "Notification"');
    expect(await batch()).toMatchObject({ written: 3, notified: 3 });
    await batch();
    expect((await snapshots()).map((s) => s.daysLeft)).toEqual([30, 30, 30]);
    expect(await db.notification.count()).toBe(3);
    expect(new Set(dispatch.dispatched).size).toBe(3);
  });

  it('leaves notices queued by the reconciler when the queue fails after the commit, and adds none on the retry', async () => {
    dispatch.failures = 1;
    await expect(batch()).rejects.toThrow(/Redis went away/);
    expect(await db.notification.count()).toBe(3);

    await batch();
    expect(await db.notification.count()).toBe(3);
    await notifications.redispatchDue();
    const ids = (await db.notification.findMany({ select: { id: true } })).map((n) => n.id).sort();
    expect([...new Set(dispatch.dispatched)].sort()).toEqual(ids);
  });
});
