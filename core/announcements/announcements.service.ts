import type { Announcement, StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { NotificationsService } from '../notifications/notifications.service';
import type { ImportActor } from '../organizations/import-report';
import { notificationsWithdrawn } from '../privacy/consents';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { stripControlCharacters } from '../shared/text';

/** The notification kind of an announcement; its subjectId is the announcement's id. */
export const ANNOUNCEMENT_KIND = 'announcement';

/** Telegram's limit on a message's text. */
const TELEGRAM_TEXT_LIMIT = 4096;
/** Room kept for the header the worker puts above the text (an emoji and a word or two of locales/). */
const HEADER_RESERVE = 32;

/** The longest text an organization may announce: the message must fit with its header (the organization's name). */
export function announcementTextLimit(organizationName: string): number {
  return TELEGRAM_TEXT_LIMIT - HEADER_RESERVE - organizationName.length;
}

export interface AnnouncementDraft {
  /** null or absent: everybody in the organization. */
  category?: StaffCategory | null;
  text: string;
}

export type SendOutcome =
  | { ok: true; announcement: Announcement }
  | { ok: false; reason: 'text-empty' | 'no-recipients' }
  | { ok: false; reason: 'text-too-long'; limit: number };

/**
 * Where the messages of one announcement stand. delivered: sent. blocked: Telegram answered 403 (the
 * person blocked the bot) now or earlier (already unreachable, so not tried). failed: Telegram refused
 * for another reason, or retries ran out. skipped: not sent because, by send time, the person had muted
 * announcements, withdrawn the notifications consent, or been erased. pending: still queued (quiet hours).
 */
export interface AnnouncementCounts {
  recipients: number;
  delivered: number;
  blocked: number;
  failed: number;
  skipped: number;
  pending: number;
}

export interface AnnouncementSummary extends AnnouncementCounts {
  id: string;
  category: StaffCategory | null;
  text: string;
  createdAt: Date;
}

/** Cancellation reasons `NotificationsService` writes for a person who blocked the bot. */
const UNREACHABLE_REASONS = ['unreachable', 'person unreachable'];

/**
 * Announcements of an organization to its staff (R-ORG): one category or everybody. Each recipient gets
 * a Notification row (kind 'announcement', subject = the announcement), so the outbound worker delivers
 * them under the same rules as reminders (quiet hours, the per-chat and global rate limits, 403 handling),
 * and the rows' states are the delivery report.
 *
 * Recipients: linked, not erased people of the organization (of the category) with a private chat.
 * People who withdrew the NOTIFICATIONS consent are left out: 152-ФЗ consent covers every proactive
 * message, and an organization's notice is one (the worker would drop them anyway; leaving them out keeps
 * the count honest). People who blocked the bot stay in: they are what the «blocked» count reports.
 */
export class AnnouncementsService {
  constructor(
    private readonly db: Database,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async send(organizationId: string, draft: AnnouncementDraft, actor: ImportActor): Promise<SendOutcome> {
    const text = stripControlCharacters(draft.text).trim();
    if (!text) return { ok: false, reason: 'text-empty' };
    const organization = await this.db.organization.findUniqueOrThrow({ where: { id: organizationId } });
    const limit = announcementTextLimit(organization.name);
    if (text.length > limit) return { ok: false, reason: 'text-too-long', limit };
    const category = draft.category ?? null;

    const people = await this.recipients(organizationId, category);
    if (people.length === 0) return { ok: false, reason: 'no-recipients' };

    const now = this.clock.now();
    const announcement = await this.db.$transaction(
      async (tx) => {
        const created = await tx.announcement.create({
          data: {
            organizationId,
            category,
            text,
            authorType: actor.type,
            authorId: actor.id ?? null,
            recipients: people.length,
            createdAt: now,
          },
        });
        const requests = people.map((personId) => ({
          personId,
          kind: ANNOUNCEMENT_KIND,
          subjectId: created.id,
          dueAt: now,
          idempotencyKey: `${ANNOUNCEMENT_KIND}:${created.id}:${personId}`,
          payload: { organizationName: organization.name, text },
        }));
        for (let i = 0; i < requests.length; i += 5000)
          await tx.notification.createMany({ data: NotificationsService.rowsOf(requests.slice(i, i + 5000)) });
        await recordAudit(tx, {
          actorType: actor.type,
          actorId: actor.id,
          action: 'announcement.sent',
          subjectType: 'announcement',
          subjectId: created.id,
          after: { organizationId, category, recipients: people.length, text },
        });
        return created;
      },
      { timeout: 60_000 },
    );
    await this.notifications.dispatchSubject(ANNOUNCEMENT_KIND, announcement.id);
    return { ok: true, announcement };
  }

  /** How many would receive an announcement now (the preview's «N people»). */
  async audienceSize(organizationId: string, category: StaffCategory | null): Promise<number> {
    return (await this.recipients(organizationId, category)).length;
  }

  /** Null for an announcement of another organization: an admin never learns of another's messages. */
  async counts(organizationId: string, announcementId: string): Promise<AnnouncementSummary | null> {
    if (!/^[0-9a-f-]{36}$/i.test(announcementId)) return null;
    const announcement = await this.db.announcement.findUnique({ where: { id: announcementId } });
    if (!announcement || announcement.organizationId !== organizationId) return null;
    return (await this.summaries([announcement]))[0];
  }

  /** The organization's latest announcements, newest first, with their counts. */
  async recent(organizationId: string, take = 5): Promise<AnnouncementSummary[]> {
    const announcements = await this.db.announcement.findMany({ where: { organizationId }, orderBy: { createdAt: 'desc' }, take });
    return this.summaries(announcements);
  }

  private async summaries(announcements: Announcement[]): Promise<AnnouncementSummary[]> {
    if (announcements.length === 0) return [];
    const ids = announcements.map((a) => a.id);
    const groups = await this.db.notification.groupBy({
      by: ['subjectId', 'state', 'lastError'],
      where: { kind: ANNOUNCEMENT_KIND, subjectId: { in: ids } },
      _count: { _all: true },
    });
    return announcements.map((a) => {
      const counts: AnnouncementCounts = { recipients: a.recipients, delivered: 0, blocked: 0, failed: 0, skipped: 0, pending: 0 };
      for (const g of groups) {
        if (g.subjectId !== a.id) continue;
        counts[bucketOf(g.state, g.lastError)] += g._count._all;
      }
      return { id: a.id, category: a.category, text: a.text, createdAt: a.createdAt, ...counts };
    });
  }

  private async recipients(organizationId: string, category: StaffCategory | null): Promise<string[]> {
    const people = await this.db.person.findMany({
      where: {
        organizationId,
        onboardingStep: 'LINKED',
        deletedAt: null,
        ...(category ? { category } : {}),
        telegramIdentities: { some: {} },
      },
      select: { id: true, consents: { where: { purpose: 'NOTIFICATIONS' } } },
      orderBy: { id: 'asc' },
    });
    return people.filter((p) => !notificationsWithdrawn(p.consents)).map((p) => p.id);
  }
}

/**
 * Which count a notification's state belongs to. Telegram's 403 descriptions all begin «Forbidden:»
 * (blocked by the user, user deactivated, cannot initiate conversation), which is what
 * `markUnreachable` records; a person already unreachable is cancelled with 'unreachable'.
 */
function bucketOf(state: string, lastError: string | null): Exclude<keyof AnnouncementCounts, 'recipients'> {
  switch (state) {
    case 'SENT':
      return 'delivered';
    case 'PENDING':
      return 'pending';
    case 'FAILED':
      return lastError?.startsWith('Forbidden') ? 'blocked' : 'failed';
    default:
      return lastError !== null && UNREACHABLE_REASONS.includes(lastError) ? 'blocked' : 'skipped';
  }
}
