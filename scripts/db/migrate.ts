import { NO_FILTERS, readMigrationsList } from './project';
import { withSchemaEngine } from './schema-engine';

/** What `prisma migrate deploy` does: applies the migrations in prisma/migrations the database has
 * not seen, recording each in `_prisma_migrations`. Returns the names applied, in order. */
export async function applyMigrations(databaseUrl: string): Promise<string[]> {
  return withSchemaEngine({ databaseUrl }, async (engine) => {
    const { appliedMigrationNames } = await engine.applyMigrations({
      migrationsList: readMigrationsList(),
      filters: NO_FILTERS,
    });
    return appliedMigrationNames;
  });
}

async function main(): Promise<void> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) throw new Error('DATABASE_URL is not set');
  const applied = await applyMigrations(databaseUrl);
  console.log(
    applied.length === 0
      ? 'No pending migrations.'
      : `Applied ${applied.length} migration(s):\n${applied.map((name) => `  ${name}`).join('\n')}`,
  );
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`db:migrate failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  });
}
