import type { CaseActor } from '../applications/actor';
import { recordAudit } from '../audit/audit-journal';
import { type WorkingDayDeadline, workingDayDeadline } from '../calendar/deadline';
import type { ProductionCalendar } from '../calendar/production-calendar';
import type { SettledDeadlines } from '../calendar/calendar-years.service';
import type { WorkingDayDeadlines } from '../calendar/working-day-deadlines';
import { NotificationsService, type NotificationRequest } from '../notifications/notifications.service';
import type { Clock } from '../shared/clock';
import type { Database, Transaction } from '../shared/database';
import { APPEAL_REVIEW_WORKING_DAYS, APPEAL_WINDOW_WORKING_DAYS, DISPUTE_REVIEW_WORKING_DAYS } from './dispute-subject';

/** The person's notice that a date they were given moved once its year's calendar was loaded. */
export const DEADLINE_MOVED_KIND = 'deadline.moved';

/** Which stored date: a dispute's review, an appeal's review, or until when a rejection may be appealed. */
export type SettledDeadline = 'dispute-due' | 'appeal-due' | 'appeal-window';

const OPEN = ['SUBMITTED', 'UNDER_REVIEW'] as const;
const isOpen = (status: string) => (OPEN as readonly string[]).includes(status);

interface Settled {
  moved: boolean;
  told: string[];
  /** A year still missing in the recomputed period, to be raised like any other. */
  fallbackYear: number | null;
}

/**
 * Dates counted over a year that had no production calendar are provisional (stored with that year).
 * Once the year is loaded, each one is counted again on the real calendar: journaled before/after, and
 * the person told when their date moved and still matters to them. An appeal window already running is
 * never shortened by this: the later of the two ends is kept, since the person was promised the first.
 * Idempotent and driven by the data alone, so it runs after every load and again nightly (a year loaded
 * by the CLI reaches other processes' caches up to 10 minutes late, and a date counted then is caught).
 */
