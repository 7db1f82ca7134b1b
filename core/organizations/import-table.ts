import { isIsoDate, type IsoDate } from '../shared/dates';
import { parseRussianDate } from '../shared/local-date';
import { stripControlCharacters } from '../shared/text';

/**
 * What an import reads: a header and rows of text cells, as infra/tabular produces them from CSV or
 * XLSX. Declared here so that core/ depends on no file format.
 */
export interface ImportTable {
  headers: readonly string[];
  rows: readonly ImportRow[];
  /** Rows the reader could not split into cells (a stray quote in a CSV), with the column at fault. */
  unreadable?: readonly { row: number; column: number; problem: string }[];
}

export interface ImportRow {
  /** 1-based row number as in the file; the header is row 1. */
  row: number;
  cells: readonly string[];
}

/** One field an import understands and the headers (Russian or English) that name it. */
export interface ColumnSpec<F extends string> {
  field: F;
  /** How a person would read it in an error: «ФИО». */
  label: string;
  aliases: readonly string[];
}

export type ColumnMap<F extends string> = Partial<Record<F, number>>;

/** Why a whole file is refused before any row is looked at. */
export type FileProblem = { code: 'columns-missing'; columns: string[] } | { code: 'column-ambiguous'; column: string; headers: string[] };

/**
 * Headers compared the way people write them: case, ё/е, spaces, punctuation and «№» do not matter,
 * so «Табельный номер», «табельный_номер» and «ТАБЕЛЬНЫЙ НОМЕР » are one column, as are «externalId»
 * and «External ID».
 */
export function normaliseHeader(header: string): string {
  return header
    .toLocaleLowerCase('ru')
    .replace(/\u0451/g, '\u0435')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Finds each known field's column; unknown columns are ignored, two columns for one field are refused. */
export function mapColumns<F extends string>(
  headers: readonly string[],
  specs: readonly ColumnSpec<F>[],
): { ok: true; columns: ColumnMap<F> } | { ok: false; problem: FileProblem } {
  const columns: ColumnMap<F> = {};
  const byAlias = new Map<string, ColumnSpec<F>>();
  for (const spec of specs) for (const alias of spec.aliases) byAlias.set(normaliseHeader(alias), spec);
  for (const [index, header] of headers.entries()) {
    const spec = byAlias.get(normaliseHeader(header));
    if (!spec) continue;
    const seen = columns[spec.field];
    if (seen !== undefined) {
      return { ok: false, problem: { code: 'column-ambiguous', column: spec.field, headers: [headers[seen], header] } };
    }
    columns[spec.field] = index;
  }
  return { ok: true, columns };
}

/** Labels of the fields among `required` that have no column, e.g. `fullName («ФИО»)`. */
export function missingColumns<F extends string>(columns: ColumnMap<F>, specs: readonly ColumnSpec<F>[], required: readonly F[]): string[] {
  return required.filter((field) => columns[field] === undefined).map((field) => labelled(specs, field));
}

export function labelled<F extends string>(specs: readonly ColumnSpec<F>[], field: F): string {
  const spec = specs.find((s) => s.field === field);
  return spec ? `${field} («${spec.label}»)` : field;
}

/** One sentence for the admin: what is wrong with the file. */
export function describeFileProblem(problem: FileProblem): string {
  if (problem.code === 'columns-missing') return `missing column(s): ${problem.columns.join(', ')}`;
  return `columns "${problem.headers[0]}" and "${problem.headers[1]}" both mean ${problem.column}: keep one`;
}

/**
 * A cell of a mapped column: undefined when the file has no such column (keep what is stored),
 * '' when the column is there but the cell is empty (the file says "none").
 */
export function cellOf<F extends string>(row: ImportRow, columns: ColumnMap<F>, field: F): string | undefined {
  const index = columns[field];
  if (index === undefined) return undefined;
  return stripControlCharacters(row.cells[index] ?? '').trim();
}

/** dd.mm.yyyy (also with '/' or '-'), ISO 'YYYY-MM-DD' (what XLSX dates become), or an ISO timestamp's day. */
export function parseDateCell(text: string): IsoDate | null {
  const trimmed = text.trim();
  const iso = /^(\d{4}-\d{2}-\d{2})(?:[T ][\d:.]+Z?)?$/.exec(trimmed);
  if (iso) return isIsoDate(iso[1]) ? iso[1] : null;
  return parseRussianDate(trimmed);
}

/** "36", "36,5", "1 000": a decimal comma and thousands spaces are how Russian files write numbers. */
export function parseQuantityCell(text: string): number | null {
  const normalised = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^\d{1,7}(\.\d{1,3})?$/.test(normalised)) return null;
  return Number(normalised);
}

/**
 * A СНИЛС as Excel leaves it: a number column drops leading zeros ("012-345-678 90" becomes
 * 1234567890), so 9–10 bare digits are padded back to 11 before the checksum decides.
 */
export function restoreSnilsDigits(text: string): string {
  return /^\d{9,10}$/.test(text) ? text.padStart(11, '0') : text;
}
