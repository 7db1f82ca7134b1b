import { InlineKeyboard } from 'grammy';
import type { InputProblem } from '../../../core/events/event-input';
import { STAFF_CATEGORIES } from '../../../core/organizations/categories';
import type { StaffCategory } from '../../../generated/prisma/client';
import type { BotContext } from '../../context';

const BUTTON_TITLE = 30;

/** A problem code of EventsService, in the admin's language (with its numbers, e.g. seats taken). */
export function problemText(ctx: BotContext, problem: InputProblem): string {
  return ctx.t(`events.problem.${problem.code}`, {
    ...problem.params,
    defaultValue: ctx.t('events.problem.other', { field: problem.field, code: problem.code }),
  });
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

/** Who an event is for, as the admin reads it: «для всех» or the categories' names. */
export function audienceText(ctx: BotContext, categories: readonly StaffCategory[]): string {
  return categories.length === 0
    ? ctx.t('events.audience.everybody')
    : STAFF_CATEGORIES.filter((c) => categories.includes(c))
        .map((c) => ctx.t(`category.${c}`))
        .join(', ');
}

/** A category code from a button, or null when it is none (a forged or outdated button). */
export function categoryOf(code: string): StaffCategory | null {
  return (STAFF_CATEGORIES as readonly string[]).includes(code) ? (code as StaffCategory) : null;
}

/** The chosen categories with `category` switched on or off, in the usual order. */
export function toggled(categories: readonly StaffCategory[], category: StaffCategory): StaffCategory[] {
  const chosen = categories.includes(category) ? categories.filter((c) => c !== category) : [...categories, category];
  return STAFF_CATEGORIES.filter((c) => chosen.includes(c));
}

/**
 * The audience toggles of /event_new and of «✏️ Изменить»: a button per category (✅ on the chosen ones),
 * «Для всех» (clears the choice, marked when nothing is chosen), then `done` and «Отмена».
 */
export function audienceKeyboard(
  ctx: BotContext,
  chosen: readonly StaffCategory[],
  buttons: { toggle: (category: StaffCategory) => string; all: string; done: string; doneLabel: string; cancel: string },
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  STAFF_CATEGORIES.forEach((category, i) => {
    keyboard.text(`${chosen.includes(category) ? '✅ ' : ''}${ctx.t(`category.${category}`)}`, buttons.toggle(category));
    if (i % 2 === 1) keyboard.row();
  });
  keyboard.row().text(`${chosen.length === 0 ? '✅ ' : ''}${ctx.t('events.audience.all-button')}`, buttons.all);
  keyboard.row().text(buttons.doneLabel, buttons.done).text(ctx.t('common.cancel'), buttons.cancel);
  return keyboard;
}
