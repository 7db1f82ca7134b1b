import type { Lang } from '../i18n';
import { type CreditHistoryRow, type CreditSource, type Verification, typeLabel } from './credit-history';
import { formatDate, formatNumber } from './format';

export const creditsCsvColumns = ['date', 'type', 'quantity', 'credits', 'title', 'source', 'verification'] as const;
export type CreditsCsvColumn = (typeof creditsCsvColumns)[number];

/** The words of the file, already translated by the caller: column titles and the names of stored values. */
export interface CreditsCsvLabels {
  columns: Record<CreditsCsvColumn, string>;
  sources: Record<CreditSource, string>;
  verifications: Record<Verification, string>;
}

/**
 * What Excel in a Russian locale opens by double-click without an import wizard: the BOM tells it UTF-8
 * (without it Cyrillic turns to mojibake), and `;` is that locale's list separator. English files keep the
 * same shape with ISO dates and decimal points, which every locale reads.
 */
const BOM = '\uFEFF';
const SEPARATOR = ';';
const LINE_END = '\r\n';

/** The credit history as a CSV file, one line per entry under a line of column titles. */
export function renderCreditsCsv(rows: readonly CreditHistoryRow[], lang: Lang, labels: CreditsCsvLabels): Buffer {
  const lines = [creditsCsvColumns.map((column) => textCell(labels.columns[column]))];
  for (const row of rows) {
    lines.push([
      formatDate(row.date, lang),
      textCell(typeLabel(row, lang)),
      formatNumber(row.quantity, lang),
      row.credits === null ? '' : formatNumber(row.credits, lang),
      textCell(row.title ?? ''),
      textCell(labels.sources[row.source]),
      textCell(labels.verifications[row.verification]),
    ]);
  }
  return Buffer.from(BOM + lines.map((cells) => cells.join(SEPARATOR) + LINE_END).join(''), 'utf8');
}

/** A cell a spreadsheet would read as a formula (CSV injection) starts with one of these. */
const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[;"\r\n]/;

/**
 * Text typed by people (titles) or translators, made inert and safe to split: a leading apostrophe keeps
 * Excel from running it as a formula, and quotes keep separators and line breaks inside the cell.
 */
function textCell(value: string): string {
  const inert = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}
