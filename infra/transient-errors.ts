import { GrammyError, HttpError } from 'grammy';

/**
 * Errors that say "a service we depend on is away for now" (PostgreSQL, Redis, Telegram) rather than
 * "this request cannot succeed": the work is tried again later instead of failing for good.
 */
const PRISMA_UNAVAILABLE = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const ADAPTER_UNAVAILABLE = new Set([
  'DatabaseNotReachable',
  'ConnectionClosed',
  'SocketTimeout',
  'TooManyConnections',
  'DatabaseDoesNotExist',
]);
/** PostgreSQL SQLSTATEs of a server going away or refusing connections. */
const POSTGRES_UNAVAILABLE = /^(08\d{3}|57P0[1-3]|53300)$/;
const NODE_NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN']);
const MESSAGE =
  /Connection is closed|Stream isn't writeable|Reached the max retries per request limit|Connection terminated|Client has encountered a connection error|ECONNREFUSED|ECONNRESET/;

export type Dependency = 'database' | 'redis' | 'telegram';

/** Which dependency is away, or undefined when the error is not an outage. */
export function unavailableDependency(error: unknown, depth = 0): Dependency | undefined {
  if (!error || typeof error !== 'object' || depth > 4) return undefined;
  const e = error as Record<string, unknown> & { name?: string; message?: string; code?: unknown; meta?: Record<string, unknown> };
  if (error instanceof HttpError) return 'telegram';
  if (error instanceof GrammyError) return error.error_code >= 500 ? 'telegram' : undefined;
  if (typeof e.code === 'string' && PRISMA_UNAVAILABLE.has(e.code) && 'clientVersion' in e) return 'database';
  const adapter = (e.meta?.driverAdapterError ?? (e.name === 'DriverAdapterError' ? e : undefined)) as
    { cause?: { kind?: string; originalCode?: string; code?: string } } | undefined;
  const cause = adapter?.cause;
  if (cause?.kind && ADAPTER_UNAVAILABLE.has(cause.kind)) return 'database';
  const sqlState = cause?.originalCode ?? cause?.code;
  if (typeof sqlState === 'string' && POSTGRES_UNAVAILABLE.test(sqlState)) return 'database';
  if (e.name === 'MaxRetriesPerRequestError') return 'redis';
  const message = typeof e.message === 'string' ? e.message : '';
  if (MESSAGE.test(message)) return /Prisma|database|postgres/i.test(`${e.name} ${message}`) ? 'database' : 'redis';
  if (typeof e.code === 'string' && NODE_NETWORK.has(e.code)) return 'redis';
  return unavailableDependency(e.error ?? e.cause, depth + 1);
}
