import type { ActorType } from '../audit/audit-journal';
import type { FileProblem, ImportTable } from './import-table';

/** A row the import did not apply, with every reason at once so the admin fixes them together. */
export interface RowRejection {
  /** 1-based row number as in the file (header = 1). */
  row: number;
  /** 1-based column of the fault, when it is one cell's (a stray quote in a CSV). */
  column?: number;
  /** Reason codes, e.g. 'snils-checksum', 'category-unknown', 'person-not-found', 'quantity-above-max'. */
  reasons: string[];
}

/** What one import did. Re-importing the same file reports every row unchanged. */
export interface ImportReport {
  /** Non-blank data rows read. */
  total: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: RowRejection[];
}

export type ImportOutcome = { ok: true; report: ImportReport } | { ok: false; problem: FileProblem };

export interface ImportActor {
  type: ActorType;
  /** The channel or account, e.g. 'http' or 'cli'. */
  id?: string;
}

export function emptyReport(): ImportReport {
  return { total: 0, created: 0, updated: 0, unchanged: 0, rejected: [] };
}

/**
 * The report an import of `table` starts from: rows the reader could not split into cells (a stray
 * quote) are rows of the file too, counted and rejected with their column, never silently missing.
 */
export function reportFor(table: ImportTable): ImportReport {
  const report = emptyReport();
  for (const unreadable of table.unreadable ?? []) {
    report.total += 1;
    report.rejected.push({ row: unreadable.row, column: unreadable.column, reasons: [unreadable.problem] });
  }
  return report;
}
