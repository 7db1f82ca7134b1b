import type { BotContext } from '../../context';
import type { Wizard } from '../../wizards/wizard';

/** How long a «type your quiet hours» question waits for the answer. */
const TTL_SECONDS = 10 * 60;

const keyOf = (ctx: BotContext) => `${ctx.services.config.REDIS_PREFIX}:settings:quiet-input:${ctx.chat!.id}`;

/** Remembers (in Redis, next to the session) that the next text is a quiet-hours range. */
export async function expectQuietHours(ctx: BotContext): Promise<void> {
  await ctx.services.redis.set(keyOf(ctx), '1', 'EX', TTL_SECONDS);
}

/** Whether the next text is awaited; `consume` clears the question once answered. */
export async function awaitingQuietHours(ctx: BotContext, consume: boolean): Promise<boolean> {
  return consume ? (await ctx.services.redis.del(keyOf(ctx))) > 0 : (await ctx.services.redis.exists(keyOf(ctx))) > 0;
}

/** «Свои часы»: the quiet-hours range awaited for a while. */
export const quietHoursWizard: Wizard = {
  waiting: async (ctx) => ((await awaitingQuietHours(ctx, false)) ? { hint: 'wizard-hint.quiet-hours' } : null),
  async cancel(ctx) {
    await awaitingQuietHours(ctx, true);
    return 'settings.quiet.cancelled';
  },
};
