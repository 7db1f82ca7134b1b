import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * Databases for tests. test/global-setup.ts migrates a template once per run; every test file (or
 * test) takes a database of its own from it, so jest workers run side by side without interfering.
 *
 * On a PostgreSQL server that is `CREATE DATABASE … TEMPLATE`. With the embedded fallback (PGlite,
 * when the system has no PostgreSQL binaries) a server has a single database, so each test database
 * is an embedded server of its own, asked of the service in ./embedded-databases.ts.
 */
export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export interface TestDatabaseOptions {
  /** Skip the migrations: an empty database, e.g. to migrate it yourself. */
  empty?: boolean;
}

export async function createTestDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const factoryUrl = process.env.TEST_PG_FACTORY_URL;
  if (factoryUrl) return createEmbeddedDatabase(factoryUrl, options);

  const adminUrl = requiredEnv('TEST_PG_ADMIN_URL');
  const name = `${requiredEnv('TEST_DB_PREFIX')}_${randomBytes(6).toString('hex')}`;
  const template = options.empty ? 'template0' : requiredEnv('TEST_TEMPLATE_DB');
  await adminQuery(adminUrl, `CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  return {
    url: databaseUrl(adminUrl, name),
    drop: () => dropDatabase(adminUrl, name),
  };
}

async function createEmbeddedDatabase(factoryUrl: string, options: TestDatabaseOptions): Promise<TestDatabase> {
  const created = await fetch(`${factoryUrl}/databases${options.empty ? '?empty' : ''}`, { method: 'POST' });
  if (!created.ok) throw new Error(`embedded test database: ${await created.text()}`);
  const { id, url } = (await created.json()) as { id: string; url: string };
  return {
    url,
    async drop() {
      await fetch(`${factoryUrl}/databases/${id}`, { method: 'DELETE' });
    },
  };
}

/** `WITH (FORCE)` ends the sessions a test left open. */
export function dropDatabase(adminUrl: string, name: string): Promise<void> {
  return adminQuery(adminUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
}

/** The URL of database `name` on the server `url` points at. */
export function databaseUrl(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** Runs one statement on its own connection (CREATE/DROP DATABASE cannot share a transaction). */
export async function adminQuery(adminUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

function requiredEnv(name: string): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run tests through jest, whose global setup sets it`);
  return value;
}
