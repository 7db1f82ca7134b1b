import type { CalendarSource } from '../calendar/calendar-source';
import { APPEAL_WINDOW_WORKING_DAYS } from '../disputes/dispute-subject';
import { moscowDateOf, workingDayDeadline } from '../calendar/deadline';
import type { NotificationsService } from '../notifications/notifications.service';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { identityMilestone, isNoticeDue, workingDayBefore } from './milestones';
import { REMINDER_KIND, REVIEW_TOPIC_CHAIN } from './reminder-kinds';

export interface RemindersOptions {
  /** The support group where reviewers read the due list (in its review topic); without it the list is not sent. */
  supportChatId?: bigint;
}

/** What one daily pass scheduled: new notices only (repeats are counted as 0). */
export interface ReminderRunSummary {
  appealWindowClosing: number;
  reviewDue: number;
  identityExpiring: number;
}

/** A rejected dispute decided this long ago or more cannot still be inside its 5-working-day window. */
const APPEAL_LOOKBACK_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const PAGE = 500;

export interface ReviewDueItem {
  type: 'dispute' | 'appeal';
  id: string;
  dueAt: string;
  /** The year counted without a production calendar: the due date is provisional. */
  fallbackYear: number | null;
}

/**
 * Deadline reminders (R-REMIND) computed from the data each morning: every notice has an idempotency key
 * of target, kind, subject and milestone, so a pass that runs twice (or on two replicas) sends each once.
 */
export class RemindersService {
  constructor(
    private readonly db: Database,
    private readonly calendars: CalendarSource,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly options: RemindersOptions = {},
  ) {}

  async runDaily(): Promise<ReminderRunSummary> {
    return {
      appealWindowClosing: await this.appealWindowClosing(),
      reviewDue: await this.reviewDue(),
      identityExpiring: await this.identityExpiring(),
    };
  }

  /** Rejected, unappealed disputes whose appeal window ends on the next working day. */
  async appealWindowClosing(): Promise<number> {
    const now = this.clock.now();
    const calendar = await this.calendars.current();
    const disputes = await this.db.dispute.findMany({
      where: { status: 'REJECTED', appeal: null, decidedAt: { gte: new Date(now.getTime() - APPEAL_LOOKBACK_DAYS * DAY_MS) } },
      select: { id: true, personId: true, decidedAt: true, appealWindowEndsAt: true, appealWindowFallbackYear: true },
    });
    let created = 0;
    for (const dispute of disputes) {
      // The end stored at the rejection is the one the person was told (and a loaded year may only extend).
      const window = dispute.appealWindowEndsAt
        ? { dueAt: dispute.appealWindowEndsAt, fallbackYear: dispute.appealWindowFallbackYear }
        : workingDayDeadline(calendar, dispute.decidedAt!, APPEAL_WINDOW_WORKING_DAYS);
      const until = window.dueAt;
      if (!isNoticeDue(calendar, now, until)) continue;
      const result = await this.notifications.schedule({
        personId: dispute.personId,
        kind: REMINDER_KIND.appealWindowClosing,
        subjectId: dispute.id,
        dueAt: now,
        payload: { disputeId: dispute.id, until: until.toISOString(), fallbackYear: window.fallbackYear },
        // The window closes by tomorrow night: a notice held back by quiet hours may come too late.
        ignoreQuietHours: true,
        idempotencyKey: `${dispute.personId}:${REMINDER_KIND.appealWindowClosing}:${dispute.id}:1wd`,
      });
      if (result.created) created += 1;
    }
    return created;
  }

  /**
   * One list a working day for reviewers: open disputes and appeals due by the end of the next working day.
   * It joins the review topic's chain with no thread: the outbound worker posts it into the review topic
   * as it is when sent, creating the topic if it is missing or was deleted since (review-topic.ts).
   */
  async reviewDue(): Promise<number> {
    const chatId = this.options.supportChatId;
    if (chatId === undefined) return 0;
    const now = this.clock.now();
    const calendar = await this.calendars.current();
    const today = moscowDateOf(now);
    if (!calendar.isWorkingDay(today)) return 0;
    const horizon = new Date(`${calendar.nextWorkingDay(today)}T23:59:59.999+03:00`);
    const open = { in: ['SUBMITTED', 'UNDER_REVIEW'] as Array<'SUBMITTED' | 'UNDER_REVIEW'> };
    const [disputes, appeals] = await Promise.all([
      this.db.dispute.findMany({
        where: { status: open, dueAt: { gte: now, lte: horizon } },
        select: { id: true, dueAt: true, dueFallbackYear: true },
        orderBy: { dueAt: 'asc' },
        take: PAGE,
      }),
      this.db.appeal.findMany({
        where: { status: open, dueAt: { gte: now, lte: horizon } },
        select: { id: true, dueAt: true, dueFallbackYear: true },
        orderBy: { dueAt: 'asc' },
        take: PAGE,
      }),
    ]);
    // Only cases whose notice day is today: each case is listed once, on the working day before its due date.
    const items: ReviewDueItem[] = [
      ...disputes
        .filter((c) => workingDayBefore(calendar, c.dueAt) === today)
        .map((c) => ({ type: 'dispute' as const, id: c.id, dueAt: c.dueAt.toISOString(), fallbackYear: c.dueFallbackYear })),
      ...appeals
        .filter((c) => workingDayBefore(calendar, c.dueAt) === today)
        .map((c) => ({ type: 'appeal' as const, id: c.id, dueAt: c.dueAt.toISOString(), fallbackYear: c.dueFallbackYear })),
    ];
    if (items.length === 0) return 0;
    const result = await this.notifications.schedule({
      chatId,
      kind: REMINDER_KIND.reviewDue,
      chain: REVIEW_TOPIC_CHAIN,
      subjectId: today,
      dueAt: now,
      payload: { items, disputes: disputes.length, appeals: appeals.length, date: today },
      idempotencyKey: `chat:${chatId}:${REMINDER_KIND.reviewDue}:${today}`,
    });
    return result.created ? 1 : 0;
  }

  /** The latest successful confirmation of each person, 30 and 7 days before it expires. */
  async identityExpiring(): Promise<number> {
    const now = this.clock.now();
    const expiring = await this.db.identityConfirmation.findMany({
      where: { status: 'SUCCESS', expiresAt: { gt: now, lte: new Date(now.getTime() + 31 * DAY_MS) }, person: { deletedAt: null } },
      select: { id: true, personId: true, expiresAt: true, createdAt: true },
    });
    let created = 0;
    for (const confirmation of expiring) {
      // A newer upload (pending or confirmed) means the person is already renewing.
      const newer = await this.db.identityConfirmation.count({
        where: { personId: confirmation.personId, createdAt: { gt: confirmation.createdAt }, status: { in: ['PENDING', 'SUCCESS'] } },
      });
      if (newer > 0) continue;
      const milestone = identityMilestone(now, confirmation.expiresAt!);
      if (milestone === null) continue;
      const result = await this.notifications.schedule({
        personId: confirmation.personId,
        kind: REMINDER_KIND.identityExpiring,
        subjectId: confirmation.id,
        dueAt: now,
        payload: { confirmationId: confirmation.id, expiresAt: confirmation.expiresAt!.toISOString(), milestone },
        idempotencyKey: `${confirmation.personId}:${REMINDER_KIND.identityExpiring}:${confirmation.id}:${milestone}d`,
      });
      if (result.created) created += 1;
    }
    return created;
  }
}
