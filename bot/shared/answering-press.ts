import type { BotContext } from '../context';

/**
 * Stops a pressed button's spinner (answerCallbackQuery) while `work` reads what the press shows: one
 * wait for both instead of one after the other. The answer's request leaves first; a failure of either
 * fails the update only once both have ended, so nothing of a first try still runs when it is retried.
 */
export async function answeringPress(ctx: BotContext, work: () => Promise<void>): Promise<void> {
  const results = await Promise.allSettled([ctx.answerCallbackQuery(), work()]);
  for (const result of results) if (result.status === 'rejected') throw result.reason;
}
