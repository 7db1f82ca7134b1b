import pg from 'pg';
import { freePort } from '../../scripts/services/free-port';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { createDatabase, type Database } from './database';
import { isDatabaseUnavailable } from './database-unavailable';

/**
 * The worker waits out a database outage instead of failing its work: that needs the errors of a
 * server out of reach told apart from the errors of a wrong statement, as Prisma really throws them.
 */
describe('isDatabaseUnavailable', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase();
  });

  afterAll(async () => {
    await database?.drop();
  });

  async function errorOf(work: () => Promise<unknown>): Promise<unknown> {
    try {
      await work();
    } catch (error) {
      return error;
    }
    throw new Error('expected the work to fail');
  }

  it('recognises a server nobody answers at', async () => {
    const url = new URL(database.url);
    url.port = String(await freePort());
    const db = createDatabase(url.toString(), { max: 1 });
    try {
      expect(isDatabaseUnavailable(await errorOf(() => db.notification.count()))).toBe(true);
      expect(isDatabaseUnavailable(await errorOf(() => db.$executeRaw`SELECT 1`))).toBe(true);
    } finally {
      await db.$disconnect();
    }
  });

  it('recognises a connection the server ends under a running query', async () => {
    const db = createDatabase(database.url, { max: 1 });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const sleeping = errorOf(() => db.$queryRaw`SELECT pg_sleep(30)`);
      // What a server shutting down does to its sessions (57P01, terminating connection due to administrator command).
      for (let ended = 0; ended === 0;) {
        const result = await admin.query(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(30)%' AND pid <> pg_backend_pid()`,
        );
        ended = result.rowCount ?? 0;
      }
      expect(isDatabaseUnavailable(await sleeping)).toBe(true);
    } finally {
      await admin.end();
      await db.$disconnect();
    }
  });

  it('does not take a wrong statement for an outage', async () => {
    const db: Database = createDatabase(database.url, { max: 1 });
    try {
      const missing = await errorOf(() => db.notification.update({ where: { id: '00000000-0000-4000-8000-000000000000' }, data: {} }));
      expect(isDatabaseUnavailable(missing)).toBe(false);
      expect(isDatabaseUnavailable(await errorOf(() => db.$executeRaw`SELECT no_such_column FROM "Notification"`))).toBe(false);
      expect(isDatabaseUnavailable(new Error('support ticket 42 not found'))).toBe(false);
    } finally {
      await db.$disconnect();
    }
  });
});
