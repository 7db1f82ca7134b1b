import { AsyncLocalStorage } from 'node:async_hooks';
import type { PrismaClient } from '../../generated/prisma/client';

/**
 * Exactly-once database effects for a replayed Telegram update.
 *
 * The bot records every update durably before handling it, so a crash mid-handler means the update
 * is handled again by whichever process takes it over. Its database effects must not be applied a
 * second time: every *writing* transaction run while handling an update also inserts a row
 * (update key, step) into "AppliedUpdate", in the same transaction. The replay's same transaction
 * finds the row, rolls back, and the handler stops with {@link UpdateAlreadyApplied}.
 *
 * Steps are numbered in the order transactions start within one handling, so a handler with two
 * writing transactions that crashed between them replays the first as already applied and stops
 * there: the second is then lost rather than the first doubled. Read-only transactions insert
 * nothing (PostgreSQL assigns a transaction id only on a write). Writes made outside a transaction
 * are not covered; handlers that change data use transactions.
 */
interface UpdateScope {
  readonly key: string;
  /** Transactions started so far in this handling. */
  started: number;
}

const scope = new AsyncLocalStorage<UpdateScope>();

/** Runs `handle` as the handling of one update; its writing transactions are marked with `updateKey`. */
export function runForUpdate<T>(updateKey: string, handle: () => Promise<T>): Promise<T> {
  return scope.run({ key: updateKey, started: 0 }, handle);
}

/** The update whose handling the caller is part of, if any. */
export function currentUpdateKey(): string | undefined {
  return scope.getStore()?.key;
}

/** This update's effects were committed by an earlier handling: stop, apply nothing more. */
export class UpdateAlreadyApplied extends Error {
  constructor(
    readonly updateKey: string,
    readonly step: number,
  ) {
    super(`update ${updateKey} was already applied (step ${step})`);
    this.name = 'UpdateAlreadyApplied';
  }
}

type Executor = Pick<PrismaClient, '$queryRaw' | '$executeRaw'>;

/** Makes `client.$transaction` mark its writes while an update is being handled. */
export function markTransactionsOfUpdates(client: PrismaClient): void {
  const original = client.$transaction.bind(client) as (arg: unknown, options?: unknown) => Promise<unknown>;
  const marked = (arg: unknown, options?: unknown): Promise<unknown> => {
    const current = scope.getStore();
    if (!current) return original(arg, options);
    const step = ++current.started;
    if (typeof arg === 'function') {
      return original(async (tx: Executor) => {
        // Checked first, so a replay stops before its writes could fail on their own unique keys.
        await refuseIfApplied(tx, current.key, step);
        const result: unknown = await (arg as (tx: Executor) => Promise<unknown>)(tx);
        await markIfWritten(tx, current.key, step);
        return result;
      }, options);
    }
    // The array form: a guard that fails first when this step was applied, the marker last, inserted
    // only if a statement before it wrote.
    const batch = [guardStatement(client, current.key, step), ...(arg as unknown[]), markerStatement(client, current.key, step)];
    return original(batch, options).then(
      (results) => (results as unknown[]).slice(1, -1),
      (error: unknown) => {
        throw isMarkerConflict(error) ? new UpdateAlreadyApplied(current.key, step) : error;
      },
    );
  };
  client.$transaction = marked as PrismaClient['$transaction'];
}

async function refuseIfApplied(tx: Executor, updateKey: string, step: number): Promise<void> {
  const found = await tx.$queryRaw<unknown[]>`SELECT 1 FROM "AppliedUpdate" WHERE "updateKey" = ${updateKey} AND "step" = ${step}`;
  if (found.length > 0) throw new UpdateAlreadyApplied(updateKey, step);
}

/**
 * The marker is written last, and only when the transaction wrote. Two handlings of one update at
 * once (a takeover while the first still runs) both pass the check above; the second one's insert
 * waits for the first's row and then finds it.
 */
async function markIfWritten(tx: Executor, updateKey: string, step: number): Promise<void> {
  const [{ wrote }] = await tx.$queryRaw<Array<{ wrote: boolean }>>`SELECT txid_current_if_assigned() IS NOT NULL AS wrote`;
  if (!wrote) return;
  const inserted = await tx.$executeRaw`
    INSERT INTO "AppliedUpdate" ("updateKey", "step") VALUES (${updateKey}, ${step}) ON CONFLICT DO NOTHING`;
  if (inserted === 0) throw new UpdateAlreadyApplied(updateKey, step);
}

/** Fails the batch (inserting the marker's key a second time) when this step was applied already. */
function guardStatement(client: Executor, updateKey: string, step: number): unknown {
  return client.$executeRaw`
    INSERT INTO "AppliedUpdate" ("updateKey", "step")
    SELECT ${updateKey}, ${step} WHERE EXISTS (SELECT 1 FROM "AppliedUpdate" WHERE "updateKey" = ${updateKey} AND "step" = ${step})`;
}

function markerStatement(client: Executor, updateKey: string, step: number): unknown {
  return client.$executeRaw`
    INSERT INTO "AppliedUpdate" ("updateKey", "step")
    SELECT ${updateKey}, ${step} WHERE txid_current_if_assigned() IS NOT NULL`;
}

function isMarkerConflict(error: unknown): boolean {
  const text = error instanceof Error ? `${error.message} ${JSON.stringify((error as { meta?: unknown }).meta ?? {})}` : '';
  return text.includes('AppliedUpdate');
}

/** Markers older than this are deleted: Telegram redelivers an update for a day at most. */
export const APPLIED_UPDATE_RETENTION_MS = 7 * 24 * 3600 * 1000;

/** Deletes old markers, a bounded batch at a time; returns how many went. */
export async function pruneAppliedUpdates(db: Executor, now: Date, limit = 10_000): Promise<number> {
  const before = new Date(now.getTime() - APPLIED_UPDATE_RETENTION_MS);
  return db.$executeRaw`
    DELETE FROM "AppliedUpdate" WHERE ctid IN (
      SELECT ctid FROM "AppliedUpdate" WHERE "appliedAt" < ${before} LIMIT ${limit})`;
}
