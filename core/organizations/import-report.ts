import type { ActorType } from '../audit/audit-journal';
import type { FileProblem } from './import-table';

/** A row the import did not apply, with every reason at once so the admin fixes them together. */
export interface RowRejection {
  /** 1-based row number as in the file (header = 1). */
  row: number;
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
