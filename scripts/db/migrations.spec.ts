import { createHash } from 'node:crypto';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { diffMigrationsToSchema } from './diff';
import { applyMigrations } from './migrate';
import { readMigrationsList } from './project';

const migrations = readMigrationsList().migrationDirectories.map(({ path, migrationFile }) => ({
  name: path,
  sql: migrationFile.content.tag === 'ok' ? migrationFile.content.value : '',
}));

describe('prisma/migrations', () => {
  let database: TestDatabase;

  beforeEach(async () => {
    database = await createTestDatabase({ empty: true });
  });

  afterEach(async () => {
    await database.drop();
  });

  it('produce exactly what prisma/schema.prisma describes (else: npm run db:migration:create -- <name>)', async () => {
    expect(migrations.length).toBeGreaterThan(0);
    expect(await diffMigrationsToSchema(database.url)).toBe('');
  });

  it('apply to an empty database once, recorded as prisma migrate deploy records them', async () => {
    expect(await applyMigrations(database.url)).toEqual(migrations.map(({ name }) => name));
    expect(await applyMigrations(database.url)).toEqual([]);

    const { rows } = await query(
      database.url,
      'SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count FROM _prisma_migrations ORDER BY started_at',
    );
    expect(rows).toEqual(
      migrations.map(({ name, sql }) => ({
        migration_name: name,
        checksum: createHash('sha256').update(sql).digest('hex'),
        finished_at: expect.any(Date),
        rolled_back_at: null,
        applied_steps_count: 1,
      })),
    );
  });

  it('refuse a database that has tables but no migration history, in one line', async () => {
    await query(database.url, 'CREATE TABLE stray (id int)');
    const failure = applyMigrations(database.url);
    await expect(failure).rejects.toMatchObject({ code: 'P3005' });
    await expect(failure).rejects.toThrow(/^The database schema is not empty\.[^\n]*$/);
  });
});

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}
