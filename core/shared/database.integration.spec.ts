import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { waitUntil } from '../../test/support/eventually';
import { createDatabase, sqlPoolOf, type Database } from './database';

/**
 * PostgreSQL may end a connection the pool keeps idle (a restart, a failover, an administrator): the
 * process must live on and the next read open another, whether or not Prisma itself connected yet (the
 * prepared reads use the pool directly, and Prisma's adapter listens to the pool only once it connects).
 */
describe('the database pool when PostgreSQL ends an idle connection (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterEach(async () => {
    await db?.$disconnect();
  });

  afterAll(async () => {
    await database?.drop();
  });

  /** Waits until the pool has let go of its connections: no listener of the test's own on the pool. */
  const dropped = (pool: pg.Pool) => waitUntil(() => pool.totalCount === 0, 'the pool lets go of its ended connection');

  async function terminateOthers(): Promise<number> {
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ ended: boolean }>(
        'SELECT pg_terminate_backend(pid) AS ended FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
      );
      return rows.filter((row) => row.ended).length;
    } finally {
      await admin.end();
    }
  }

  it('survives it before Prisma ever connected, and the next read works', async () => {
    db = createDatabase(database.url, { max: 2, keepOpen: 1 });
    const pool = sqlPoolOf(db);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(await terminateOthers()).toBeGreaterThanOrEqual(1);
    await dropped(pool);
    expect((await pool.query<{ two: number }>('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
  });

  it('survives it after Prisma connected, and both read again', async () => {
    db = createDatabase(database.url, { max: 2, keepOpen: 1 });
    expect(await db.organization.count()).toBe(0);
    await sqlPoolOf(db).query('SELECT 1');
    expect(await terminateOthers()).toBeGreaterThanOrEqual(1);
    await dropped(sqlPoolOf(db));
    expect(await db.organization.count()).toBe(0);
  });
});
