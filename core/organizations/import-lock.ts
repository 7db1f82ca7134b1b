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
