import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createDatabase, type Database } from '../../core/shared/database';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';

/**
 * The data step of migration deadline_fallback_year: due dates counted before it over a year with no
 * calendar (weekends only) are marked with that year, so loading it recomputes them. Run here on rows
 * written as the previous release wrote them (no mark), on a database the migrations already built.
 */
const MIGRATION = join(__dirname, '../../prisma/migrations/20261203124504_deadline_fallback_year/migration.sql');
const dataStep = () => {
  const sql = readFileSync(MIGRATION, 'utf8');
  return sql.slice(sql.indexOf('UPDATE "Dispute"'));
};

describe('migration deadline_fallback_year marks dates the weekends-only fallback counted', () => {
  let database: TestDatabase;
  let db: Database;
  let personId: string;

  beforeEach(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    personId = (await db.person.create({ data: { fullName: 'Иванова Мария Петровна' } })).id;
  });

  afterEach(async () => {
    await db.$disconnect();
    await database.drop();
  });

  async function dispute(filedAt: string, dueAt: string) {
    const row = await db.dispute.create({
      data: { personId, subjectType: 'PROFILE_FIELD', field: 'specialty', reason: 'x', filedAt: new Date(filedAt), dueAt: new Date(dueAt) },
    });
    return row.id;
  }

  const marks = async (ids: string[]) =>
    (await db.dispute.findMany({ where: { id: { in: ids } }, select: { id: true, dueFallbackYear: true } }))
      .sort((a, b) => ids.indexOf(a.id) - ids.indexOf(b.id))
      .map((d) => d.dueFallbackYear);

  it('marks a date running into 2027 (not loaded), not one inside the shipped years', async () => {
    const ids = [
      await dispute('2026-12-21T10:00:00+03:00', '2027-01-05T23:59:59.999+03:00'),
      await dispute('2026-12-01T10:00:00+03:00', '2026-12-14T23:59:59.999+03:00'),
      // 00:30 on 1 January in Moscow is still 31 December in UTC: counted from 2 January 2027.
      await dispute('2026-12-31T21:30:00Z', '2027-01-04T23:59:59.999+03:00'),
    ];
    const decided = await db.dispute.findUniqueOrThrow({ where: { id: ids[1] } });
    const appeal = await db.appeal.create({
      data: {
        disputeId: decided.id,
        personId,
        reason: 'x',
        filedAt: new Date('2026-12-25T10:00:00+03:00'),
        dueAt: new Date('2027-01-15T23:59:59.999+03:00'),
      },
    });
    await db.$executeRawUnsafe(dataStep().split(';')[0]);
    await db.$executeRawUnsafe(dataStep().split(';')[1]);
    expect(await marks(ids)).toEqual([2027, null, 2027]);
    expect((await db.appeal.findUniqueOrThrow({ where: { id: appeal.id } })).dueFallbackYear).toBe(2027);
  });

  it('leaves a year an admin already loaded unmarked, and marks the next one', async () => {
    await db.calendarYear.create({ data: { year: 2027, xml: '<calendar year="2027"><days/></calendar>' } });
    const ids = [
      await dispute('2026-12-21T10:00:00+03:00', '2027-01-13T23:59:59.999+03:00'),
      await dispute('2027-12-27T10:00:00+03:00', '2028-01-10T23:59:59.999+03:00'),
    ];
    await db.$executeRawUnsafe(dataStep().split(';')[0]);
    expect(await marks(ids)).toEqual([null, 2028]);
  });
});
