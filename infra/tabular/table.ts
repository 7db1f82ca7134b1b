/**
 * A spreadsheet or CSV file reduced to what an import needs: a header and rows of text cells.
 * Cells are always strings (dates from XLSX become 'YYYY-MM-DD'), so the importers parse one format.
 */
export interface Table {
  headers: string[];
  rows: TableRow[];
}

export interface TableRow {
  /** The row number a person sees in the file or in Excel, 1-based; the header is row 1. */
  row: number;
  cells: string[];
}

export type TabularProblem =
  /** Nothing but whitespace, or no header row. */
  | 'file-empty'
  /** The legacy binary .xls format: people should save as .xlsx or CSV. */
  | 'xls-unsupported'
  /** A ZIP that is not a readable workbook, or one that would unpack to an unreasonable size. */
  | 'xlsx-unreadable'
  | 'xlsx-too-large';

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
