import { NO_FILTERS, readMigrationsList, readSchema } from './project';
import { withSchemaEngine } from './schema-engine';

/** The SQL that takes a database from what prisma/migrations produce to prisma/schema.prisma, or ''
 * when they agree. The engine replays the migrations in `shadowDatabaseUrl`, an empty database it
 * may wipe, to learn what they produce. */
export async function diffMigrationsToSchema(shadowDatabaseUrl: string): Promise<string> {
  return withSchemaEngine({ databaseUrl: shadowDatabaseUrl, shadowDatabaseUrl }, async (engine) => {
    const { exitCode, stdout } = await engine.diff({
      from: { tag: 'migrations', ...readMigrationsList() },
      to: { tag: 'schemaDatamodel', ...readSchema() },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    });
    // With `exitCode` set, the engine answers 2 when there is a difference, as `migrate diff --exit-code`.
    return exitCode === 2 ? (stdout ?? '') : '';
  });
}
