import { InlineKeyboard, type MiddlewareFn } from 'grammy';
import { UpdateAlreadyApplied } from '../../core/shared/applied-once';
import { callbackData } from '../../infra/telegram/callback-data';
import { unavailableDependency } from '../../infra/transient-errors';
import type { BotContext } from '../context';
import type { OutageNotices } from '../intake/outage-notices';

/** A handler met an outage: the update stays in the log and is tried again later. */
export class RetryLater extends Error {
  constructor(readonly dependency: string) {
    super(`update postponed: ${dependency} unavailable`);
    this.name = 'RetryLater';
  }
}

/**
 * The one error boundary of the bot, for polling and webhook alike (both feed the same update log):
 * - an update whose effects were committed by an earlier handling (a crash, a takeover) stops
 *   quietly: nothing is applied twice;
 * - an outage (PostgreSQL, Redis or Telegram away) postpones the update: the person is told once
 *   that we will answer when the service is back, and the update is tried again, in order;
 * - anything else is a failure of ours: logged without context or personal data, counted, and the
 *   person is told that nothing was saved half way (every change is one transaction).
 */
export function errorBoundary(notices: OutageNotices): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    try {
      await next();
    } catch (error) {
      const { metrics } = ctx.services;
      if (error instanceof UpdateAlreadyApplied) {
        metrics.duplicates.inc();
        ctx.log.info({ step: error.step }, 'update already applied by an earlier handling: skipped');
        return;
      }
      const dependency = unavailableDependency(error);
      if (dependency) {
        metrics.postponed.inc({ dependency });
        ctx.log.warn({ err: error, dependency }, 'update postponed: a service is unavailable');
        if (ctx.chat?.type === 'private' && dependency !== 'telegram') await notices.tell(ctx.chat.id, ctx.lang);
        throw new RetryLater(dependency);
      }
      metrics.errors.inc();
      ctx.log.error({ err: error }, 'update failed');
      if (ctx.chat?.type === 'private' && ctx.t) {
        await ctx
          .reply(ctx.t('errors.internal'), { reply_markup: new InlineKeyboard().text(ctx.t('support.button'), callbackData.supportMenu) })
          .catch(() => undefined);
      }
    }
  };
}
