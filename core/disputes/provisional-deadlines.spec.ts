import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDocument, createEntry, createPerson, disputeServices } from '../../test/support/case-fixtures';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { findProjectRoot } from '../calendar/calendar-loader';
import { endOfMoscowDay } from '../calendar/deadline';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';

const SUPPORT_CHAT = -1001234567890n;
const reviewer = { type: 'admin' as const, id: 'http' };
const admin = { type: 'admin' as const, id: 'http' };
const msk = (iso: string) => new Date(`${iso}+03:00`);

/**
 * December 2026, no calendar for 2027 yet: disputes and appeal windows running into January are counted
 * by ТК РФ ст. 112 alone, stored as provisional, and the support group hears of the missing year once.
 * On 12 January the admin loads a 2027 calendar (a test one: 11 January off instead of Saturday 16
 * January): every provisional date is counted again and journaled; people whose date moved, and still
 * can use it, are told; an appeal window already running never ends earlier than the person was told.
 */
describe('provisional deadlines across a year without a production calendar (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  const clock = new FixedClock(msk('2026-12-21T10:00:00'));
  let services: ReturnType<typeof disputeServices>;
  const ids: Record<'a' | 'b' | 'c' | 'd', { person: string; dispute: string }> = {} as never;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 3 });
    services = disputeServices(db, clock, { supportChatId: SUPPORT_CHAT });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  async function fileDispute(name: string) {
    const person = await createPerson(db, name);
    const entry = await createEntry(db, person.id, 36);
    const document = await createDocument(db, person.id);
    const filed = await services.disputes.file(person, {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'В удостоверении 72 часа',
      requestedValue: '72',
      documentIds: [document.id],
    });
    if (!filed.ok) throw new Error(filed.reason);
    return { person: person.id, dispute: filed.dispute.id, filed: filed.dispute };
  }

  it('a dispute filed on Monday 21.12.2026 is due 13.01.2027 by ст. 112 (1–8 January off), stored as provisional', async () => {
    const a = await fileDispute('Алексеева Анна Андреевна');
    ids.a = { person: a.person, dispute: a.dispute };
    expect(a.filed.dueAt).toEqual(endOfMoscowDay('2027-01-13'));
    expect(a.filed.dueFallbackYear).toBe(2027);
    for (const [key, name] of [
      ['b', 'Борисова Белла Борисовна'],
      ['c', 'Васильева Вера Викторовна'],
      ['d', 'Григорьева Галина Геннадьевна'],
    ] as const) {
      const { person, dispute } = await fileDispute(name);
      ids[key] = { person, dispute };
    }
    for (const key of ['b', 'c', 'd'] as const) {
      const dispute = await db.dispute.findUniqueOrThrow({ where: { id: ids[key].dispute } });
      expect([key, dispute.dueAt, dispute.dueFallbackYear]).toEqual([key, endOfMoscowDay('2027-01-13'), 2027]);
    }
  });

  it('the support group is told once that 2027 is missing, and the log says it once', async () => {
    const notices = await db.notification.findMany({ where: { kind: 'calendar.year-missing' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ chatId: SUPPORT_CHAT, personId: null, subjectId: '2027', payload: { year: 2027 } });
    expect(services.warnings).toEqual([{ year: 2027, message: expect.stringContaining('no production calendar for 2027') }]);
  });

  it('rejections store the appeal window with the decision: provisional when it runs into 2027, final when it does not', async () => {
    clock.set(msk('2026-12-22T12:00:00'));
    await services.disputes.decide(ids.d.dispute, 'REJECTED', 'нет оснований', reviewer);
    const d = await db.dispute.findUniqueOrThrow({ where: { id: ids.d.dispute } });
    // 23–25, 28 and 29 December: all in 2026, so the end is final.
    expect([d.appealWindowEndsAt, d.appealWindowFallbackYear]).toEqual([endOfMoscowDay('2026-12-29'), null]);

    clock.set(msk('2026-12-29T15:00:00'));
    const appeal = await services.disputes.fileAppeal({ id: ids.d.person }, ids.d.dispute, 'прилагаю справку');
    if (!appeal.ok) throw new Error(appeal.reason);
    // 30 December, 11–15, 18–22 and 25–28 January by ст. 112.
    expect([appeal.appeal.dueAt, appeal.appeal.dueFallbackYear]).toEqual([endOfMoscowDay('2027-01-28'), 2027]);

    clock.set(msk('2026-12-30T12:00:00'));
    await services.disputes.decide(ids.b.dispute, 'REJECTED', 'копия не читается', reviewer);
    const b = await db.dispute.findUniqueOrThrow({ where: { id: ids.b.dispute } });
    // 31 December 2026 and 1–8 January 2027 off: 11–15 January.
    expect([b.appealWindowEndsAt, b.appealWindowFallbackYear]).toEqual([endOfMoscowDay('2027-01-15'), 2027]);
    const decided = await db.notification.findFirstOrThrow({ where: { kind: 'dispute.decided', subjectId: ids.b.dispute } });
    expect(decided.payload).toMatchObject({ appealUntil: endOfMoscowDay('2027-01-15').toISOString(), appealUntilFallbackYear: 2027 });

    clock.set(msk('2027-01-12T10:00:00'));
    await services.disputes.decide(ids.c.dispute, 'REJECTED', 'не подтверждается', reviewer);
    const c = await services.disputes.appealEligibility({ id: ids.c.person }, ids.c.dispute);
    // 13–15 and 18–19 January: Saturday 16 January is a day off by ст. 112 alone.
    expect(c).toMatchObject({ ok: true, until: endOfMoscowDay('2027-01-19'), fallbackYear: 2027 });
    expect(await db.notification.count({ where: { kind: 'calendar.year-missing' } })).toBe(1);
  });

  it('loading 2027 recomputes every provisional date, journals each, tells only those whose date moved and still matters', async () => {
    clock.set(msk('2027-01-12T12:00:00'));
    const xml = readFileSync(join(findProjectRoot(), 'test/fixtures/production-calendar-2027.xml'), 'utf8');
    const loaded = await services.years.load(xml, admin);
    // Four dispute due dates (13 → 14 January), one appeal due date, two appeal windows.
    expect(loaded).toEqual({ ok: true, year: 2027, replaced: false, deadlines: { recomputed: 7, moved: 5, told: 2 } });

    for (const key of ['a', 'b', 'c', 'd'] as const) {
      const dispute = await db.dispute.findUniqueOrThrow({ where: { id: ids[key].dispute } });
      // 22–25, 28–30 December; 11 January is now a day off: 12, 13 and 14 January.
      expect([key, dispute.dueAt, dispute.dueFallbackYear]).toEqual([key, endOfMoscowDay('2027-01-14'), null]);
    }
    expect(await db.auditLog.count({ where: { action: 'deadline.recomputed' } })).toBe(7);
    const journalA = await db.auditLog.findFirstOrThrow({ where: { action: 'deadline.recomputed', subjectId: ids.a.dispute } });
    expect(journalA).toMatchObject({
      actorType: 'admin',
      actorId: 'http',
      subjectType: 'dispute',
      before: { deadline: 'dispute-due', at: endOfMoscowDay('2027-01-13').toISOString(), fallbackYear: 2027 },
      after: { deadline: 'dispute-due', at: endOfMoscowDay('2027-01-14').toISOString(), fallbackYear: null, calendarYear: 2027 },
    });

    const told = await db.notification.findMany({ where: { kind: 'deadline.moved' }, orderBy: { sequence: 'asc' } });
    expect(told.map((n) => [n.personId, n.payload])).toEqual([
      // Open dispute: its review date moved.
      [
        ids.a.person,
        expect.objectContaining({
          deadline: 'dispute-due',
          before: endOfMoscowDay('2027-01-13').toISOString(),
          after: endOfMoscowDay('2027-01-14').toISOString(),
          calendarYear: 2027,
          fallbackYear: null,
        }),
      ],
      // Rejected, not appealed, still open: Saturday 16 January is a working day, the window grows by a day.
      [
        ids.b.person,
        expect.objectContaining({
          deadline: 'appeal-window',
          disputeId: ids.b.dispute,
          before: endOfMoscowDay('2027-01-15').toISOString(),
          after: endOfMoscowDay('2027-01-16').toISOString(),
        }),
      ],
    ]);
  });

  it('an appeal window already running keeps the later end it was given: 19.01, though the calendar alone says 18.01', async () => {
    const c = await db.dispute.findUniqueOrThrow({ where: { id: ids.c.dispute } });
    expect([c.appealWindowEndsAt, c.appealWindowFallbackYear]).toEqual([endOfMoscowDay('2027-01-19'), null]);
    const journal = await db.auditLog.findFirstOrThrow({
      where: { action: 'deadline.recomputed', subjectId: ids.c.dispute, after: { path: ['deadline'], equals: 'appeal-window' } },
    });
    expect(journal.after).toMatchObject({
      at: endOfMoscowDay('2027-01-19').toISOString(),
      computedAt: endOfMoscowDay('2027-01-18').toISOString(),
    });
    expect(await db.notification.count({ where: { kind: 'deadline.moved', personId: ids.c.person } })).toBe(0);

    clock.set(msk('2027-01-19T21:00:00'));
    expect(await services.disputes.appealEligibility({ id: ids.c.person }, ids.c.dispute)).toMatchObject({
      ok: true,
      until: endOfMoscowDay('2027-01-19'),
      fallbackYear: null,
    });
  });

  it('an appeal whose date did not move is settled quietly; settling again changes nothing', async () => {
    const appeal = await db.appeal.findFirstOrThrow({ where: { disputeId: ids.d.dispute } });
    expect([appeal.dueAt, appeal.dueFallbackYear]).toEqual([endOfMoscowDay('2027-01-28'), null]);
    expect(await db.notification.count({ where: { kind: 'deadline.moved', personId: ids.d.person } })).toBe(0);
    expect(await services.provisional.settle(admin)).toEqual({ recomputed: 0, moved: 0, told: 0 });
    expect(await db.auditLog.count({ where: { action: 'deadline.recomputed' } })).toBe(7);
  });
});
