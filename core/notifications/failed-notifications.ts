import type { Prisma } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { Database } from '../shared/database';

/**
 * The outbound queue as a retry needs it. A notification's job id is its own id, so a job that ended
 * (failed, or completed with the row FAILED) must be removed before the same id can be queued again.
 */
export interface OutboundRequeue {
  /** Removes the ended (failed or completed) jobs of these notifications; waiting, delayed or active ones stay. */
  forgetEnded(notificationIds: readonly string[]): Promise<void>;
  dispatchMany(items: ReadonlyArray<{ id: string; dueAt: Date }>): Promise<void>;
}

export interface FailedFilter {
  /** Only these notifications. */
  ids?: readonly string[];
  /** Only this kind (e.g. `announcement`). */
  kind?: string;
}

export interface FailedNotification {
  id: string;
  kind: string;
  dueAt: Date;
  attempts: number;
  lastError: string | null;
  /** Whether a retry would queue it: Telegram never had it, and the person can still be written to. */
  retryable: boolean;
  /** Why not, when not. */
  held?: 'perhaps-delivered' | 'unreachable' | 'deleted';
}

export interface RetryOutcome {
  /** The notifications this call put back on the queue (PENDING again). */
  requeued: string[];
  /** FAILED ones left alone: perhaps delivered (a send whose outcome is unknown), or the person blocked the bot or is deleted. */
  held: number;
}

const LIST_LIMIT = 200;
/** Retries go in pages: a failed announcement to an organization may be thousands of rows. */
const RETRY_PAGE = 1000;

/**
 * FAILED notifications for the engineer on call: which there are and why, and a retry of those that did
 * not reach Telegram. Retryable means Telegram's answer said nothing was delivered (no intent left on
 * the row, nothing recorded), and the person is neither unreachable (a 403: they blocked the bot) nor
 * deleted. A retry turns them PENDING in one conditional statement, so two retries at once (or one
 * repeated) queue each notification once; the sender then decides again (quiet hours, mutes) as for any.
 */
export class FailedNotifications {
  constructor(
    private readonly db: Database,
    private readonly queue: OutboundRequeue,
  ) {}

  /** The newest FAILED notifications (at most 200), each saying whether a retry would queue it. */
  async list(filter: FailedFilter = {}): Promise<FailedNotification[]> {
    const rows = await this.db.notification.findMany({
      where: { state: 'FAILED', ...where(filter) },
      select: {
        id: true,
        kind: true,
        dueAt: true,
        attempts: true,
        lastError: true,
        sendingBy: true,
        telegramMessageId: true,
        person: { select: { unreachableSince: true, deletedAt: true } },
      },
      orderBy: { dueAt: 'desc' },
      take: LIST_LIMIT,
    });
    return rows.map((row) => {
      const held: FailedNotification['held'] =
        row.sendingBy !== null || row.telegramMessageId !== null
          ? 'perhaps-delivered'
          : row.person?.deletedAt
            ? 'deleted'
            : row.person?.unreachableSince
              ? 'unreachable'
              : undefined;
      return {
        id: row.id,
        kind: row.kind,
        dueAt: row.dueAt,
        attempts: row.attempts,
        lastError: row.lastError,
        retryable: held === undefined,
        ...(held ? { held } : {}),
      };
    });
  }

  /** Puts the retryable FAILED notifications (of the filter) back on the outbound queue, once each. */
  async retry(filter: FailedFilter, actor: { type: 'admin'; id: string }): Promise<RetryOutcome> {
    const requeued: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await this.db.notification.findMany({
        where: { AND: [RETRYABLE, where(filter), after ? { id: { gt: after } } : {}] },
        select: { id: true },
        orderBy: { id: 'asc' },
        take: RETRY_PAGE,
      });
      if (page.length === 0) break;
      after = page[page.length - 1].id;
      const ids = page.map((row) => row.id);
      // Ended jobs go first: a crash after this leaves the rows FAILED (a later retry takes them), and one
      // after the update below leaves them PENDING with no job, which the reconciler queues.
      await this.queue.forgetEnded(ids);
      const taken = await this.db.$transaction(async (tx) => {
        const rows = await tx.notification.updateManyAndReturn({
          where: { AND: [{ id: { in: ids } }, RETRYABLE] },
          data: { state: 'PENDING' },
          select: { id: true, dueAt: true, kind: true, lastError: true, attempts: true },
        });
        for (const row of rows) {
          await recordAudit(tx, {
            actorType: actor.type,
            actorId: actor.id,
            action: 'notification.retried',
            subjectType: 'Notification',
            subjectId: row.id,
            before: { state: 'FAILED', lastError: row.lastError, attempts: row.attempts },
            after: { state: 'PENDING' },
          });
        }
        return rows;
      });
      // A past due date queues it at once; quiet hours are decided again when it is sent.
      await this.queue.dispatchMany(taken.map((row) => ({ id: row.id, dueAt: row.dueAt })));
      requeued.push(...taken.map((row) => row.id));
    }
    const held = await this.db.notification.count({ where: { AND: [{ state: 'FAILED' }, where(filter)] } });
    return { requeued, held };
  }
}

/** FAILED, Telegram never had it, and its person (if any) can still be written to. */
const RETRYABLE = {
  state: 'FAILED',
  sendingBy: null,
  telegramMessageId: null,
  OR: [{ personId: null }, { person: { unreachableSince: null, deletedAt: null } }],
} satisfies Prisma.NotificationWhereInput;

function where(filter: FailedFilter): Prisma.NotificationWhereInput {
  return {
    ...(filter.ids ? { id: { in: [...filter.ids] } } : {}),
    ...(filter.kind ? { kind: filter.kind } : {}),
  };
}
