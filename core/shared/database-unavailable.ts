import { Prisma } from '../../generated/prisma/client';

/** Prisma's codes for a server it cannot reach, that timed out or closed the connection. */
const UNREACHABLE_CODES = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024']);
/** The driver adapter's kinds for the same. */
const UNREACHABLE_KINDS = new Set(['DatabaseNotReachable', 'ConnectionClosed', 'SocketTimeout', 'TooManyConnections']);
/** PostgreSQL's SQLSTATE classes 08 (connection exception) and 57P (the server is shutting down or starting). */
const UNAVAILABLE_SQLSTATE = /^(08|57P)/;
/** What node-postgres throws itself when a connection dies under a query or a transaction. */
const DRIVER_MESSAGES = /Connection terminated|connection error and is not queryable|ECONNREFUSED|ECONNRESET/i;

interface DriverAdapterCause {
  kind?: string;
  code?: string;
  originalCode?: string;
}

/**
 * True when an error says PostgreSQL is out of reach (stopped, restarting, the network between), not
 * that the query was wrong: the same statement will succeed once the server is back. Callers wait and
 * try again instead of spending the work's retries or failing it for good.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  if (error instanceof Prisma.PrismaClientKnownRequestError) {
    if (UNREACHABLE_CODES.has(error.code)) return true;
    const cause = (error.meta?.driverAdapterError as { cause?: DriverAdapterCause } | undefined)?.cause;
    if (cause?.kind && UNREACHABLE_KINDS.has(cause.kind)) return true;
    const sqlState = cause?.originalCode ?? cause?.code;
    return typeof sqlState === 'string' && UNAVAILABLE_SQLSTATE.test(sqlState);
  }
  if (error instanceof Prisma.PrismaClientInitializationError) return true;
  return error instanceof Error && DRIVER_MESSAGES.test(error.message);
}
