import type { InlineKeyboard } from 'grammy';
import { visibleLength } from '../../infra/telegram/html-parts';
import type { Translate } from '../../infra/i18n';

/**
 * What one message of a view may take of Telegram's 4,096 (visible units: HTML tags do not count),
 * leaving room for the lines every page repeats (title, hint, «page 2 of 5»).
 */
export const PAGE_BUDGET = 3600;

/**
 * Groups a view's blocks (one per item, already rendered) into pages that each fit one message: as many
 * blocks as fit in `budget` visible units and at most `perPage` (every item has buttons, and a keyboard
 * takes at most 100). A block too long for any page by itself gets one of its own (the send guard then
 * splits that message rather than lose it).
 */
export function paginate(blocks: readonly string[], options: { budget?: number; perPage: number; separator?: number }): number[][] {
  const budget = options.budget ?? PAGE_BUDGET;
  const separator = options.separator ?? 2;
  const pages: number[][] = [];
  let page: number[] = [];
  let used = 0;
  blocks.forEach((block, index) => {
    const size = visibleLength(block) + separator;
    if (page.length > 0 && (used + size > budget || page.length >= options.perPage)) {
      pages.push(page);
      page = [];
      used = 0;
    }
    page.push(index);
    used += size;
  });
  if (page.length > 0 || pages.length === 0) pages.push(page);
  return pages;
}

/** The page asked for, within the pages there are (a stale button may ask for one that no longer exists). */
export function clampPage(page: number, pages: number): number {
  return Math.min(Math.max(0, Number.isFinite(page) ? page : 0), Math.max(0, pages - 1));
}

/** «◀︎ Назад» / «Дальше ▶︎» under a paged view; nothing when it has one page. */
export function pagerRow(
  keyboard: InlineKeyboard,
  t: Translate,
  page: number,
  pages: number,
  data: (page: number) => string,
): InlineKeyboard {
  if (pages <= 1) return keyboard;
  keyboard.row();
  if (page > 0) keyboard.text(t('pager.previous'), data(page - 1));
  if (page < pages - 1) keyboard.text(t('pager.next'), data(page + 1));
  return keyboard.row();
}

/** «Стр. 2 из 5», or nothing for a single page. */
export function pageLine(t: Translate, page: number, pages: number): string[] {
  return pages > 1 ? [t('pager.page', { page: page + 1, pages })] : [];
}
