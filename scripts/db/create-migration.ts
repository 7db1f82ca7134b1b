import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startEmbeddedPostgres } from '../services/postgres';
import { diffMigrationsToSchema } from './diff';
import { LOCK_FILE, LOCK_FILE_CONTENT, MIGRATION_FILE, MIGRATIONS_DIR, PROJECT_ROOT, SCHEMA_FILE } from './project';

/** What `prisma migrate dev --create-only --name <name>` does, with no database configured: writes
 * prisma/migrations/<yyyyMMddHHmmss>_<name>/migration.sql taking a database from what the existing
 * migrations produce to prisma/schema.prisma. Returns the file written, or undefined when they agree. */
export async function createMigration(name: string, now: Date = new Date()): Promise<string | undefined> {
  const slug = migrationSlug(name);
  mkdirSync(MIGRATIONS_DIR, { recursive: true });
  // The engine takes the provider from the lock file, even for an empty history.
  const lockFile = path.join(MIGRATIONS_DIR, LOCK_FILE);
  if (!existsSync(lockFile)) writeFileSync(lockFile, LOCK_FILE_CONTENT);

  // An in-memory PGlite is the throwaway database the engine replays the migrations in.
  const shadow = await startEmbeddedPostgres({});
  const sql = await diffMigrationsToSchema(shadow.url).finally(() => shadow.stop());
  if (!sql) return undefined;

  const folder = path.join(MIGRATIONS_DIR, `${timestamp(now)}_${slug}`);
  mkdirSync(folder);
  const file = path.join(folder, MIGRATION_FILE);
  writeFileSync(file, sql);
  return file;
}

/** Folder names as `prisma migrate dev` makes them: lower case, `_` between words. */
function migrationSlug(name: string): string {
  const slug = name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  if (!slug) throw new Error(`"${name}" is not a usable migration name: use letters, digits and _`);
  return slug;
}

/** yyyyMMddHHmmss in UTC, the prefix that orders migrations. */
function timestamp(at: Date): string {
  return at.toISOString().replace(/\D/g, '').slice(0, 14);
}

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name) throw new Error('usage: npm run db:migration:create -- <name>');
  const file = await createMigration(name);
  console.log(file ? `Created ${path.relative(PROJECT_ROOT, file)}` : `No changes: prisma/migrations already produce ${SCHEMA_FILE}.`);
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`db:migration:create failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
