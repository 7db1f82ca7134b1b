import type { BotContext } from '../context';

/** How long «send the document» waits for the file. */
const TTL_SECONDS = 15 * 60;

const keyOf = (ctx: BotContext) => `${ctx.services.config.REDIS_PREFIX}:identity:upload:${ctx.chat!.id}`;

/** Remembers (in Redis, next to the session) that the next file is an identity document. */
export async function expectIdentityUpload(ctx: BotContext): Promise<void> {
  await ctx.services.redis.set(keyOf(ctx), '1', 'EX', TTL_SECONDS);
}

export async function awaitingIdentityUpload(ctx: BotContext): Promise<boolean> {
  return (await ctx.services.redis.exists(keyOf(ctx))) > 0;
}

export async function identityUploadDone(ctx: BotContext): Promise<void> {
  await ctx.services.redis.del(keyOf(ctx));
}
