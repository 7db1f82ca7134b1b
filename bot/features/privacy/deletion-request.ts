import { randomBytes } from 'node:crypto';
import type { BotContext } from '../../context';
import type { Wizard } from '../../wizards/wizard';

/** How long the second «delete» button stays valid after the first was pressed. */
const TTL_SECONDS = 10 * 60;

interface Pending {
  nonce: string;
  requestedAt: string;
}

const keyOf = (ctx: BotContext) => `${ctx.services.config.REDIS_PREFIX}:delete-me:${ctx.person!.id}`;

/** First confirmation: issues the nonce only the second button carries, and notes when it was asked. */
export async function openDeletionRequest(ctx: BotContext): Promise<string> {
  const pending: Pending = { nonce: randomBytes(8).toString('hex'), requestedAt: ctx.services.clock.now().toISOString() };
  await ctx.services.redis.set(keyOf(ctx), JSON.stringify(pending), 'EX', TTL_SECONDS);
  return pending.nonce;
}

/** Second confirmation: the request time when the nonce matches a live first confirmation, else null. */
export async function takeDeletionRequest(ctx: BotContext, nonce: string): Promise<Date | null> {
  const raw = await ctx.services.redis.getdel(keyOf(ctx));
  if (!raw) return null;
  const pending = JSON.parse(raw) as Pending;
  return pending.nonce === nonce ? new Date(pending.requestedAt) : null;
}

/** Between the two «delete» presses: the step of one button, which /cancel withdraws. */
export const deletionWizard: Wizard = {
  async waiting(ctx) {
    return ctx.person && (await ctx.services.redis.exists(keyOf(ctx))) > 0 ? { hint: 'wizard-hint.delete-me' } : null;
  },
  async cancel(ctx) {
    await ctx.services.redis.del(keyOf(ctx));
    return 'privacy-center.delete-cancelled';
  },
};
