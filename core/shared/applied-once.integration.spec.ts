import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { pruneAppliedUpdates, runForUpdate, UpdateAlreadyApplied } from './applied-once';
import { createDatabase, type Database } from './database';

/**
 * A replayed update (its first handling crashed after committing) must not apply its database effects
 * twice: proven on real PostgreSQL with the same client the bot uses.
 */
describe('applied once: the database effects of one Telegram update (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  const createOrganization = (code: string) =>
    db.$transaction(async (tx) => tx.organization.create({ data: { code, name: `Больница ${code}` } }));
  const organizations = (code: string) => db.organization.count({ where: { code } });

  it('a replayed writing transaction is refused and rolled back; outside an update nothing is marked', async () => {
    await runForUpdate('42:1', () => createOrganization('A1'));
    await expect(runForUpdate('42:1', () => createOrganization('A1'))).rejects.toBeInstanceOf(UpdateAlreadyApplied);
    expect(await organizations('A1')).toBe(1);

    await createOrganization('A2');
    expect(await db.appliedUpdate.count({ where: { updateKey: { startsWith: '42:' } } })).toBe(1);
  });

  it('a read-only transaction leaves no mark, so an update that crashed after reading is handled in full', async () => {
    const handle = async (code: string) => {
      const before = await db.$transaction(async (tx) => tx.organization.count());
      await createOrganization(code);
      return before;
    };
    // First handling: only the read committed (the crash came before the write).
    await runForUpdate('42:2', () => db.$transaction(async (tx) => tx.organization.count()));
    await runForUpdate('42:2', () => handle('B1'));
    expect(await organizations('B1')).toBe(1);
  });

  it('stops at the first step already applied: a second transaction never runs twice', async () => {
    const handle = async () => {
      await createOrganization('C1');
      await createOrganization('C2');
    };
    await runForUpdate('42:3', handle);
    await expect(runForUpdate('42:3', handle)).rejects.toBeInstanceOf(UpdateAlreadyApplied);
    expect([await organizations('C1'), await organizations('C2')]).toEqual([1, 1]);
  });

  it('transactions running side by side within one update take steps of their own', async () => {
    await runForUpdate('42:4', () => Promise.all([createOrganization('D1'), createOrganization('D2')]));
    expect(await db.appliedUpdate.findMany({ where: { updateKey: '42:4' }, select: { step: true }, orderBy: { step: 'asc' } })).toEqual([
      { step: 1 },
      { step: 2 },
    ]);
  });

  it('the array form is marked too, and a replay of it changes nothing', async () => {
    const batch = () => db.$transaction([db.organization.create({ data: { code: 'E1', name: 'E1' } }), db.organization.count()]);
    const [created, count] = (await runForUpdate('42:5', batch)) as [{ code: string }, number];
    expect(created.code).toBe('E1');
    expect(typeof count).toBe('number');
    await expect(runForUpdate('42:5', batch)).rejects.toBeInstanceOf(UpdateAlreadyApplied);
    expect(await organizations('E1')).toBe(1);
  });

  it('markers older than a week are pruned', async () => {
    await db.appliedUpdate.create({ data: { updateKey: 'old:1', step: 1, appliedAt: new Date('2026-01-01T00:00:00Z') } });
    expect(await pruneAppliedUpdates(db, new Date('2026-02-01T00:00:00Z'))).toBeGreaterThanOrEqual(1);
    expect(await db.appliedUpdate.count({ where: { updateKey: 'old:1' } })).toBe(0);
    expect(await db.appliedUpdate.count({ where: { updateKey: '42:1' } })).toBe(1);
  });
});
