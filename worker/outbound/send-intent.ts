/**
 * The intent a sender run writes on a notification before calling Telegram ("being sent since T by
 * run R"), and what a later run concludes when it finds one there with no record of the send.
 */

/** The job fields that name one run of it: when the job was created, and how many times it was started. */
export interface JobRun {
  timestamp: number;
  attemptsStarted: number;
}

/**
 * "<job created at>#<run>". A job keeps its creation time through retries and stalls, so an earlier run
 * of the same job is recognised; a job added anew (after a Redis flush) has another one.
 */
export function runLabel(job: JobRun): string {
  return `${job.timestamp}#${job.attemptsStarted}`;
}

/**
 * How long a run may take from its intent to its record: the Telegram call's timeout
 * (TELEGRAM_CALL_TIMEOUT_SECONDS) plus the record's retries while the database is away
 * (RECORD_RETRY_MS in the processor), with room to spare. An intent of another job older than this
 * belongs to a run that is over.
 */
export const SEND_LEASE_MS = 120_000;

/** The Bot API call may hang: the worker's client gives up after this, well inside the lease. */
export const TELEGRAM_CALL_TIMEOUT_SECONDS = 60;

export type IntentVerdict =
  /** No intent: the notification was never handed to Telegram. */
  | { kind: 'none' }
  /** The run that wrote it is over without a record: Telegram may or may not have the message. */
  | { kind: 'over' }
  /** Another job's run may still be sending it (two jobs exist for one notification only after a Redis flush). */
  | { kind: 'maybe-live'; until: number };

/**
 * BullMQ starts a job again only when its previous run has ended (failed, delayed, stalled), so an
 * intent of an earlier run of this job is over. An intent of another job (the job was added anew, e.g.
 * by the reconciler after a flush, while the old one may still run) is over once its lease has passed.
 */
export function judgeIntent(intent: { by: string | null; since: Date | null }, job: JobRun, now: number): IntentVerdict {
  if (intent.by === null) return { kind: 'none' };
  const [createdAt] = intent.by.split('#');
  if (createdAt === String(job.timestamp)) return { kind: 'over' };
  const until = (intent.since?.getTime() ?? 0) + SEND_LEASE_MS;
  return until > now ? { kind: 'maybe-live', until } : { kind: 'over' };
}
