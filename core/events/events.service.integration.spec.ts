import type { Organization, Person } from '../../generated/prisma/client';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { NotificationsService } from '../notifications/notifications.service';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import type { EventInput } from './event-input';
import { EventsService } from './events.service';

const noDispatch = { dispatch: async () => undefined };
const admin = { type: 'admin' as const, id: 'test-admin' };

/**
 * The education department of a hospital runs its events: a webinar for nurses with 5 seats that 20
 * nurses try to take at the same moment, a move that reaches everybody signed up, a cancellation, and
 * another hospital's events that nobody here sees.
 */
describe('EventsService (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let clock: FixedClock;
  let service: EventsService;
  let hospital: Organization;
  let other: Organization;
  let nurses: Person[];
  let doctor: Person;

  const webinar = (overrides: Partial<EventInput> = {}): EventInput => ({
    title: 'Профилактика ИСМП',
    format: 'WEBINAR',
    kind: 'EVENT',
    startsAt: new Date('2026-12-10T07:00:00Z'), // 10:00 Moscow
    endsAt: new Date('2026-12-10T09:00:00Z'),
    link: 'https://webinar.example.ru/ismp',
    zet: 2,
    capacity: 5,
    categories: ['NURSE'],
    ...overrides,
  });

  beforeAll(async () => {
    database = await createTestDatabase();
    // Enough connections that the 20 sign-ups really run side by side.
    db = createDatabase(database.url, { max: 12 });
    clock = new FixedClock(new Date('2026-12-01T09:00:00Z'));
    service = new EventsService(db, new NotificationsService(db, noDispatch, clock), clock);
    hospital = await db.organization.create({ data: { code: 'GKB1', name: 'ГКБ №1' } });
    other = await db.organization.create({ data: { code: 'GKB2', name: 'ГКБ №2' } });
    nurses = [];
    for (let i = 0; i < 20; i++) {
      nurses.push(
        await db.person.create({
          data: { fullName: `Медсестра ${i}`, onboardingStep: 'LINKED', organizationId: hospital.id, category: 'NURSE' },
        }),
      );
    }
    doctor = await db.person.create({
      data: { fullName: 'Врач', onboardingStep: 'LINKED', organizationId: hospital.id, category: 'DOCTOR' },
    });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it('refuses an event whose rules do not hold, naming each problem', async () => {
    const outcome = await service.createEvent(
      hospital.id,
      webinar({ title: ' ', endsAt: new Date('2026-12-10T06:00:00Z'), link: 'ftp://x.ru/a', zet: 1.25, capacity: 0 }),
      admin,
    );
    expect(outcome.ok).toBe(false);
    if (outcome.ok || outcome.reason !== 'invalid') throw new Error('expected invalid');
    expect(outcome.problems.map((p) => `${p.field}:${p.code}`).sort()).toEqual([
      'capacity:capacity-invalid',
      'endsAt:end-before-start',
      'link:link-invalid',
      'title:title-empty',
      'zet:zet-invalid',
    ]);
    const noLink = await service.createEvent(hospital.id, webinar({ link: null }), admin);
    expect(!noLink.ok && noLink.reason === 'invalid' && noLink.problems).toEqual([{ field: 'link', code: 'link-required' }]);
    const backwards = await service.createEvent(hospital.id, webinar({ endsAt: new Date('2026-12-10T06:00:00Z') }), admin);
    expect(!backwards.ok && backwards.reason === 'invalid' && backwards.problems).toEqual([{ field: 'endsAt', code: 'end-before-start' }]);
    expect(await db.event.count()).toBe(0);
  });

  it('gives 5 seats to exactly 5 of 20 nurses signing up at the same moment', async () => {
    const created = await service.createEvent(hospital.id, webinar(), admin);
    if (!created.ok) throw new Error('not created');
    const outcomes = await Promise.all(nurses.map((nurse) => service.signUp(nurse, created.event.id)));
    expect(outcomes.filter((o) => o.ok)).toHaveLength(5);
    expect(outcomes.filter((o) => !o.ok && o.reason === 'full')).toHaveLength(15);
    expect(await db.eventRegistration.count({ where: { eventId: created.event.id, cancelledAt: null } })).toBe(5);
    expect((await service.getEvent(hospital.id, created.event.id))!.seatsTaken).toBe(5);
  });

  it('schedules the evening-before and hour-before reminders, withdraws them on cancel, and reuses the row on a new sign-up', async () => {
    const created = await service.createEvent(hospital.id, webinar({ title: 'Сердечно-лёгочная реанимация', capacity: 1 }), admin);
    if (!created.ok) throw new Error('not created');
    const [first, second] = nurses;
    expect((await service.signUp(first, created.event.id)).ok).toBe(true);
    expect(await service.signUp(first, created.event.id)).toEqual({ ok: false, reason: 'already' });
    const reminders = await db.notification.findMany({
      where: { personId: first.id, subjectId: created.event.id },
      orderBy: { dueAt: 'asc' },
    });
    // 18:00 Moscow on 9 December, and 09:00 Moscow on the day (an hour before 10:00), regardless of quiet hours.
    expect(reminders.map((n) => [n.kind, n.dueAt.toISOString(), (n.payload as { ignoreQuietHours: boolean }).ignoreQuietHours])).toEqual([
      ['event.tomorrow', '2026-12-09T15:00:00.000Z', false],
      ['event.soon', '2026-12-10T06:00:00.000Z', true],
    ]);
    expect(await service.signUp(second, created.event.id)).toEqual({ ok: false, reason: 'full' });

    expect((await service.cancelSignUp(first, created.event.id)).ok).toBe(true);
    expect(await service.cancelSignUp(first, created.event.id)).toEqual({ ok: false, reason: 'not-signed-up' });
    expect((await db.notification.findMany({ where: { personId: first.id, subjectId: created.event.id } })).map((n) => n.state)).toEqual([
      'CANCELLED',
      'CANCELLED',
    ]);

    expect((await service.signUp(second, created.event.id)).ok).toBe(true);
    expect((await service.signUp(first, created.event.id)).ok).toBe(false);
    expect((await service.cancelSignUp(second, created.event.id)).ok).toBe(true);
    expect((await service.signUp(first, created.event.id)).ok).toBe(true);
    const rows = await db.eventRegistration.findMany({ where: { eventId: created.event.id, personId: first.id } });
    expect(rows).toHaveLength(1);
    expect(await db.auditLog.count({ where: { action: 'event.signed-up', subjectId: rows[0].id } })).toBe(2);
    // Signed up again: the reminders the cancel withdrew are due again, not left cancelled.
    expect((await db.notification.findMany({ where: { personId: first.id, subjectId: created.event.id } })).map((n) => n.state)).toEqual([
      'PENDING',
      'PENDING',
    ]);
  });

  it('shows staff the events of their category and organization only, and refuses a sign-up for another category', async () => {
    const forDoctors = await service.createEvent(hospital.id, webinar({ title: 'Для врачей', categories: ['DOCTOR'] }), admin);
    const forEverybody = await service.createEvent(
      hospital.id,
      webinar({ title: 'Для всех', format: 'CONFERENCE', link: null, place: 'Актовый зал', categories: [], capacity: null }),
      admin,
    );
    const elsewhere = await service.createEvent(other.id, webinar({ title: 'В другой больнице', categories: [] }), admin);
    if (!forDoctors.ok || !forEverybody.ok || !elsewhere.ok) throw new Error('not created');
    const seenByDoctor = (await service.upcomingFor(doctor)).map((e) => e.title);
    expect(seenByDoctor).toEqual(expect.arrayContaining(['Для врачей', 'Для всех']));
    expect(seenByDoctor).not.toContain('В другой больнице');
    expect(seenByDoctor).not.toContain('Профилактика ИСМП');
    expect(await service.signUp(nurses[19], forDoctors.event.id)).toEqual({ ok: false, reason: 'not-for-you' });
    expect(await service.signUp(doctor, elsewhere.event.id)).toEqual({ ok: false, reason: 'not-found' });
    expect(await service.getEvent(hospital.id, elsewhere.event.id)).toBeNull();
    expect(await service.registrations(hospital.id, elsewhere.event.id)).toBeNull();
    expect(await service.cancelEvent(hospital.id, elsewhere.event.id, 'чужое', admin)).toEqual({ ok: false, reason: 'not-found' });
  });

  it('moves an event: everybody signed up is told old → new, and their reminders follow the new start; all journaled', async () => {
    const created = await service.createEvent(hospital.id, webinar({ title: 'Перенос', capacity: null }), admin);
    if (!created.ok) throw new Error('not created');
    const [a, b] = nurses.slice(10, 12);
    await service.signUp(a, created.event.id);
    await service.signUp(b, created.event.id);
    clock.advance(60_000);
    const moved = await service.updateEvent(
      hospital.id,
      created.event.id,
      { startsAt: new Date('2026-12-11T07:00:00Z'), endsAt: new Date('2026-12-11T09:00:00Z') },
      admin,
    );
    expect(moved.ok).toBe(true);
    const changed = await db.notification.findMany({ where: { subjectId: created.event.id, kind: 'event.changed' } });
    expect(changed.map((n) => n.personId).sort()).toEqual([a.id, b.id].sort());
    const payload = changed[0].payload as { startsAt: string; before: { startsAt: string } };
    expect([payload.before.startsAt, payload.startsAt]).toEqual(['2026-12-10T07:00:00.000Z', '2026-12-11T07:00:00.000Z']);
    const tomorrow = await db.notification.findMany({
      where: { personId: a.id, subjectId: created.event.id, kind: 'event.tomorrow' },
      orderBy: { dueAt: 'asc' },
    });
    expect(tomorrow.map((n) => [n.dueAt.toISOString(), n.state])).toEqual([
      ['2026-12-09T15:00:00.000Z', 'CANCELLED'],
      ['2026-12-10T15:00:00.000Z', 'PENDING'],
    ]);
    // A change of the description alone is not a move: nobody is disturbed.
    await service.updateEvent(hospital.id, created.event.id, { description: 'Возьмите СИЗ' }, admin);
    expect(await db.notification.count({ where: { subjectId: created.event.id, kind: 'event.changed' } })).toBe(2);
    const journal = await db.auditLog.findMany({ where: { subjectId: created.event.id, action: 'event.updated' }, orderBy: { at: 'asc' } });
    expect(journal).toHaveLength(2);
    expect((journal[0].before as { startsAt: string }).startsAt).toBe('2026-12-10T07:00:00.000Z');
    expect((journal[0].after as { startsAt: string }).startsAt).toBe('2026-12-11T07:00:00.000Z');
    expect(journal[0].actorId).toBe('test-admin');
  });

  it('refuses a capacity below the seats taken, saying how many are signed up; equal to them is fine', async () => {
    const created = await service.createEvent(hospital.id, webinar({ title: 'Мест меньше', capacity: 10 }), admin);
    if (!created.ok) throw new Error('not created');
    for (const nurse of nurses.slice(16, 19)) expect((await service.signUp(nurse, created.event.id)).ok).toBe(true);
    expect(await service.updateEvent(hospital.id, created.event.id, { capacity: 2 }, admin)).toEqual({
      ok: false,
      reason: 'invalid',
      problems: [{ field: 'capacity', code: 'capacity-below-sign-ups', params: { taken: 3 } }],
    });
    expect((await service.getEvent(hospital.id, created.event.id))?.capacity).toBe(10);
    const shrunk = await service.updateEvent(hospital.id, created.event.id, { capacity: 3 }, admin);
    expect(shrunk.ok && shrunk.event.capacity).toBe(3);
    expect(await db.auditLog.count({ where: { subjectId: created.event.id, action: 'event.updated' } })).toBe(1);
  });

  it('cancels an event with a reason: signed-up people are told and pending reminders withdrawn; it cannot be cancelled twice', async () => {
    const created = await service.createEvent(hospital.id, webinar({ title: 'Отменят', capacity: null }), admin);
    if (!created.ok) throw new Error('not created');
    const nurse = nurses[15];
    await service.signUp(nurse, created.event.id);
    expect(await service.cancelEvent(hospital.id, created.event.id, '  ', admin)).toMatchObject({ ok: false, reason: 'invalid' });
    const cancelled = await service.cancelEvent(hospital.id, created.event.id, 'Лектор заболел', admin);
    expect(cancelled.ok && cancelled.event.status).toBe('CANCELLED');
    const notices = await db.notification.findMany({
      where: { personId: nurse.id, subjectId: created.event.id },
      orderBy: { kind: 'asc' },
    });
    expect(notices.map((n) => [n.kind, n.state])).toEqual([
      ['event.cancelled', 'PENDING'],
      ['event.soon', 'CANCELLED'],
      ['event.tomorrow', 'CANCELLED'],
    ]);
    expect((notices[0].payload as { reason: string }).reason).toBe('Лектор заболел');
    expect(await service.cancelEvent(hospital.id, created.event.id, 'ещё раз', admin)).toEqual({ ok: false, reason: 'cancelled' });
    expect(await service.signUp(nurses[16], created.event.id)).toEqual({ ok: false, reason: 'cancelled' });
    expect(await db.auditLog.count({ where: { subjectId: created.event.id, action: 'event.cancelled' } })).toBe(1);
  });

  it('groups events into a program with a goal and criteria; editing and archiving are journaled', async () => {
    const created = await service.createProgram(
      hospital.id,
      { title: 'Инфекционная безопасность 2027', goal: 'Снизить ИСМП', criteria: '90% среднего персонала обучены' },
      admin,
    );
    if (!created.ok) throw new Error('not created');
    const event = await service.createEvent(hospital.id, webinar({ title: 'В программе', programId: created.program.id }), admin);
    expect(event.ok && event.event.programId).toBe(created.program.id);
    const foreign = await service.createEvent(other.id, webinar({ programId: created.program.id }), admin);
    expect(!foreign.ok && foreign.reason === 'invalid' && foreign.problems).toEqual([{ field: 'programId', code: 'program-unknown' }]);
    const renamed = await service.updateProgram(hospital.id, created.program.id, { criteria: '95% обучены' }, admin);
    expect(renamed.ok && renamed.program.criteria).toBe('95% обучены');
    expect(await service.updateProgram(other.id, created.program.id, { title: 'чужая' }, admin)).toEqual({
      ok: false,
      reason: 'not-found',
    });
    const archived = await service.archiveProgram(hospital.id, created.program.id, admin);
    expect(archived.ok && archived.program.archivedAt).toBeInstanceOf(Date);
    expect((await service.listPrograms(hospital.id)).find((p) => p.id === created.program.id)?.events).toBe(1);
    expect((await db.auditLog.findMany({ where: { subjectId: created.program.id }, orderBy: { at: 'asc' } })).map((r) => r.action)).toEqual(
      ['program.created', 'program.updated', 'program.archived'],
    );
  });

  it("restores an archived program with its events, journaled; restoring an active one or another organization's changes nothing", async () => {
    const created = await service.createProgram(hospital.id, { title: 'Сестринское дело 2027' }, admin);
    if (!created.ok) throw new Error('not created');
    await service.createEvent(hospital.id, webinar({ title: 'В архивной программе', programId: created.program.id }), admin);
    await service.archiveProgram(hospital.id, created.program.id, admin);
    expect(await service.restoreProgram(other.id, created.program.id, admin)).toEqual({ ok: false, reason: 'not-found' });
    expect((await db.program.findUniqueOrThrow({ where: { id: created.program.id } })).archivedAt).toBeInstanceOf(Date);
    const restored = await service.restoreProgram(hospital.id, created.program.id, admin);
    expect(restored.ok && restored.program.archivedAt).toBeNull();
    expect((await service.listPrograms(hospital.id)).find((p) => p.id === created.program.id)).toMatchObject({
      archivedAt: null,
      events: 1,
    });
    expect(await service.restoreProgram(hospital.id, created.program.id, admin)).toMatchObject({ ok: true, program: { archivedAt: null } });
    const journal = await db.auditLog.findMany({ where: { subjectId: created.program.id }, orderBy: { at: 'asc' } });
    expect(journal.map((r) => r.action)).toEqual(['program.created', 'program.archived', 'program.restored']);
    expect([
      (journal[2].before as { archivedAt: string | null }).archivedAt,
      (journal[2].after as { archivedAt: string | null }).archivedAt,
    ]).toEqual([expect.any(String), null]);
  });

  it('keeps an event whose texts carry U+0000 (pasted from another system), without it (#12.2)', async () => {
    const outcome = await service.createEvent(
      hospital.id,
      webinar({ title: 'Профилактика\u0000 ИСМП', description: 'Лектор:\u0000 Иванова' }),
      admin,
    );
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.event).toMatchObject({ title: 'Профилактика ИСМП', description: 'Лектор: Иванова' });
  });
});
