import type { MessageDirection, Person, SupportTicket } from '../../generated/prisma/client';
import type { CalendarRepository } from '../calendar/calendar.repository';
import type { Clock } from '../shared/clock';
import type { Database, Transaction } from '../shared/database';
import { KeptWhileHeard, type TableChanges } from '../shared/kept-while-heard';
import { supportTicketRows } from './support-ticket-row';
import { type NotificationRequest, NotificationsService } from '../notifications/notifications.service';
import { type Availability, type SupportHours, supportAvailability } from './working-hours';
import { stripControlCharacters } from '../shared/text';

/** What the topic's first message shows an agent about the person (credit status comes from CreditsService). */
export interface TicketContext {
  fullName: string;
  organization: string | null;
  category: Person['category'];
  openApplications: number;
  openDisputes: number;
}

export interface RelayedMessage {
  authorTelegramId: number;
  text?: string;
  mediaKind?: string;
  telegramFileId?: string;
}

export type RateOutcome = { ok: true; ticket: SupportTicket } | { ok: false; reason: 'not-found' | 'not-closed' };

/** How long after a close a person's next free message opens a new ticket (instead of going unanswered). */
export const REOPEN_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The channel PostgreSQL notifies at the commit of every statement on "SupportTicket" (migration 20261205140000). */
export const SUPPORT_TICKETS_CHANGED_CHANNEL = 'nmo_support_tickets_changed';
/** How long a person's latest ticket is served from memory at most (keepWhileHeard), whatever was heard. */
const RELAY_TICKET_TTL_MS = 10 * 60 * 1000;
/** People whose latest ticket (or its absence) is kept at most: a row each, some 1 KB. */
const MAX_KEPT_RELAY_TICKETS = 10_000;

const RELAY_TICKET = `
  SELECT ${supportTicketRows.columns('t')} FROM "SupportTicket" t
   WHERE t."personId" = $1::uuid ORDER BY t.status ASC, t."openedAt" DESC LIMIT 1`;

/**
 * Support tickets (R-SUPPORT): one open ticket per person, mirrored by a forum topic in the support
 * group. Every relayed message is stored with its direction; the first agent answer is timed.
 * Access is by person id: a person only ever reaches their own tickets.
 */
export class SupportService {
  /** Each person's latest ticket, or none, while changes to tickets are heard (keepWhileHeard). */
  private kept?: KeptWhileHeard<{ latest: SupportTicket | null }>;

  constructor(
    private readonly db: Database,
    private readonly calendar: CalendarRepository,
    private readonly clock: Clock,
    private readonly hours: SupportHours,
  ) {}

  openTicketOf(personId: string): Promise<SupportTicket | null> {
    return this.db.supportTicket.findFirst({ where: { personId, status: 'OPEN' }, orderBy: { openedAt: 'desc' } });
  }

  /** The open ticket, or a new one; `created` tells the caller to create the topic and greet. */
  async open(personId: string): Promise<{ ticket: SupportTicket; created: boolean }> {
    const existing = await this.openTicketOf(personId);
    if (existing) return { ticket: existing, created: false };
    const ticket = await this.db.supportTicket.create({ data: { personId, openedAt: this.clock.now() } });
    return { ticket, created: true };
  }

  /**
   * Where a person's free message goes, in one read (every text a linked person sends asks): their open
   * ticket, else their latest ticket when it was closed within REOPEN_WINDOW_MS (to be reopened), else
   * nothing. OPEN sorts before CLOSED (the enum's order), and a person has one open ticket at most.
   * SQL prepared once per connection (see prisma-rows.ts).
   */
  async relayTicketOf(personId: string): Promise<{ open: SupportTicket } | { recentlyClosed: SupportTicket } | null> {
    const latest = await this.latestTicketOf(personId);
    if (!latest) return null;
    if (latest.status === 'OPEN') return { open: latest };
    const since = new Date(this.clock.now().getTime() - REOPEN_WINDOW_MS);
    return latest.closedAt && latest.closedAt >= since ? { recentlyClosed: latest } : null;
  }

  /**
   * From now on a person's latest ticket (or that they have none) is kept in memory between their free
   * messages, all forgotten whenever `changes` (SUPPORT_TICKETS_CHANGED_CHANNEL) hears any statement on
   * "SupportTicket", whoever makes it (a ticket opened here or by another replica, an agent's close, a
   * rating, an erasure), and read afresh while changes are not heard. The bot does this: every text a
   * linked person sends asks where it goes. What this process writes is heard before its write returns
   * (DatabaseChanges.alsoHearOn), so the message after the one that opened a ticket goes to that ticket.
   * Whether a closed ticket is still within REOPEN_WINDOW_MS is decided at each message, not when it was
   * read. The kept ticket is frozen: nobody changes it in memory.
   */
  keepWhileHeard(changes: TableChanges): void {
    this.kept = new KeptWhileHeard<{ latest: SupportTicket | null }>(changes, {
      ttlMs: RELAY_TICKET_TTL_MS,
      max: MAX_KEPT_RELAY_TICKETS,
    });
  }

  /** The person's open ticket, else their latest (RELAY_TICKET's order); null when they never had one. */
  private async latestTicketOf(personId: string): Promise<SupportTicket | null> {
    const read = async () => (await supportTicketRows.read(this.db, 'relay-ticket-of-person', RELAY_TICKET, [personId]))[0] ?? null;
    if (!this.kept) return read();
    // Kept as { latest }, so that having no ticket (most people) is kept too.
    const kept = await this.kept.get(personId, async () => {
      const latest = await read();
      return { latest: latest && Object.freeze(latest) };
    });
    return kept?.latest ?? null;
  }

