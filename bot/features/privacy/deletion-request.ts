import { randomBytes } from 'node:crypto';
import type { BotContext } from '../../context';
import { pendingQuestion } from '../../shared/pending-questions';
import type { Wizard } from '../../wizards/wizard';

/** The second «delete» press waits 10 minutes for the first's nonce, in the chat of the first (a linked person's). */
const deletionRequest = pendingQuestion({ inChat: (prefix, chatId) => `${prefix}:delete-me:chat:${chatId}`, needsPerson: true }, 10 * 60);

interface Pending {
  nonce: string;
  requestedAt: string;
}

/** First confirmation: issues the nonce only the second button carries, and notes when it was asked. */
export async function openDeletionRequest(ctx: BotContext): Promise<string> {
  const pending: Pending = { nonce: randomBytes(8).toString('hex'), requestedAt: ctx.services.clock.now().toISOString() };
  await deletionRequest.ask(ctx, JSON.stringify(pending));
  return pending.nonce;
}

/** Second confirmation: the request time when the nonce matches a live first confirmation, else null. */
export async function takeDeletionRequest(ctx: BotContext, nonce: string): Promise<Date | null> {
  const raw = await deletionRequest.take(ctx);
  if (!raw) return null;
  const pending = JSON.parse(raw) as Pending;
  return pending.nonce === nonce ? new Date(pending.requestedAt) : null;
}

/** Between the two «delete» presses: the step of one button, which /cancel withdraws. */
export const deletionWizard: Wizard = {
  async waiting(ctx) {
    return (await deletionRequest.get(ctx)) !== null ? { hint: 'wizard-hint.delete-me' } : null;
  },
  async cancel(ctx) {
    await deletionRequest.take(ctx);
    return 'privacy-center.delete-cancelled';
  },
};
