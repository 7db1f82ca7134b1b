import { visibleLength } from '../infra/telegram/html-parts';
import { PAGE_BUDGET } from './keyboards/pager';

/**
 * A list message that fits one message: its head, as many items as fit (in their order), a line saying
 * how many are left out and where to find them (`more(hidden)`: the PDF, the CSV file, the full list
 * command), then its tail. Lengths are what the person sees (HTML tags do not count).
 */
export function fitList(
  view: {
    head: readonly string[];
    items: readonly string[];
    tail?: readonly string[];
    more: (hidden: number) => string;
    separator?: string;
  },
  budget: number = PAGE_BUDGET,
): { text: string; shown: number } {
  const separator = view.separator ?? '\n';
  const tail = view.tail ?? [];
  const fixed = visibleLength([...view.head, ...tail].join(separator)) + separator.length * 2;
  let used = fixed;
  let shown = 0;
  for (const item of view.items) {
    const size = visibleLength(item) + separator.length;
    const hidden = view.items.length - shown - 1;
    const moreSize = hidden > 0 ? visibleLength(view.more(hidden)) + separator.length : 0;
    if (used + size + moreSize > budget) break;
    used += size;
    shown += 1;
  }
  const hidden = view.items.length - shown;
  const lines = [...view.head, ...view.items.slice(0, shown), ...(hidden > 0 ? [view.more(hidden)] : []), ...tail];
  return { text: lines.join(separator), shown };
}
