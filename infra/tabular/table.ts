/**
 * A spreadsheet or CSV file reduced to what an import needs: a header and rows of text cells.
 * Cells are always strings (dates from XLSX become 'YYYY-MM-DD'), so the importers parse one format.
 */
export interface Table {
  headers: string[];
  rows: TableRow[];
  /** Rows that could not be read at all (a stray quote in a CSV): reported, never silently dropped. */
  unreadable?: UnreadableRow[];
}

export interface TableRow {
  /** The row number a person sees in the file or in Excel, 1-based; the header is row 1. */
  row: number;
  cells: string[];
}

/** A row the reader could not split into cells; the import reports it with the others it rejects. */
export interface UnreadableRow {
  /** 1-based row number as in the file (header = 1): the line where the faulty record starts. */
  row: number;
  /** 1-based column where the faulty field starts. */
  column: number;
  /** A quote opened in this field is never closed, or closes only lines later and leaves the row misshapen. */
  problem: 'csv-quote-unclosed';
}

export type TabularProblem =
  /** Nothing but whitespace, or no header row. */
  | 'file-empty'
  /** A CSV whose header row, or a great many rows, cannot be read (unbalanced quotes). */
  | 'csv-unreadable'
  /** The legacy binary .xls format: people should save as .xlsx or CSV. */
  | 'xls-unsupported'
  /** A ZIP that is not a readable workbook, or one that would unpack to an unreasonable size. */
  | 'xlsx-unreadable'
  | 'xlsx-too-large'
  /** A ZIP whose files inflate to more than they declare: a forged "zip bomb" (or a damaged file). */
  | 'xlsx-forged'
  /** Reading the file needed more memory or time than an import may take. */
  | 'file-too-large';

/** A file that cannot be read as a table at all; the message says what to do about it. */
export class TabularError extends Error {
  constructor(
    readonly code: TabularProblem,
    message: string,
  ) {
    super(message);
    this.name = 'TabularError';
  }
}
