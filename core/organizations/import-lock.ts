import type { Transaction } from '../shared/database';

/**
 * Serialises imports of one kind for one organization: the second waits for the first to commit and
 * then sees its rows, so two uploads of the same file cannot both create the same records.
 * The lock is released with the transaction.
 */
export async function lockImport(tx: Transaction, kind: 'roster' | 'credits', organizationId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`import:${kind}:${organizationId}`}))`;
}

/** Imports of large files write thousands of rows in one transaction: Prisma's 5 s default is too short. */
export const IMPORT_TRANSACTION = { maxWait: 30_000, timeout: 10 * 60_000 } as const;

/** Rows per INSERT: large enough to be few statements, small enough for PostgreSQL's 65 535 parameters. */
export const INSERT_BATCH = 1000;

/** Runs `insert` over consecutive slices of `rows`, one statement after another. */
export async function insertInBatches<T>(rows: readonly T[], insert: (batch: T[]) => Promise<unknown>): Promise<void> {
  for (let from = 0; from < rows.length; from += INSERT_BATCH) await insert(rows.slice(from, from + INSERT_BATCH));
}
