import { Prisma, type Notification } from '../../generated/prisma/client';
import type { Clock } from '../shared/clock';
import type { Database, Executor } from '../shared/database';
import { nextAllowedInstant } from './quiet-hours';
import { notificationsWithdrawn } from '../privacy/consents';
import { replaceControlCharacters } from '../shared/text';

/** Carries a notification to the sender; implemented over BullMQ outside core/. */
export interface OutboundDispatch {
  dispatch(notificationId: string, notBefore: Date): Promise<void>;
  /** Many at once (the reconciler after a Redis loss); ids already queued are left as they are. */
  dispatchMany?(items: ReadonlyArray<{ id: string; dueAt: Date }>): Promise<void>;
}

const REDISPATCH_PAGE = 1000;

/** What deciding a delivery reads: the notification, its person, their chats and notification consent. */
const RECIPIENT = {
  person: { include: { telegramIdentities: true, consents: { where: { purpose: 'NOTIFICATIONS' as const } } } },
} satisfies Prisma.NotificationInclude;
type NotificationWithRecipient = Prisma.NotificationGetPayload<{ include: typeof RECIPIENT }>;

export interface NotificationRequest {
  personId?: string;
  /** A group chat (the support group) instead of the person's private chat. */
  chatId?: bigint;
  threadId?: number;
  kind: string;
  subjectId?: string;
  dueAt: Date;
  payload?: Record<string, unknown>;
  /** Deadline notices whose value is gone by morning are sent even in quiet hours. */
  ignoreQuietHours?: boolean;
  /** Overrides the default key (person, kind, subject, due date) when a kind repeats otherwise. */
  idempotencyKey?: string;
  /** Notifications of one chain are sent in the order they were scheduled (see `waitsForEarlier`). */
  chain?: string;
  /**
   * An answer to the person's own request (their support ticket): it is not a notice they could mute,
   * so quiet hours, muted kinds and a withdrawn NOTIFICATIONS consent do not hold it back, as they never
   * held back the direct answers it replaces. Blocked or deleted people are still not written to.
   */
  reply?: boolean;
}

/**
 * A sender run about to call Telegram for a notification: it writes its intent on the row first, so a
 * later run can tell a notification perhaps delivered (intent left, no record) from one never tried.
 */
export interface SendClaim {
  id: string;
  /** The run claiming ("<job created at>#<run>", see `sendingBy`). */
  by: string;
  /** The intent this run found on the row (null: none). The claim holds only if it is still that one. */
  replaces: string | null;
}

/** What Telegram answered to a delivery: the chat and message_id of the last message it created. */
export interface SendReceipt {
  id: string;
  chatId: bigint | null;
  messageId: number | null;
}

export type Delivery =
  | { action: 'send'; notification: Notification; chatId: bigint; threadId?: number; language: 'ru' | 'en' }
  | { action: 'wait'; until: Date }
  | { action: 'drop'; reason: 'not-pending' | 'unreachable' | 'muted' | 'no-chat' | 'deleted' };

/**
 * Proactive messages (R-REMIND, R-SEND): a notification is a row with a unique idempotency key, so
 * scheduling the same notice twice creates one row; the queue only carries ids. The database stays the
 * source of truth, and `pendingDue` lets a reconciler re-dispatch what a flushed queue lost.
 */
export class NotificationsService {
  constructor(
    private readonly db: Database,
    private readonly dispatch: OutboundDispatch,
    private readonly clock: Clock,
  ) {}

  static keyOf(request: NotificationRequest): string {
    const target = request.personId ?? `chat:${request.chatId}`;
    return request.idempotencyKey ?? [target, request.kind, request.subjectId ?? '-', request.dueAt.toISOString().slice(0, 10)].join(':');
  }