  byId(ticketId: string): Promise<SupportTicket | null> {
    return this.db.supportTicket.findUnique({ where: { id: ticketId } });
  }

  setTopic(ticketId: string, topicId: number): Promise<SupportTicket> {
    return this.db.supportTicket.update({ where: { id: ticketId }, data: { topicId } });
  }

  /** The open ticket a topic of the support group belongs to. */
  byTopic(topicId: number): Promise<SupportTicket | null> {
    return this.db.supportTicket.findFirst({ where: { topicId, status: 'OPEN' }, orderBy: { openedAt: 'desc' } });
  }

  async context(personId: string): Promise<TicketContext> {
    const person = await this.db.person.findUniqueOrThrow({ where: { id: personId }, include: { organization: true } });
    const [openApplications, openDisputes] = await Promise.all([
      this.db.application.count({ where: { personId, status: { in: ['PROCESSING', 'UNDER_REVIEW', 'ACTION_REQUIRED'] } } }),
      this.db.dispute.count({ where: { personId, status: { in: ['SUBMITTED', 'UNDER_REVIEW'] } } }),
    ]);
    return {
      fullName: person.fullName ?? '—',
      organization: person.organization?.name ?? null,
      category: person.category,
      openApplications,
      openDisputes,
    };
  }

  /** The person behind a ticket and the private chat their answers go to (the stored numeric id, never a forward). */
  async recipient(ticket: SupportTicket): Promise<{ person: Person; chatId: bigint } | null> {
    const person = await this.db.person.findUnique({
      where: { id: ticket.personId },
      include: { telegramIdentities: { orderBy: { createdAt: 'desc' }, take: 1 } },
    });
    const identity = person?.telegramIdentities[0];
    if (!person || person.deletedAt || !identity) return null;
    const { telegramIdentities: _, ...plain } = person;
    return { person: plain, chatId: identity.chatId };
  }

  /**
   * Stores a relayed message or an internal note. Its text is as people typed it, minus the control
   * characters PostgreSQL refuses in text (U+0000: 22021): one of them must not lose the update.
   */
  async record(ticketId: string, direction: MessageDirection, message: RelayedMessage): Promise<void> {
    await this.db.$transaction((tx) => this.writeMessage(tx, ticketId, direction, message));
  }

  /**
   * A relayed message and the notification that carries it, written in one transaction: both or
   * neither (as two steps, a crash between them left a relay the ticket had no record of). False for
   * a repeat: the notification's key exists (the same Telegram message came again). The caller queues
   * the notification once this returns (SupportOutbox.dispatch; the reconciler covers a crash).
   */
  async recordRelayed(
    ticketId: string,
    direction: MessageDirection,
    message: RelayedMessage,
    notices: readonly NotificationRequest[],
  ): Promise<boolean> {
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.notification.createMany({ data: NotificationsService.rowsOf(notices), skipDuplicates: true });
      if (count === 0) return false;
      await this.writeMessage(tx, ticketId, direction, message);
      return true;
    });
  }

  private async writeMessage(tx: Transaction, ticketId: string, direction: MessageDirection, message: RelayedMessage): Promise<void> {
    const now = this.clock.now();
    await tx.supportMessage.create({
      data: {
        ticketId,
        direction,
        authorTelegramId: BigInt(message.authorTelegramId),
        text: message.text === undefined ? undefined : stripControlCharacters(message.text),
        mediaKind: message.mediaKind,
        telegramFileId: message.telegramFileId,
        createdAt: now,
      },
    });
    if (direction === 'TO_PERSON')
      await tx.supportTicket.updateMany({ where: { id: ticketId, firstResponseAt: null }, data: { firstResponseAt: now } });
  }

  /** Closes an open ticket once; null when it was closed already (two agents, or agent and person at once). */
  async close(ticketId: string, closedBy: string): Promise<SupportTicket | null> {
    const { count } = await this.db.supportTicket.updateMany({
      where: { id: ticketId, status: 'OPEN' },
      data: { status: 'CLOSED', closedAt: this.clock.now(), closedBy },
    });
    return count === 1 ? this.db.supportTicket.findUnique({ where: { id: ticketId } }) : null;
  }

  /** 1–5 for the person's own closed ticket; a second press changes the rating. */
  async rate(personId: string, ticketId: string, rating: number): Promise<RateOutcome> {
    if (!Number.isInteger(rating) || rating < 1 || rating > 5) return { ok: false, reason: 'not-found' };
    const ticket = await this.db.supportTicket.findFirst({ where: { id: ticketId, personId } });
    if (!ticket) return { ok: false, reason: 'not-found' };
    if (ticket.status !== 'CLOSED') return { ok: false, reason: 'not-closed' };
    return { ok: true, ticket: await this.db.supportTicket.update({ where: { id: ticket.id }, data: { rating } }) };
  }

  /** The rated ticket with its comment stored, or null when it is not the person's closed ticket. */
  async comment(personId: string, ticketId: string, text: string): Promise<SupportTicket | null> {
    const { count } = await this.db.supportTicket.updateMany({
      where: { id: ticketId, personId, status: 'CLOSED' },
      data: { ratingComment: stripControlCharacters(text).slice(0, 2000) },
    });
    return count === 1 ? this.db.supportTicket.findUnique({ where: { id: ticketId } }) : null;
  }

  async availability(): Promise<Availability> {
    return supportAvailability(await this.calendar.current(), this.hours, this.clock.now());
  }
}
