import type { MiddlewareFn } from 'grammy';
import { asLang, translatorFor } from '../../infra/i18n';
import type { BotContext } from '../context';
import type { BotServices } from '../services';

/** Gives every update its services, a child logger tagged with the update id, and a translator. */
export function attachServices(services: BotServices): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    // The context's `log` (BotContextClass) is made from these services when first read.
    ctx.services = services;
    ctx.person = null;
    setLanguage(ctx, asLang(ctx.from?.language_code));
    const type = Object.keys(ctx.update).find((k) => k !== 'update_id') ?? 'unknown';
    services.metrics.updates.inc({ type });
    const stop = services.metrics.handlerSeconds.startTimer();
    try {
      await next();
    } finally {
      stop();
    }
  };
}

/** Loads the person behind a private chat; their chosen language wins over Telegram's guess. */
export function loadPerson(): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    if (ctx.chat?.type === 'private' && ctx.from) {
      const person = await ctx.services.people.find(BigInt(ctx.from.id));
      ctx.person = person;
      if (person) {
        setLanguage(ctx, person.language);
        if (person.unreachableSince) await ctx.services.notifications.markReachable(person.id);
      }
    }
    await next();
  };
}

export function setLanguage(ctx: BotContext, lang: 'ru' | 'en'): void {
  ctx.lang = lang;
  ctx.t = translatorFor(ctx.services.i18n, lang);
}
