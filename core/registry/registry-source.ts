import type { ImportTable } from '../organizations/import-table';

/** What a registry file carries: application status changes, or credit records in the credit import format. */
export type RegistryFileKind = 'application-statuses' | 'credits';

/** One batch of changes from the registry, identified by the sha256 of its content. */
export interface RegistryBatch {
  kind: RegistryFileKind;
  /** The file name (or another label a person recognises in the SyncRun summary). */
  name: string;
  sha256: string;
  /** For credits: the organization the records belong to, as the source names it (a code). */
  organizationHint?: string;
  /** Read lazily: an unreadable file is reported for itself and does not stop the other batches. */
  read(): Promise<ImportTable>;
}

/**
 * Where registry data comes from (R-SYNC). The real НМО portal has no public API, so the shipped
 * implementation reads files an operator drops in a folder; another source only has to list batches.
 */
export interface RegistrySource {
  readonly name: string;
  fetchChanges(): Promise<RegistryBatch[]>;
  /** Called once a batch was applied (or refused as a whole), so it is not offered again. */
  markProcessed(batch: RegistryBatch): Promise<void>;
}
