import type { InputProblem } from '../../../core/events/event-input';
import type { BotContext } from '../../context';

const BUTTON_TITLE = 30;

/** A problem code of EventsService, in the admin's language (with its numbers, e.g. seats taken). */
export function problemText(ctx: BotContext, problem: InputProblem): string {
  return ctx.t(`events.problem.${problem.code}`, { ...problem.params, defaultValue: ctx.t('events.problem.other', { field: problem.field, code: problem.code }) });
}

/** A title short enough for a button. */
export function short(title: string): string {
  return title.length > BUTTON_TITLE ? `${title.slice(0, BUTTON_TITLE - 1)}…` : title;
}

/** Roubles as typed: «150000», «150 000», «1500,50». Null when it is not an amount. */
export function parseAmount(text: string): number | null {
  const compact = text.replace(/[\s\u00a0₽]|руб\.?/gi, '');
  return /^\d+([.,]\d{1,2})?$/.test(compact) ? Number(compact.replace(',', '.')) : null;
}

export async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
}
