import type { SupportTicket } from '../../generated/prisma/client';
import { type NotificationRequest, NotificationsService } from '../../core/notifications/notifications.service';
import type { Clock } from '../../core/shared/clock';
import { type RelayContent, relayParts } from './relay-content';

/**
 * Support's messages that nobody is waiting on as a direct answer go through the outbound queue as
 * notifications (R-SEND: one global rate, 1/s per chat, 20/min per group, retries, rows as the record):
 * the person's messages relayed into the ticket's topic, the agents' answers copied to the person, the
 * topic's card, closing lines, escalations and ratings. The bot schedules them, the worker sends them.
 *
 * Agents' answers count as unasked from the person's side (they arrive while the person does something
 * else), so they take the queue too: the person's 1/s limit then holds across agents, and their order
 * holds through the ticket's chain. They stay copies by numeric ids, never forwards.
 */
export const SUPPORT_KIND = {
  /** The topic's first message (who writes, where they stand); the worker creates the topic on the way. */
  card: 'support.card',
  /** A person's message into the ticket's topic. */
  relay: 'support.relay',
  /** An agent's message (or canned reply) to the person under the role name. */
  answer: 'support.answer',
  /** «Обращение №N закрыто …» in the topic, then the topic is closed. */
  closedLine: 'support.closed-line',
  /** The person is told an agent closed the ticket, with the rating buttons. */
  closedNotice: 'support.closed',
  escalation: 'support.escalation',
  /** The person's rating (and later comment) of a closed ticket, for the agents. */
  rating: 'support.rating',
} as const;

export type SupportKind = (typeof SUPPORT_KIND)[keyof typeof SUPPORT_KIND];

export type SupportPayload =
  /** `part` (from 2 on) marks a later part of a message too long for one: sent without the header line. */
  | { ticketId: string; content: RelayContent; part?: number }
  | { ticketId: string; by: 'agent' | 'person' }
  | { ticketId: string; deadline: string; deadlineFallbackYear: number | null }
  | { ticketId: string; rating: number; comment?: string }
  | { ticketId: string };

export function isSupportKind(kind: string): kind is SupportKind {
  return (Object.values(SUPPORT_KIND) as string[]).includes(kind);
}

/**
 * Two chains per ticket, each sent in the order scheduled: the topic (card before the person's first
 * message, their messages as written) and the person's chat (answers as the agents wrote them).
 */
const chainOf = (ticket: Pick<SupportTicket, 'id'>, side: 'group' | 'person') => `support:${ticket.id}:${side}`;

/** The chain of the ticket's topic, for other posts there that must keep their place (see group-lines.ts). */
export const topicChainOf = (ticket: Pick<SupportTicket, 'id'>): string => chainOf(ticket, 'group');

export class SupportOutbox {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    /** SUPPORT_CHAT_ID, the forum supergroup. */
    private readonly groupChatId: bigint,
  ) {}

  /**
   * Into the ticket's topic. `key` names what is sent once (e.g. the Telegram message relayed): a
   * redelivered update schedules nothing new. `created` is false for such a repeat.
   */
  async toTopic(ticket: SupportTicket, kind: SupportKind, key: string, payload: SupportPayload): Promise<boolean> {
    const { created } = await this.notifications.scheduleAll(this.topicNotices(ticket, kind, key, payload));
    return created > 0;
  }

  /** To the person behind the ticket, in their private chat. */
  async toPerson(ticket: SupportTicket, kind: SupportKind, key: string, payload: SupportPayload): Promise<boolean> {
    const { created } = await this.notifications.scheduleAll(this.personNotices(ticket, kind, key, payload));
    return created > 0;
  }

  /** The notifications `toTopic` schedules, for a caller that writes them in its own transaction. */
  topicNotices(ticket: SupportTicket, kind: SupportKind, key: string, payload: SupportPayload): NotificationRequest[] {
    const base = {
      chatId: this.groupChatId,
      threadId: ticket.topicId ?? undefined,
      kind,
      subjectId: ticket.id,
      chain: chainOf(ticket, 'group'),
      dueAt: this.clock.now(),
    };
    return partsOf(base, key, payload);
  }

  /** The notifications `toPerson` schedules, for a caller that writes them in its own transaction. */
  personNotices(ticket: SupportTicket, kind: SupportKind, key: string, payload: SupportPayload): NotificationRequest[] {
    const base = {
      personId: ticket.personId,
      kind,
      subjectId: ticket.id,
      chain: chainOf(ticket, 'person'),
      dueAt: this.clock.now(),
      reply: true,
    };
    return partsOf(base, key, payload);
  }

  /** Queues notifications written by a caller's transaction, once it committed (the reconciler covers a crash). */
  dispatch(notices: readonly NotificationRequest[]): Promise<void> {
    return this.notifications.dispatchKeys(notices.map((n) => NotificationsService.keyOf(n)));
  }
}

/**
 * A relayed message longer than Telegram takes under the header becomes its parts (relayParts), one
 * notification each, in the ticket's chain so they arrive whole and in order; the first keeps the
 * message's key, so a redelivered update still schedules nothing new.
 */
function partsOf(
  base: Omit<NotificationRequest, 'payload' | 'idempotencyKey'>,
  key: string,
  payload: SupportPayload,
): NotificationRequest[] {
  const parts = 'content' in payload ? relayParts(payload.content) : [];
  if (parts.length <= 1) return [{ ...base, payload, idempotencyKey: `${base.kind}:${key}` }];
  return parts.map((content, index) => ({
    ...base,
    payload: { ...payload, content, ...(index > 0 ? { part: index + 1 } : {}) },
    idempotencyKey: index === 0 ? `${base.kind}:${key}` : `${base.kind}:${key}:part-${index + 1}`,
  }));
}
