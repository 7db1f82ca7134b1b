import type { MiddlewareFn } from 'grammy';
import type { BotContext } from '../context';

const IN_PROGRESS_SECONDS = 120;
const REMEMBER_SECONDS = 48 * 3600;

/**
 * Telegram delivers an update again when a webhook answer fails or times out; handling it twice would
 * add a credit twice. The first delivery claims the update id in Redis; later ones are skipped. A
 * handler that throws releases the claim, so a genuine retry is handled again.
 */
export function deduplicateUpdates(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const { redis, config, metrics } = ctx.services;
    const key = `${config.REDIS_PREFIX}:update:${ctx.me.id}:${ctx.update.update_id}`;
    const claimed = await redis.set(key, 'processing', 'EX', IN_PROGRESS_SECONDS, 'NX');
    if (claimed === null) {
      metrics.duplicates.inc();
      ctx.log.info('duplicate update skipped');
      return;
    }
    try {
      await next();
      await redis.set(key, 'done', 'EX', REMEMBER_SECONDS);
    } catch (error) {
      await redis.del(key);
      throw error;
    }
  };
}
