import { GrammyError, HttpError } from 'grammy';

/**
 * Outages of what the sender depends on (Telegram's Bot API answering 5xx or not at all, PostgreSQL
 * gone): the outbound queue pauses, like for a 429, instead of spending each message's retries at full
 * speed and leaving them FAILED once the outage outlasts the backoff.
 */

/** How the queue waits while an outage lasts: 1 s, 2 s, 4 s … up to `maxMs` between tries. */
export interface PauseSchedule {
  firstMs: number;
  maxMs: number;
}

export const TELEGRAM_OUTAGE_PAUSE: PauseSchedule = { firstMs: 1000, maxMs: 30_000 };
/** The database answers again within seconds of a restart: tried more often, so sending resumes soon after. */
export const DATABASE_OUTAGE_PAUSE: PauseSchedule = { firstMs: 500, maxMs: 5000 };

/**
 * The pause a failure during an outage asks for. The interval doubles with each failure of a call
 * made after the last pause began, and a call that was already in flight when it began (concurrent
 * jobs failing together) only waits out the same pause: one outage, one step per try, not one per job.
 */
export class EscalatingPause {
  private level = 0;
  private pausedAt = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;

  constructor(private readonly schedule: PauseSchedule) {}

  /** A call begun at `startedAt` failed with the outage: how long the queue waits from `now`, and whether this was a new step. */
  next(startedAt: number, now = Date.now()): { ms: number; escalated: boolean } {
    if (startedAt < this.pausedAt) return { ms: Math.max(0, this.pausedUntil - now), escalated: false };
    this.level++;
    const ms = Math.min(this.schedule.maxMs, this.schedule.firstMs * 2 ** (this.level - 1));
    this.pausedAt = now;
    this.pausedUntil = now + ms;
    return { ms, escalated: true };
  }

  /** A call succeeded: the outage is over, the next one starts again from the first interval. */
  reset(): void {
    this.level = 0;
  }

  get active(): boolean {
    return this.level > 0;
  }
}

/**
 * Tells a message's own 5xx from an outage. A failure belongs to the message when Telegram answered
 * other messages since this one last failed the same way: then it spends the message's retries, as any
 * error does, and a message Telegram cannot take (a 500 for it alone) ends FAILED instead of pausing
 * the queue forever. While nothing goes through, no failure counts against anyone.
 */
export class OutageWitness {
  private lastSuccessAt = Number.NEGATIVE_INFINITY;
  private readonly lastFailureOf = new Map<string, number>();

  succeeded(notificationId: string, now = Date.now()): void {
    this.lastSuccessAt = now;
    this.lastFailureOf.delete(notificationId);
  }

  /** Records the failure; true when it is the message's own (others went through since its last one). */
  failed(notificationId: string, now = Date.now()): boolean {
    const previous = this.lastFailureOf.get(notificationId);
    this.lastFailureOf.set(notificationId, now);
    return previous !== undefined && this.lastSuccessAt > previous;
  }

  /** The message is done with (sent, refused, failed for good). */
  forget(notificationId: string): void {
    this.lastFailureOf.delete(notificationId);
  }
}

/** Errors that leave no doubt the request never reached Telegram (no connection was made). */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ENETUNREACH', 'EHOSTUNREACH']);

/**
 * What a failed Telegram call says about Telegram. `outage`: Bot API 5xx, or no answer at all.
 * `delivered`: 'no' when Telegram (or a gateway in front of it) answered with an error, or no connection
 * was made; 'unknown' when the connection broke after the request left (a timeout, a reset): Telegram may
 * have sent the message.
 */
export function telegramTrouble(error: unknown): { outage: false } | { outage: true; delivered: 'no' | 'unknown' } {
  if (error instanceof GrammyError) return error.error_code >= 500 ? { outage: true, delivered: 'no' } : { outage: false };
  if (!(error instanceof HttpError)) return { outage: false };
  const cause = error.error as { code?: string; type?: string } | undefined;
  const answered = error.error instanceof SyntaxError || cause?.type === 'invalid-json';
  const notConnected = typeof cause?.code === 'string' && NOT_CONNECTED.has(cause.code);
  return { outage: true, delivered: answered || notConnected ? 'no' : 'unknown' };
}
