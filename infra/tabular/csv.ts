import { CsvError, parse } from 'csv-parse/sync';
import { type Table, type TableRow, TabularError, type UnreadableRow } from './table';

export type Separator = ';' | ',' | '\t';

const SEPARATORS: readonly Separator[] = [';', ',', '\t'];

/** More unreadable rows than this and the file is not a CSV worth reporting row by row. */
const MAX_UNREADABLE_ROWS = 1000;

/**
 * The separator of the header line: the candidate that occurs most often outside quotes. Russian
 * Excel writes ';' (the comma is the decimal separator there), other tools ','; a tie goes to ';'.
 */
export function detectSeparator(text: string): Separator {
  const counts = new Map<Separator, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch as Separator)) counts.set(ch as Separator, counts.get(ch as Separator)! + 1);
  }
  let best: Separator = ';';
  for (const separator of SEPARATORS) if (counts.get(separator)! > counts.get(best)!) best = separator;
  return best;
}

/** A record that swallowed the lines after it: raised from csv-parse's record callback to resume after its first line. */
class SwallowedLines extends Error {
  constructor(readonly column: number) {
    super('a quoted field runs over several lines and leaves the record with the wrong number of cells');
  }
}

/**
 * Reads decoded CSV text as a table (RFC 4180 through csv-parse: quoted fields may hold separators,
 * doubled quotes and line breaks; lines end in LF, CRLF or CR). The first non-blank record is the
 * header; blank lines are skipped but counted, so a row number is the one Excel shows.
 *
 * A stray quote must not swallow the rest of the file. A quote opened and never closed, or a quoted
 * field that runs over several lines and plainly swallowed rows (see `swallowsLines`: a stray quote
 * closed by a later one), makes that row unreadable: it is reported with its row
 * and column, and reading resumes on the next line, so every row after it is still read.
 * A quote inside an unquoted field (`5"`, as people type inches) is kept as it is, as Excel does.
 */
export function parseCsv(text: string, separator: Separator = detectSeparator(text)): Table {
  const starts = lineStarts(text);
  const records: TableRow[] = [];
  const unreadable: UnreadableRow[] = [];
  let headerWidth: number | null = null;
  // Rows are numbered by record, as Excel numbers them (a cell with a line break is one row); reading
  // resumes by physical line after a faulty record.
  let recordCount = 0;
  let from = 1;
  while (from <= starts.length) {
    // The last physical line of the last record read; the next record starts on the line after it.
    let lastLine = from - 1;
    try {
      parse(text.slice(starts[from - 1]), {
        delimiter: separator,
        relax_quotes: true,
        relax_column_count: true,
        skip_empty_lines: false,
        on_record: (cells: string[], context) => {
          const endLine = from - 1 + context.lines;
          const blank = isBlank(cells);
          if (endLine > lastLine + 1 && !blank && headerWidth !== null && swallowsLines(cells, headerWidth, separator)) {
            throw new SwallowedLines(cells.findIndex((cell) => /[\r\n]/.test(cell)) + 1);
          }
          lastLine = endLine;
          recordCount += 1;
          if (!blank) {
            headerWidth ??= cells.length;
            records.push({ row: recordCount, cells });
          }
          return null;
        },
      });
      break;
    } catch (error) {
      const column = columnOf(error);
      recordCount += 1;
      const row = recordCount;
      if (headerWidth === null)
        throw new TabularError('csv-unreadable', `row ${row}, column ${column}: a quote is opened and never closed`);
      unreadable.push({ row, column, problem: 'csv-quote-unclosed' });
      if (unreadable.length > MAX_UNREADABLE_ROWS) {
        throw new TabularError('csv-unreadable', `more than ${MAX_UNREADABLE_ROWS} rows have unbalanced quotes: is this a CSV file?`);
      }
      from = lastLine + 2;
    }
  }
  const [header, ...rows] = records;
  if (!header) throw new TabularError('file-empty', 'the file has no header row');
  return {
    headers: header.cells.map((h) => h.trim()),
    rows: rows.map((r) => ({ row: r.row, cells: r.cells.map((c) => c.trim()) })),
    ...(unreadable.length > 0 ? { unreadable } : {}),
  };
}

/**
 * A record over several lines is a cell with line breaks: legitimate (an address), or a stray quote
 * gluing the following lines into one cell. The glue shows as a record of another width than the
 * header, or as a line inside the cell that holds the separator (a whole row of cells swallowed).
 */
function swallowsLines(cells: readonly string[], headerWidth: number, separator: Separator): boolean {
  if (cells.length !== headerWidth) return true;
  return cells.some((cell) =>
    cell
      .split(/\r\n|\r|\n/)
      .slice(1)
      .some((line) => line.includes(separator)),
  );
}

/** The 1-based column where the faulty field starts. Anything but a quoting problem is not the file's fault. */
function columnOf(error: unknown): number {
  if (error instanceof SwallowedLines) return error.column;
  if (error instanceof CsvError) return typeof error.index === 'number' ? error.index + 1 : 1;
  throw error;
}

/** Offsets where each physical line begins (LF, CRLF or CR end a line, as csv-parse counts them). */
function lineStarts(text: string): number[] {
  const starts = [0];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\r' && text[i + 1] === '\n') i += 1;
    if ((ch === '\r' || ch === '\n') && i + 1 < text.length) starts.push(i + 1);
  }
  return starts;
}

export function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
