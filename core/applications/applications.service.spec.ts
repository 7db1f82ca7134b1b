import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createDocument, createPerson, crashingAfterCommit, noDispatch } from '../../test/support/case-fixtures';
import { NotificationsService } from '../notifications/notifications.service';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { ApplicationsService } from './applications.service';

const DAY = 24 * 60 * 60 * 1000;

describe('ApplicationsService (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let clock: FixedClock;
  let service: ApplicationsService;
  const admin = { type: 'admin' as const, id: 'http' };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 3 });
    clock = new FixedClock(new Date('2026-03-02T09:00:00Z'));
    service = new ApplicationsService(db, new NotificationsService(db, noDispatch, clock), clock);
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('creates, moves through legal transitions with history and a notice per change, refuses illegal ones', async () => {
    const person = await createPerson(db);
    const created = await service.create(
      { personId: person.id, kind: 'accreditation', title: 'Периодическая аккредитация', responsibleBody: 'ФАЦ' },
      admin,
    );
    expect(created.status).toBe('PROCESSING');

    clock.advance(DAY);
    expect(await service.changeStatus(created.id, 'UNDER_REVIEW', admin, 'принято')).toMatchObject({
      ok: true,
      application: { status: 'UNDER_REVIEW' },
    });
    clock.advance(1000);
    expect(await service.changeStatus(created.id, 'ACTION_REQUIRED', admin)).toMatchObject({ ok: true });
    expect(await service.changeStatus(created.id, 'APPROVED', admin)).toEqual({ ok: false, reason: 'illegal-transition' });
    expect(await service.changeStatus('00000000-0000-0000-0000-000000000000', 'APPROVED', admin)).toEqual({
      ok: false,
      reason: 'application-not-found',
    });

    const card = await service.card(person, created.id);
    expect(card!.transitions.map((t) => [t.fromStatus, t.toStatus, t.actor])).toEqual([
      [null, 'PROCESSING', 'admin:http'],
      ['PROCESSING', 'UNDER_REVIEW', 'admin:http'],
      ['UNDER_REVIEW', 'ACTION_REQUIRED', 'admin:http'],
    ]);
    const notices = await db.notification.findMany({ where: { personId: person.id, kind: 'application.status' } });
    expect(notices.map((n) => (n.payload as { status: string }).status).sort()).toEqual(['ACTION_REQUIRED', 'UNDER_REVIEW']);
    expect(await db.auditLog.count({ where: { subjectId: created.id, action: 'application.status-changed' } })).toBe(2);
  });

  it('treats someone else’s application exactly like a missing one', async () => {
    const owner = await createPerson(db);
    const other = await createPerson(db, 'Петров Пётр Петрович');
    const app = await service.create({ personId: owner.id, kind: 'k', title: 't' }, admin);
    expect(await service.card(other, app.id)).toBeNull();
    expect(await service.requestClarification(other, app.id)).toEqual({ ok: false, reason: 'application-not-found' });
    expect(await service.list(other)).toEqual([]);
  });

  it('allows «Запросить разъяснение» only after 30 days under review', async () => {
    const person = await createPerson(db);
    const app = await service.create({ personId: person.id, kind: 'k', title: 't', status: 'UNDER_REVIEW' }, admin);
    clock.advance(29 * DAY);
    const early = await service.requestClarification(person, app.id);
    expect(early).toMatchObject({ ok: false, reason: 'clarification-too-early' });
    expect((await service.card(person, app.id))!.canRequestClarification).toBe(false);
    clock.advance(DAY);
    expect((await service.card(person, app.id))!.canRequestClarification).toBe(true);
    expect(await service.requestClarification(person, app.id)).toEqual({ ok: true });
    expect(await db.auditLog.count({ where: { subjectId: app.id, action: 'application.clarification-requested' } })).toBe(1);
  });

  it('moves ACTION_REQUIRED to UNDER_REVIEW by itself once every required kind is attached', async () => {
    const person = await createPerson(db);
    const app = await service.create(
      { personId: person.id, kind: 'k', title: 't', requiredDocuments: ['CERTIFICATE', 'DIPLOMA'], status: 'ACTION_REQUIRED' },
      admin,
    );
    const certificate = await createDocument(db, person.id, 'CERTIFICATE');
    const diploma = await createDocument(db, person.id, 'DIPLOMA');
    const stranger = await createPerson(db);
    const foreign = await createDocument(db, stranger.id, 'DIPLOMA');

    expect(await service.attachDocument(person, app.id, foreign.id)).toEqual({ ok: false, reason: 'document-not-found' });
    expect(await service.attachDocument(person, app.id, certificate.id)).toMatchObject({
      ok: true,
      moved: false,
      application: { status: 'ACTION_REQUIRED' },
    });
    expect((await service.card(person, app.id))!.missingDocuments).toEqual(['DIPLOMA']);
    expect(await service.attachDocument(person, app.id, diploma.id)).toMatchObject({
      ok: true,
      moved: true,
      application: { status: 'UNDER_REVIEW' },
    });
    const last = (await service.card(person, app.id))!.transitions.at(-1)!;
    expect(last).toMatchObject({ fromStatus: 'ACTION_REQUIRED', toStatus: 'UNDER_REVIEW', actor: 'system' });
  });

  it('a status change reaches the person even when the process dies right after it commits (#12.4)', async () => {
    const person = await createPerson(db);
    const created = await service.create({ personId: person.id, kind: 'accreditation', title: 'Периодическая аккредитация' }, admin);
    const crashing = new ApplicationsService(crashingAfterCommit(db), new NotificationsService(db, noDispatch, clock), clock);
    await expect(crashing.changeStatus(created.id, 'UNDER_REVIEW', admin, 'принято')).rejects.toThrow('died right after the commit');
    expect(await db.application.findUniqueOrThrow({ where: { id: created.id } })).toMatchObject({ status: 'UNDER_REVIEW' });
    expect(await db.notification.findMany({ where: { personId: person.id, kind: 'application.status' } })).toEqual([
      expect.objectContaining({ state: 'PENDING', payload: expect.objectContaining({ status: 'UNDER_REVIEW', comment: 'принято' }) }),
    ]);
  });
});