export class ProvisionalDeadlines {
  constructor(
    private readonly db: Database,
    private readonly deadlines: WorkingDayDeadlines,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async settle(actor: CaseActor): Promise<SettledDeadlines> {
    const calendar = await this.deadlines.calendar();
    const loaded = (year: number | null) => year !== null && calendar.hasYear(year);
    const provisional = { not: null };
    const [disputes, appeals, windows] = await Promise.all([
      this.db.dispute.findMany({ where: { dueFallbackYear: provisional }, select: { id: true, dueFallbackYear: true } }),
      this.db.appeal.findMany({ where: { dueFallbackYear: provisional }, select: { id: true, dueFallbackYear: true } }),
      this.db.dispute.findMany({ where: { appealWindowFallbackYear: provisional }, select: { id: true, appealWindowFallbackYear: true } }),
    ]);
    const runs: Array<() => Promise<Settled | null>> = [
      ...disputes.filter((d) => loaded(d.dueFallbackYear)).map((d) => () => this.settleDisputeDue(d.id, calendar, actor)),
      ...appeals.filter((a) => loaded(a.dueFallbackYear)).map((a) => () => this.settleAppealDue(a.id, calendar, actor)),
      ...windows.filter((w) => loaded(w.appealWindowFallbackYear)).map((w) => () => this.settleAppealWindow(w.id, calendar, actor)),
    ];
    const summary: SettledDeadlines = { recomputed: 0, moved: 0, told: 0 };
    const stillMissing = new Set<number>();
    // One transaction per date: a failure leaves the others settled, and a rerun finishes the rest.
    for (const run of runs) {
      const settled = await run();
      if (!settled) continue;
      summary.recomputed += 1;
      if (settled.moved) summary.moved += 1;
      summary.told += settled.told.length;
      if (settled.fallbackYear !== null) stillMissing.add(settled.fallbackYear);
      await this.notifications.dispatchKeys(settled.told);
    }
    for (const year of stillMissing) await this.deadlines.raiseMissingYear(year);
    return summary;
  }

  private async settleDisputeDue(id: string, calendar: ProductionCalendar, actor: CaseActor): Promise<Settled | null> {
    return this.db.$transaction(async (tx) => {
      const before = await lockedDispute(tx, id);
      if (!before || before.dueFallbackYear === null || !calendar.hasYear(before.dueFallbackYear)) return null;
      const due = workingDayDeadline(calendar, before.filedAt, DISPUTE_REVIEW_WORKING_DAYS);
      await tx.dispute.update({ where: { id }, data: { dueAt: due.dueAt, dueFallbackYear: due.fallbackYear } });
      return this.record(tx, actor, {
        deadline: 'dispute-due',
        subjectType: 'dispute',
        subjectId: id,
        personId: before.personId,
        disputeId: id,
        before: { at: before.dueAt, fallbackYear: before.dueFallbackYear },
        after: due,
        computed: due,
        tell: isOpen(before.status),
      });
    });
  }

  private async settleAppealDue(id: string, calendar: ProductionCalendar, actor: CaseActor): Promise<Settled | null> {
    return this.db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Appeal" WHERE id = ${id}::uuid FOR UPDATE`;
      if (locked.length === 0) return null;
      const before = await tx.appeal.findUniqueOrThrow({ where: { id } });
      if (before.dueFallbackYear === null || !calendar.hasYear(before.dueFallbackYear)) return null;
      const due = workingDayDeadline(calendar, before.filedAt, APPEAL_REVIEW_WORKING_DAYS);
      await tx.appeal.update({ where: { id }, data: { dueAt: due.dueAt, dueFallbackYear: due.fallbackYear } });
      return this.record(tx, actor, {
        deadline: 'appeal-due',
        subjectType: 'appeal',
        subjectId: id,
        personId: before.personId,
        disputeId: before.disputeId,
        before: { at: before.dueAt, fallbackYear: before.dueFallbackYear },
        after: due,
        computed: due,
        tell: isOpen(before.status),
      });
    });
  }

  /** Never earlier than the stored end: a window the person was told of may grow, not shrink. */
  private async settleAppealWindow(id: string, calendar: ProductionCalendar, actor: CaseActor): Promise<Settled | null> {
    return this.db.$transaction(async (tx) => {
      const before = await lockedDispute(tx, id);
      if (!before || before.appealWindowFallbackYear === null || !calendar.hasYear(before.appealWindowFallbackYear)) return null;
      if (!before.decidedAt || !before.appealWindowEndsAt) return null;
      const computed = workingDayDeadline(calendar, before.decidedAt, APPEAL_WINDOW_WORKING_DAYS);
      const kept = computed.dueAt > before.appealWindowEndsAt ? computed.dueAt : before.appealWindowEndsAt;
      const after = { dueAt: kept, fallbackYear: computed.fallbackYear };
      await tx.dispute.update({ where: { id }, data: { appealWindowEndsAt: after.dueAt, appealWindowFallbackYear: after.fallbackYear } });
      const appealed = (await tx.appeal.count({ where: { disputeId: id } })) > 0;
      return this.record(tx, actor, {
        deadline: 'appeal-window',
        subjectType: 'dispute',
        subjectId: id,
        personId: before.personId,
        disputeId: id,
        before: { at: before.appealWindowEndsAt, fallbackYear: before.appealWindowFallbackYear },
        after,
        computed,
        // Told only while it can still be used: not appealed yet, and not already over.
        tell: before.status === 'REJECTED' && !appealed && after.dueAt.getTime() >= this.clock.now().getTime(),
      });
    });
  }

  /** The journal entry of one recomputed date and, when it moved and matters to the person, their notice. */
  private async record(
    tx: Transaction,
    actor: CaseActor,
    change: {
      deadline: SettledDeadline;
      subjectType: 'dispute' | 'appeal';
      subjectId: string;
      personId: string;
      disputeId: string;
      before: { at: Date; fallbackYear: number };
      after: WorkingDayDeadline;
      computed: WorkingDayDeadline;
      tell: boolean;
    },
  ): Promise<Settled> {
    const moved = change.after.dueAt.getTime() !== change.before.at.getTime();
    await recordAudit(tx, {
      actorType: actor.type,
      actorId: actor.id ?? null,
      action: 'deadline.recomputed',
      subjectType: change.subjectType,
      subjectId: change.subjectId,
      before: { deadline: change.deadline, at: change.before.at, fallbackYear: change.before.fallbackYear },
      after: {
        deadline: change.deadline,
        at: change.after.dueAt,
        fallbackYear: change.after.fallbackYear,
        // Differs from `at` only for an appeal window kept at its longer, promised end.
        computedAt: change.computed.dueAt,
        calendarYear: change.before.fallbackYear,
      },
    });
    const told: string[] = [];
    if (moved && change.tell) {
      const notice: NotificationRequest = {
        personId: change.personId,
        kind: DEADLINE_MOVED_KIND,
        subjectId: change.subjectId,
        dueAt: this.clock.now(),
        payload: {
          deadline: change.deadline,
          disputeId: change.disputeId,
          before: change.before.at.toISOString(),
          after: change.after.dueAt.toISOString(),
          fallbackYear: change.after.fallbackYear,
          calendarYear: change.before.fallbackYear,
        },
        idempotencyKey: `${change.personId}:${DEADLINE_MOVED_KIND}:${change.deadline}:${change.subjectId}:${change.after.dueAt.toISOString()}`,
      };
      told.push(...(await NotificationsService.writeInTransaction(tx, [notice])));
    }
    return { moved, told, fallbackYear: change.after.fallbackYear };
  }
}

async function lockedDispute(tx: Transaction, id: string) {
  const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Dispute" WHERE id = ${id}::uuid FOR UPDATE`;
  if (locked.length === 0) return null;
  return tx.dispute.findUniqueOrThrow({ where: { id } });
}
