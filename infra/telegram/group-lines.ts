import type { NotificationsService } from '../../core/notifications/notifications.service';
import type { Clock } from '../../core/shared/clock';
import type { Translate } from '../i18n';

/**
 * The short answers to an agent's commands in the support group («only agents may…», «no ticket here»,
 * the /canned list, /reply's confirmation and errors, «/note needs a text», «not delivered»). Like every
 * other post in the group they go through the outbound queue (#6.7: the group's 20-per-minute limit holds,
 * a 429 delays a line and loses none), as one generic kind rendered by sentence key and values, in the
 * thread the agent wrote in. Keyed by the update that caused them: a redelivered update posts once.
 * Each joins the chain of the topic it is posted in (a ticket's topic, the review topic, any other thread),
 * so it keeps its place among that topic's other posts.
 */
export const GROUP_LINE_KIND = 'group.line';

/** Every sentence a group line may carry (locales/*.json, both languages; the group reads Russian). */
export const GROUP_LINES = [
  'support.group.not-agent',
  'support.group.no-ticket',
  'support.group.note-empty',
  'support.group.not-delivered',
  'support.group.canned-empty',
  'support.group.canned-list',
  'support.group.canned-usage',
  'support.group.canned-unknown',
  'support.group.canned-sent',
  'reviews.comment-empty',
] as const;

export type GroupLine = (typeof GROUP_LINES)[number];

export interface GroupLinePayload {
  line: GroupLine;
  values?: Record<string, string | number>;
}

export function isGroupLine(kind: string): boolean {
  return kind === GROUP_LINE_KIND;
}

/** The chain of a thread that is neither a ticket's topic nor the review topic (or of General). */
export function threadChain(threadId: number | undefined): string {
  return threadId === undefined ? 'group:general' : `group:thread:${threadId}`;
}

/** The text as the worker sends it: plain (no parse mode), since values carry agents' own texts. */
export function renderGroupLine(gt: Translate, payload: GroupLinePayload): string {
  return gt(payload.line, payload.values ?? {});
}

export class GroupLines {
  constructor(
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    /** SUPPORT_CHAT_ID, the forum supergroup. */
    private readonly groupChatId: bigint,
  ) {}

  /** `key` names the update (chat and message id); false when it was queued already (a redelivery). */
  async post(key: string, where: { threadId?: number; chain: string }, payload: GroupLinePayload): Promise<boolean> {
    const { created } = await this.notifications.schedule({
      chatId: this.groupChatId,
      threadId: where.threadId,
      kind: GROUP_LINE_KIND,
      chain: where.chain,
      dueAt: this.clock.now(),
      payload: payload as unknown as Record<string, unknown>,
      idempotencyKey: `${GROUP_LINE_KIND}:${key}`,
    });
    return created;
  }
}
