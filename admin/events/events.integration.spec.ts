import { randomBytes } from 'node:crypto';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import { type AdminTestApp, startAdminTestApp } from '../../test/support/admin-app';
import { createTestDatabase } from '../../test/support/database';
import { createLinkedPerson } from '../../test/support/people';

const TOKEN = 'test-admin-token-0123456789abcdef';

/**
 * The education department of ALPHA plans through the admin API with its own key: a program, a
 * conference in it, a move, the list of who signed up, a cancellation with a reason. BETA's admin key
 * gets 403 on ALPHA, and ALPHA never sees BETA's events, not even by id.
 */
describe('events and programs in the admin API', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let api: AdminTestApp;
  let alphaKey: string;
  let betaKey: string;

  const call = async (method: string, path: string, token: string, json?: unknown) => {
    const response = await fetch(`${api.url}${path}`, {
      method,
      headers: { Authorization: `Bearer ${token}`, ...(json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: json !== undefined ? JSON.stringify(json) : undefined,
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };

  const conference = {
    title: 'Сестринский процесс в хирургии',
    format: 'CONFERENCE',
    kind: 'EVENT',
    startsAt: '2026-12-15T07:00:00Z',
    endsAt: '2026-12-15T12:00:00Z',
    place: 'Актовый зал, корпус 2',
    zet: 6,
    capacity: 40,
    categories: ['NURSE'],
    responsible: 'Петрова Е. А.',
    budgetLine: '225 — обучение',
    cost: 15000,
  };

  async function keyFor(code: string, externalId: string, telegramId: number): Promise<string> {
    await createLinkedPerson({ db }, telegramId, { organizationCode: code, externalId });
    expect((await call('PUT', `/admin/organizations/${code}/admins/${externalId}`, TOKEN)).status).toBe(200);
    const issued = await call('POST', `/admin/organizations/${code}/admins/${externalId}/keys`, TOKEN, {});
    expect(issued.status).toBe(201);
    return issued.body.key;
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    api = await startAdminTestApp(db, new PersonalDataCipher(randomBytes(32)), TOKEN);
    for (const code of ['ALPHA', 'BETA'])
      expect((await call('POST', '/admin/organizations', TOKEN, { code, name: `Больница ${code}` })).status).toBe(201);
    alphaKey = await keyFor('ALPHA', 'A-1', 7101);
    betaKey = await keyFor('BETA', 'B-1', 7201);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('creates a program and an event in it; bad fields are refused with every reason', async () => {
    const program = await call('POST', '/admin/organizations/ALPHA/programs', alphaKey, {
      title: 'Хирургия 2027',
      goal: 'Обучить средний персонал',
      criteria: 'Все медсёстры хирургии',
      budget: 100000,
    });
    expect(program.status).toBe(201);
    const bad = await call('POST', '/admin/organizations/ALPHA/events', alphaKey, {
      ...conference,
      format: 'WEBINAR',
      place: undefined,
      zet: 0,
      endsAt: '2026-12-14T00:00:00Z',
    });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(expect.arrayContaining(['zet: zet-invalid', 'endsAt: end-before-start', 'link: link-required']));
    const created = await call('POST', '/admin/organizations/ALPHA/events', alphaKey, { ...conference, programId: program.body.id });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      title: conference.title,
      programId: program.body.id,
      seatsTaken: 0,
      seatsLeft: 40,
      cost: 15000,
      status: 'SCHEDULED',
    });
    const journal = await db.auditLog.findFirstOrThrow({ where: { action: 'event.created', subjectId: created.body.id } });
    const admin = await db.person.findFirstOrThrow({ where: { rosterEntry: { externalId: 'A-1' } } });
    expect(journal).toMatchObject({ actorType: 'admin', actorId: admin.id });
    const programs = await call('GET', '/admin/organizations/ALPHA/programs', alphaKey);
    expect(programs.body.programs).toEqual([expect.objectContaining({ title: 'Хирургия 2027', events: 1, budget: 100000 })]);
  });

  it('lists events with registrations, moves one (signed-up staff are told), lists who signed up, cancels with a reason', async () => {
    const { body: listed } = await call('GET', '/admin/organizations/ALPHA/events', alphaKey);
    const eventId: string = listed.events[0].id;
    const nurse = await createLinkedPerson({ db }, 7102, { organizationCode: 'ALPHA', category: 'NURSE', fullName: 'Сидорова Нина' });
    await db.eventRegistration.create({ data: { eventId, personId: nurse.id } });
    expect((await call('GET', '/admin/organizations/ALPHA/events', alphaKey)).body.events[0]).toMatchObject({
      seatsTaken: 1,
      seatsLeft: 39,
    });

    const moved = await call('PATCH', `/admin/organizations/ALPHA/events/${eventId}`, alphaKey, {
      startsAt: '2026-12-16T07:00:00Z',
      endsAt: '2026-12-16T12:00:00Z',
    });
    expect(moved.status).toBe(200);
    expect(moved.body.startsAt).toBe('2026-12-16T07:00:00.000Z');
    const notice = await db.notification.findFirstOrThrow({ where: { personId: nurse.id, kind: 'event.changed' } });
    expect(api.dispatched).toContain(notice.id);
    expect((await call('PATCH', `/admin/organizations/ALPHA/events/${eventId}`, alphaKey, { capacity: -1 })).status).toBe(422);
    expect((await call('PATCH', `/admin/organizations/ALPHA/events/${eventId}`, alphaKey, { colour: 'red' })).status).toBe(422);

    const registrations = await call('GET', `/admin/organizations/ALPHA/events/${eventId}/registrations`, alphaKey);
    expect(registrations.body).toMatchObject({
      active: 1,
      registrations: [expect.objectContaining({ fullName: 'Сидорова Нина', category: 'NURSE', cancelledAt: null })],
    });

    expect((await call('POST', `/admin/organizations/ALPHA/events/${eventId}/cancel`, alphaKey, {})).status).toBe(400);
    const cancelled = await call('POST', `/admin/organizations/ALPHA/events/${eventId}/cancel`, alphaKey, { reason: 'Зал на ремонте' });
    expect(cancelled.status).toBe(201);
    expect(cancelled.body).toMatchObject({ status: 'CANCELLED', cancelReason: 'Зал на ремонте' });
    expect(await db.notification.count({ where: { personId: nurse.id, kind: 'event.cancelled' } })).toBe(1);
    expect((await call('POST', `/admin/organizations/ALPHA/events/${eventId}/cancel`, alphaKey, { reason: 'ещё раз' })).status).toBe(422);
  });

  it("refuses another organization's key (403) and never shows one organization's events to the other", async () => {
    const betaEvent = await call('POST', '/admin/organizations/BETA/events', betaKey, { ...conference, title: 'Событие BETA' });
    expect(betaEvent.status).toBe(201);

    const refused = await call('GET', '/admin/organizations/ALPHA/events', betaKey);
    expect(refused.status).toBe(403);
    expect(JSON.stringify(refused.body)).not.toContain(conference.title);
    expect((await call('POST', '/admin/organizations/ALPHA/events', betaKey, conference)).status).toBe(403);
    expect((await call('GET', '/admin/organizations/ALPHA/programs', betaKey)).status).toBe(403);

    const alphaEvents = (await call('GET', '/admin/organizations/ALPHA/events', alphaKey)).body.events.map(
      (e: { title: string }) => e.title,
    );
    expect(alphaEvents).not.toContain('Событие BETA');
    // Even by id through ALPHA's own routes, BETA's event does not exist for ALPHA.
    const id = betaEvent.body.id;
    expect((await call('GET', `/admin/organizations/ALPHA/events/${id}/registrations`, alphaKey)).status).toBe(404);
    expect((await call('PATCH', `/admin/organizations/ALPHA/events/${id}`, alphaKey, { title: 'захват' })).status).toBe(404);
    expect((await call('POST', `/admin/organizations/ALPHA/events/${id}/cancel`, alphaKey, { reason: 'чужое' })).status).toBe(404);
    expect((await db.event.findUniqueOrThrow({ where: { id } })).title).toBe('Событие BETA');
  });
});
