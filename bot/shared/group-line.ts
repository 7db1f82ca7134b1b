import type { SupportTicket } from '../../generated/prisma/client';
import { type GroupLine, GroupLines, threadChain } from '../../infra/telegram/group-lines';
import { REVIEW_CHAIN } from '../../infra/telegram/review-outbox';
import { topicChainOf } from '../../infra/telegram/support-outbox';
import type { BotContext } from '../context';
import { reviewTopic } from './review-topic';

/**
 * A short answer to the agent's message, queued (see infra/telegram/group-lines.ts) for the thread they
 * wrote in, in that topic's chain: the ticket's (given, or found by the thread), the review topic's, or
 * the thread's own. Keyed by the message: an update delivered twice answers once.
 */
export async function answerInGroup(
  ctx: BotContext,
  line: GroupLine,
  values?: Record<string, string | number>,
  ticket?: SupportTicket | null,
): Promise<void> {
  const services = ctx.services;
  const message = ctx.msg!;
  const threadId = message.is_topic_message ? message.message_thread_id : undefined;
  await new GroupLines(services.notifications, services.clock, services.config.SUPPORT_CHAT_ID!).post(
    `${message.chat.id}:${message.message_id}`,
    { threadId, chain: await chainOf(ctx, threadId, ticket) },
    { line, ...(values ? { values } : {}) },
  );
}

async function chainOf(ctx: BotContext, threadId: number | undefined, ticket?: SupportTicket | null): Promise<string> {
  if (ticket) return topicChainOf(ticket);
  if (threadId === undefined) return threadChain(undefined);
  if (threadId === (await reviewTopic(ctx.services).id())) return REVIEW_CHAIN;
  const owner = await ctx.services.support.byTopic(threadId);
  return owner ? topicChainOf(owner) : threadChain(threadId);
}
