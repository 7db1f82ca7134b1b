import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { applyMigrations } from '../scripts/db/migrate';
import { hasLocalPostgres, startEmbeddedPostgres, startLocalPostgres } from '../scripts/services/postgres';
import { startRedis } from '../scripts/services/redis';
import { adminQuery, databaseUrl, dropDatabase } from './support/database';
import { serveEmbeddedDatabases } from './support/embedded-databases';

/**
 * Brings up what the tests run on and tells them through process.env (jest workers start after this
 * and inherit it):
 * - PostgreSQL: TEST_DATABASE_URL or DATABASE_URL when set (a server on which we may create
 *   databases), else a throwaway cluster from the system's binaries, else an embedded PGlite.
 *   Sets TEST_PG_ADMIN_URL, TEST_DB_PREFIX and TEST_TEMPLATE_DB (a migrated database to clone) —
 *   or, embedded, TEST_PG_FACTORY_URL (a service handing out migrated instances).
 * - Redis: REDIS_URL when set, else a redis-server started here. Sets TEST_REDIS_URL.
 * test/support/database.ts and test/support/redis.ts read these; test/global-teardown.ts stops it all.
 */
export default async function globalSetup(): Promise<void> {
  const workDir = mkdtempSync(path.join(tmpdir(), 'nmo-test-'));
  // The local cluster runs as the postgres user, which must reach its folder inside this one.
  chmodSync(workDir, 0o755);
  const cleanups: Cleanup[] = [async () => rmSync(workDir, { recursive: true, force: true })];
  globalThis.__NMO_TEST_SERVICES__ = { stop: () => runCleanups(cleanups) };
  try {
    await setUpPostgres(workDir, cleanups);
    await setUpRedis(workDir, cleanups);
  } catch (error) {
    await runCleanups(cleanups);
    throw error;
  }
}

type Cleanup = () => Promise<void>;

declare global {
  /** What global setup started, for global teardown (the two share this process and its globals). */
  var __NMO_TEST_SERVICES__: { stop(): Promise<void> } | undefined;
}

async function setUpPostgres(workDir: string, cleanups: Cleanup[]): Promise<void> {
  const prefix = `nmo_test_${randomBytes(4).toString('hex')}`;
  const serverUrl = process.env.TEST_DATABASE_URL || process.env.DATABASE_URL;
  if (serverUrl) {
    // A server that outlives the run: drop every database of this run, even those tests left.
    cleanups.push(() => dropRunDatabases(serverUrl, prefix));
    await createTemplate(serverUrl, prefix);
  } else if (hasLocalPostgres()) {
    const server = await startLocalPostgres({ dir: path.join(workDir, 'postgres') });
    cleanups.push(() => server.stop());
    await createTemplate(server.url, prefix);
  } else {
    const databases = await serveEmbeddedDatabases(await migratedEmbeddedTemplate());
    cleanups.push(() => databases.stop());
    process.env.TEST_PG_FACTORY_URL = databases.url;
  }
}

async function createTemplate(adminUrl: string, prefix: string): Promise<void> {
  const template = `${prefix}_template`;
  await adminQuery(adminUrl, `CREATE DATABASE "${template}"`);
  await applyMigrations(databaseUrl(adminUrl, template));
  Object.assign(process.env, { TEST_PG_ADMIN_URL: adminUrl, TEST_DB_PREFIX: prefix, TEST_TEMPLATE_DB: template });
}

/** A dump of a migrated PGlite data folder, which every embedded test database starts from. */
async function migratedEmbeddedTemplate(): Promise<Blob> {
  const server = await startEmbeddedPostgres({});
  try {
    await applyMigrations(server.url);
    return await server.db.dumpDataDir();
  } finally {
    await server.stop();
  }
}

async function dropRunDatabases(adminUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE starts_with(datname, $1)', [
      `${prefix}_`,
    ]);
    for (const { datname } of rows) await dropDatabase(adminUrl, datname);
  } finally {
    await client.end();
  }
}

async function setUpRedis(workDir: string, cleanups: Cleanup[]): Promise<void> {
  if (process.env.REDIS_URL) {
    process.env.TEST_REDIS_URL = process.env.REDIS_URL;
    return;
  }
  const redis = await startRedis({ dir: path.join(workDir, 'redis') });
  cleanups.push(() => redis.stop());
  process.env.TEST_REDIS_URL = redis.url;
}

/** Last started, first stopped; one failing cleanup does not keep the others from running. */
async function runCleanups(cleanups: Cleanup[]): Promise<void> {
  const failures: unknown[] = [];
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch((error: unknown) => failures.push(error));
  if (failures.length > 0) throw new AggregateError(failures, 'stopping the test services failed');
}
