import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import { markTransactionsOfUpdates } from './applied-once';

/** The Prisma client every repository receives; a transaction client has the same shape. */
export type Database = PrismaClient;
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type Executor = Database | Transaction;

const pools = new WeakMap<Database, pg.Pool>();

export interface PoolOptions {
  /** Connections at most (pg's `max`). */
  max?: number;
  /**
   * Connections kept open however long they idle (pg-pool's `min`; opened as needed, never ahead), and
   * how long the others are kept idle before they close. A long-running process keeps a few: a person
   * writing after a quiet minute would otherwise wait for a new PostgreSQL backend (fork, authentication,
   * its catalog caches filled again, every prepared statement prepared again), and both sides pay its CPU.
   */
  keepOpen?: number;
  idleMs?: number;
}

/** What the bot and the worker keep (PoolOptions.keepOpen, idleMs). */
export const PROCESS_POOL: PoolOptions = { keepOpen: 2, idleMs: 60_000 };

export function createDatabase(connectionString: string, options: PoolOptions = {}): Database {
  const max = options.max ?? 10;
  const pool = new pg.Pool({
    connectionString,
    max,
    min: Math.min(options.keepOpen ?? 0, max),
    idleTimeoutMillis: options.idleMs ?? 10_000,
  });
  // A connection the pool keeps idle may be ended by the server (a restart, a failover, an administrator):
  // pg-pool drops it and emits 'error', which with no listener would end the process. Prisma's adapter
  // listens only once Prisma connects, and the prepared reads (sqlPoolOf) use the pool before that. Nothing
  // is lost with it, and the next statement opens another connection or, the server being down, fails
  // where an outage is handled (core/shared/database-unavailable.ts).
  pool.on('error', () => undefined);
  // Prisma ends the pool on $disconnect, as it did when it made the pool itself.
  // Minimal errors: the pretty format quotes the failed call with its arguments, which may hold personal data.
  const db = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }), errorFormat: 'minimal' });
  markTransactionsOfUpdates(db);
  pools.set(db, pool);
  return db;
}

/**
 * The connection pool under a client made by `createDatabase`: the same connections and limit, for the
 * few statements where Prisma's own work costs more than the statement. The nightly sweep reads 50,000
 * entries and writes a 1.4 MB document per batch; through Prisma the document alone is copied five
 * times and the sweep's worker needs twice the CPU. Everything else goes through Prisma.
 */
export function sqlPoolOf(db: Database): pg.Pool {
  const pool = pools.get(db);
  if (!pool) throw new Error('sqlPoolOf: this client was not made by createDatabase');
  if (pool.ended) throw new Error('sqlPoolOf: the client was disconnected');
  return pool;
}
