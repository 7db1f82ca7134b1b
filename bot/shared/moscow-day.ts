import { moscowDateOf } from '../../core/calendar/deadline';
import type { BotContext } from '../context';
import { formatDate } from '../format';

/** The Moscow calendar day of an instant, written the way the person reads dates (applications and disputes are dated in Moscow). */
export function moscowDay(ctx: BotContext, instant: Date): string {
  return moscowDayIn(ctx.lang, instant);
}

/** The same, for a caller that knows the language but has no chat (the cabinet's API). */
export function moscowDayIn(lang: 'ru' | 'en', instant: Date): string {
  return formatDate(moscowDateOf(instant), lang);
}
