import { fillCannedReply } from '../../../core/support/canned-replies';
import type { BotContext } from '../../context';
import { SUPPORT_KIND } from '../../../infra/telegram/support-outbox';
import { answerInGroup } from '../../shared/group-line';
import { groupT } from '../../shared/group-language';
import { supportOutbox } from '../../shared/support-outbox';
import { fitList } from '../../fit-list';
import { cutWithEllipsis } from '../../../infra/telegram/text-parts';

/**
 * `/canned` lists the canned replies; `/reply <name>` in a ticket's topic sends one to the person (stored
 * as TO_PERSON). Every answer to the agent is a queued group line in the thread they wrote in (bot/shared/group-line.ts).
 */
export async function cannedCommand(ctx: BotContext, command: { name: string; rest: string }, threadId: number | undefined): Promise<void> {
  const services = ctx.services;
  if (command.name === 'canned') {
    const replies = await services.cannedReplies.list();
    if (replies.length === 0) return answerInGroup(ctx, 'support.group.canned-empty');
    // Many replies make a long list: what fits one message, and how many more (the admin API lists them all).
    const gt = groupT(services);
    const { text: list } = fitList({
      head: [],
      items: replies.map((r) => `/reply ${r.name} — ${cutWithEllipsis(r.text, 60)}`),
      more: (count) => gt('support.group.canned-more', { count }),
    });
    return answerInGroup(ctx, 'support.group.canned-list', { list });
  }
  const ticket = threadId !== undefined ? await services.support.byTopic(threadId) : null;
  if (!ticket) return answerInGroup(ctx, 'support.group.no-ticket');
  const answer = (key: Parameters<typeof answerInGroup>[1], values?: Record<string, string>) => answerInGroup(ctx, key, values, ticket);
  const name = command.rest.split(/\s+/)[0]?.toLowerCase() ?? '';
  if (!name) return answer('support.group.canned-usage');
  const canned = await services.cannedReplies.get(name);
  if (!canned) return answer('support.group.canned-unknown', { name });
  const recipient = await services.support.recipient(ticket);
  if (!recipient) return answer('support.group.not-delivered');
  const t = services.i18n.getFixedT(recipient.person.language);
  const agentName = services.config.SUPPORT_AGENT_NAME ?? t('support.agent-name');
  const body = fillCannedReply(canned.text, { fullName: recipient.person.fullName, ticketNumber: ticket.number, agentName });
  // Queued like any agent's answer (the worker puts the role name above it); keyed by the /reply message.
  const message = ctx.msg!;
  const content = { type: 'text' as const, text: body };
  const outbox = supportOutbox(services, services.config.SUPPORT_CHAT_ID!);
  const notices = outbox.personNotices(ticket, SUPPORT_KIND.answer, `${message.chat.id}:${message.message_id}`, {
    ticketId: ticket.id,
    content,
  });
  const recorded = { authorTelegramId: ctx.from?.id ?? 0, text: body };
  if (await services.support.recordRelayed(ticket.id, 'TO_PERSON', recorded, notices)) await outbox.dispatch(notices);
  await answer('support.group.canned-sent', { name });
}
