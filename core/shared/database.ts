import pg from 'pg';
import { PrismaClient } from '../../generated/prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import { markTransactionsOfUpdates } from './applied-once';

/** The Prisma client every repository receives; a transaction client has the same shape. */
export type Database = PrismaClient;
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type Executor = Database | Transaction;

const pools = new WeakMap<Database, pg.Pool>();

export function createDatabase(connectionString: string, options: { max?: number } = {}): Database {
  const pool = new pg.Pool({ connectionString, max: options.max ?? 10 });
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