  /** Creates the notification once and hands it to the queue; a repeat returns the existing row. */
  async schedule(request: NotificationRequest): Promise<{ notification: Notification; created: boolean }> {
    const idempotencyKey = NotificationsService.keyOf(request);
    let notification: Notification;
    let created = true;
    try {
      notification = await this.db.notification.create({ data: NotificationsService.rowsOf([request])[0] });
    } catch (error) {
      if (!(error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')) throw error;
      notification = await this.db.notification.findUniqueOrThrow({ where: { idempotencyKey } });
      created = false;
    }
    if (created) await this.dispatch.dispatch(notification.id, notification.dueAt);
    return { notification, created };
  }

  /**
   * Several notifications that exist together or not at all (the parts of one long relayed message):
   * one statement writes them, in order (a chain sends them by `sequence`), repeats of their keys
   * skipped; then they are queued. `created` counts the rows this call wrote.
   */
  async scheduleAll(requests: readonly NotificationRequest[]): Promise<{ created: number }> {
    if (requests.length === 0) return { created: 0 };
    const { count } = await this.db.notification.createMany({ data: NotificationsService.rowsOf(requests), skipDuplicates: true });
    await this.dispatchKeys(requests.map((request) => NotificationsService.keyOf(request)));
    return { created: count };
  }

  /**
   * Notifications that exist exactly when the change they announce does: written in the caller's
   * transaction (a repeat of an idempotency key is skipped), queued with `dispatchKeys` after it commits.
   * A crash between the two loses nothing: the reconciler queues due rows the queue never saw.
   */
  static async writeInTransaction(tx: Executor, requests: readonly NotificationRequest[]): Promise<string[]> {
    if (requests.length === 0) return [];
    await tx.notification.createMany({ data: NotificationsService.rowsOf(requests), skipDuplicates: true });
    return requests.map((request) => NotificationsService.keyOf(request));
  }

  /** Queues the pending notifications with these idempotency keys (after `writeInTransaction` committed). */
  async dispatchKeys(keys: readonly string[]): Promise<void> {
    if (keys.length === 0) return;
    const rows = await this.db.notification.findMany({
      where: { idempotencyKey: { in: [...keys] }, state: 'PENDING' },
      select: { id: true, dueAt: true },
    });
    if (this.dispatch.dispatchMany) await this.dispatch.dispatchMany(rows);
    else for (const row of rows) await this.dispatch.dispatch(row.id, row.dueAt);
  }

  /**
   * Rows for many notifications at once (an announcement to a whole organization), for the caller to write
   * with `createMany` inside its own transaction; `dispatchSubject` hands them to the queue after it commits.
   */
  static rowsOf(requests: readonly NotificationRequest[]): Prisma.NotificationCreateManyInput[] {
    return requests.map((request) => ({
      idempotencyKey: NotificationsService.keyOf(request),
      personId: request.personId,
      chatId: request.chatId,
      threadId: request.threadId,
      kind: request.kind,
      subjectId: request.subjectId,
      dueAt: request.dueAt,
      chain: request.chain,
      payload: cleanJson({
        ...(request.payload ?? {}),
        ignoreQuietHours: request.ignoreQuietHours ?? false,
        ...(request.reply ? { reply: true } : {}),
      }) as Prisma.InputJsonObject,
    }));
  }

  /**
   * Hands every pending notification of one subject (e.g. one announcement) to the queue, a page per
   * round trip. Jobs already queued are not duplicated (the job id is the notification id); a crash
   * before this runs is repaired by the reconciler, which re-dispatches every due pending row.
   */
  async dispatchSubject(kind: string, subjectId: string): Promise<number> {
    let total = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.db.notification.findMany({
        where: { kind, subjectId, state: 'PENDING', ...(after ? { id: { gt: after } } : {}) },
        select: { id: true, dueAt: true },
        orderBy: { id: 'asc' },
        take: REDISPATCH_PAGE,
      });
      if (page.length === 0) return total;
      if (this.dispatch.dispatchMany) await this.dispatch.dispatchMany(page);
      else for (const n of page) await this.dispatch.dispatch(n.id, n.dueAt);
      total += page.length;
      after = page[page.length - 1].id;
    }
  }

  /** Decides, at send time, whether a notification goes now, waits (quiet hours) or is dropped. */
  async prepareDelivery(notificationId: string): Promise<Delivery> {
    return (await this.prepareDeliveries([notificationId]))[0];
  }

  /**
   * `prepareDelivery` for several notifications, in the order given, with one read for all of them:
   * the sender of a fan-out asks for the jobs it is running together instead of one round trip each.
   */
  async prepareDeliveries(notificationIds: readonly string[]): Promise<Delivery[]> {
    const rows = await this.db.notification.findMany({
      where: { id: { in: [...new Set(notificationIds)] } },
      include: RECIPIENT,
    });
    const byId = new Map(rows.map((row) => [row.id, row]));
    return Promise.all(notificationIds.map((id) => this.decideDelivery(byId.get(id))));
  }

  private async decideDelivery(notification: NotificationWithRecipient | undefined): Promise<Delivery> {
    if (!notification || notification.state !== 'PENDING') return { action: 'drop', reason: 'not-pending' };
    const now = this.clock.now();
    if (notification.dueAt > now) return { action: 'wait', until: notification.dueAt };

    const { person } = notification;
    if (!person) {
      if (notification.chatId === null) return this.drop(notification, 'no-chat');
      return { action: 'send', notification, chatId: notification.chatId, threadId: notification.threadId ?? undefined, language: 'ru' };
    }
    if (person.deletedAt) return this.drop(notification, 'deleted');
    if (person.unreachableSince) return this.drop(notification, 'unreachable');
    const payload = notification.payload as { ignoreQuietHours?: boolean; reply?: boolean };
    if (!payload.reply && person.mutedKinds.includes(notification.kind)) return this.drop(notification, 'muted');
    // A withdrawn NOTIFICATIONS consent (152-ФЗ) stops every proactive message, including kinds added later.
    if (!payload.reply && notificationsWithdrawn(person.consents)) return this.drop(notification, 'muted');
    const identity = person.telegramIdentities[0];
    if (!identity) return this.drop(notification, 'no-chat');

    if (!payload.ignoreQuietHours && !payload.reply) {
      const allowed = nextAllowedInstant(now, { start: person.quietHoursStart, end: person.quietHoursEnd, timeZone: person.timeZone });
      if (allowed > now) return { action: 'wait', until: allowed };
    }
    return { action: 'send', notification, chatId: identity.chatId, language: person.language };
  }

  /**
   * True while an earlier notification of the same chain is still pending: the sender then holds this
   * one back. Per-chat and per-group delays would otherwise let a later message of a ticket overtake an
   * earlier one (both moved to the same instant); a failed or cancelled predecessor no longer holds anyone.
   */
  async waitsForEarlier(notification: Pick<Notification, 'id' | 'chain' | 'sequence'>): Promise<boolean> {
    if (!notification.chain) return false;
    const earlier = await this.db.notification.findFirst({
      where: { chain: notification.chain, state: 'PENDING', sequence: { lt: notification.sequence } },
      select: { id: true },
    });
    return earlier !== null;
  }

  /**
   * Writes each run's intent ("being sent since now, attempt N") before it calls Telegram, in one
   * statement for the batch. True where the claim holds: the row is still PENDING and carries the
   * intent the run saw. Replacing an earlier run's intent is a send whose predecessor may have
   * delivered already; the row counts it in `uncertainResends`.
   */
  async claimSends(claims: readonly SendClaim[]): Promise<boolean[]> {
    if (claims.length === 0) return [];
    const claimed = await this.db.$queryRaw<Array<{ id: string }>>`
      UPDATE "Notification" AS n
      SET "sendingSince" = ${this.clock.now()},
          "sendingBy" = c.by,
          "attempts" = n."attempts" + 1,
          "uncertainResends" = n."uncertainResends" + (c.replaces IS NOT NULL)::int
      FROM unnest(${claims.map((c) => c.id)}::uuid[], ${claims.map((c) => c.by)}::text[], ${claims.map((c) => c.replaces)}::text[])
        AS c(id, by, replaces)
      WHERE n.id = c.id AND n.state = 'PENDING' AND n."sendingBy" IS NOT DISTINCT FROM c.replaces
      RETURNING n.id`;
    const ids = new Set(claimed.map((row) => row.id));
    return claims.map((c) => ids.has(c.id));
  }

  /** A run that claimed and then did not call Telegram after all (the queue paused meanwhile) takes its intent back. */
  async releaseClaim(claim: Pick<SendClaim, 'id' | 'by'>): Promise<void> {
    await this.db.notification.updateMany({
      where: { id: claim.id, state: 'PENDING', sendingBy: claim.by },
      data: { sendingBy: null, sendingSince: null, attempts: { decrement: 1 } },
    });
  }

  /** Records a notification as sent (`recordSent` with no receipt: where it landed is not known). */
  async markSent(notificationId: string): Promise<void> {
    await this.recordSent([{ id: notificationId, chatId: null, messageId: null }]);
  }

  /** Marks the notifications SENT with where each landed, in one statement; rows no longer PENDING stay as they are. */
  async recordSent(receipts: readonly SendReceipt[]): Promise<void> {
    if (receipts.length === 0) return;
    await this.db.$executeRaw`
      UPDATE "Notification" AS n
      SET "state" = 'SENT', "sentAt" = ${this.clock.now()}, "telegramChatId" = r.chat, "telegramMessageId" = r.message
      FROM unnest(${receipts.map((r) => r.id)}::uuid[], ${receipts.map((r) => r.chatId)}::bigint[], ${receipts.map((r) => r.messageId)}::int[])
        AS r(id, chat, message)
      WHERE n.id = r.id AND n.state = 'PENDING'`;
  }

  /**
   * Records a failed attempt. `final` ends the notification FAILED; otherwise it stays PENDING for the
   * next attempt. The intent is cleared, since Telegram's answer says nothing was delivered, unless
   * `outcomeUnknown` (the connection broke after the request left): then the next run treats it as
   * perhaps delivered.
   */
  async markAttemptFailed(notificationId: string, error: string, final: boolean, outcomeUnknown = false): Promise<void> {
    await this.db.notification.updateMany({
      where: { id: notificationId, state: 'PENDING' },
      data: {
        lastError: error.slice(0, 1000),
        ...(final ? { state: 'FAILED' } : {}),
        ...(outcomeUnknown ? {} : { sendingSince: null, sendingBy: null }),
      },
    });
  }

  /** Nothing left to send (e.g. a review case decided since its post was queued): not a failure. */
  async cancel(notificationId: string, reason: string): Promise<void> {
    await this.db.notification.updateMany({
      where: { id: notificationId, state: 'PENDING' },
      data: { state: 'CANCELLED', lastError: reason.slice(0, 1000) },
    });
  }

  /** Telegram answered 403: the person blocked the bot. Stop everything still pending for them. */
  async markUnreachable(notificationId: string, error: string): Promise<void> {
    const now = this.clock.now();
    await this.db.$transaction(async (tx) => {
      const notification = await tx.notification.update({
        where: { id: notificationId },
        data: { state: 'FAILED', lastError: error.slice(0, 1000) },
      });
      if (!notification.personId) return;
      await tx.person.update({ where: { id: notification.personId }, data: { unreachableSince: now } });
      await tx.notification.updateMany({
        where: { personId: notification.personId, state: 'PENDING' },
        data: { state: 'CANCELLED', lastError: 'person unreachable' },
      });
    });
  }

  /** A person who writes to the bot again can be reached again. */
  async markReachable(personId: string): Promise<void> {
    await this.db.person.updateMany({ where: { id: personId, unreachableSince: { not: null } }, data: { unreachableSince: null } });
  }

  /** Notifications by state (every state named, zero included), for /metrics. */
  async countsByState(): Promise<Record<Notification['state'], number>> {
    const groups = await this.db.notification.groupBy({ by: ['state'], _count: { _all: true } });
    const counts: Record<Notification['state'], number> = { PENDING: 0, SENT: 0, FAILED: 0, CANCELLED: 0 };
    for (const group of groups) counts[group.state] = group._count._all;
    return counts;
  }

  /** Pending notifications: waiting to be handed to Telegram, and being sent (an intent written, no record yet). */
  async unsentCounts(): Promise<{ waiting: number; sending: number }> {
    const [waiting, sending] = await Promise.all([
      this.db.notification.count({ where: { state: 'PENDING', sendingBy: null } }),
      this.db.notification.count({ where: { state: 'PENDING', sendingBy: { not: null } } }),
    ]);
    return { waiting, sending };
  }

  /** Pending notifications already due, a page at a time by id (`after` = last id of the previous page). */
  async pendingDue(limit = REDISPATCH_PAGE, after?: string): Promise<Array<Pick<Notification, 'id' | 'dueAt'>>> {
    return this.db.notification.findMany({
      where: { state: 'PENDING', dueAt: { lte: this.clock.now() }, ...(after ? { id: { gt: after } } : {}) },
      select: { id: true, dueAt: true },
      orderBy: { id: 'asc' },
      take: limit,
    });
  }

  /**
   * The reconciler: hands every due, pending notification to the queue again. Jobs still queued are not
   * duplicated (the job id is the notification id); after a Redis flush they are all added anew.
   */
  async redispatchDue(): Promise<number> {
    let total = 0;
    let after: string | undefined;
    for (;;) {
      const page = await this.pendingDue(REDISPATCH_PAGE, after);
      if (page.length === 0) return total;
      if (this.dispatch.dispatchMany) await this.dispatch.dispatchMany(page);
      else for (const n of page) await this.dispatch.dispatch(n.id, n.dueAt);
      total += page.length;
      after = page[page.length - 1].id;
    }
  }

  private async drop(notification: Notification, reason: 'unreachable' | 'muted' | 'no-chat' | 'deleted'): Promise<Delivery> {
    await this.db.notification.updateMany({
      where: { id: notification.id, state: 'PENDING' },
      data: { state: 'CANCELLED', lastError: reason },
    });
    return { action: 'drop', reason };
  }
}

/**
 * A payload carries people's words (a relayed message, an agent's comment, a file name): a U+0000 in
 * any string would make PostgreSQL refuse the jsonb (22P05) and lose the message. Control characters
 * become U+FFFD, one for one, so the formatting offsets of a relayed text still fit it.
 */
function cleanJson(value: unknown): unknown {
  if (typeof value === 'string') return replaceControlCharacters(value);
  if (Array.isArray(value)) return value.map(cleanJson);
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, cleanJson(inner)]));
  }
  return value;
}
