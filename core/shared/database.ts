import { PrismaClient } from '../../generated/prisma/client';
import { PrismaPg } from '@prisma/adapter-pg';
import { markTransactionsOfUpdates } from './applied-once';

/** The Prisma client every repository receives; a transaction client has the same shape. */
export type Database = PrismaClient;
export type Transaction = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];
export type Executor = Database | Transaction;

export function createDatabase(connectionString: string, options: { max?: number } = {}): Database {
  // Minimal errors: the pretty format quotes the failed call with its arguments, which may hold personal data.
  const client = new PrismaClient({ adapter: new PrismaPg({ connectionString, max: options.max ?? 10 }), errorFormat: 'minimal' });
  markTransactionsOfUpdates(client);
  return client;
}
