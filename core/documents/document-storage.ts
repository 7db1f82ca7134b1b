/**
 * Where document bytes live (a folder, an S3-compatible bucket): implemented in infra/storage. Keys are
 * content addresses (`ab/cd/<sha256>`), so writing the same bytes twice is harmless.
 */
export interface DocumentStorage {
  put(key: string, bytes: Buffer): Promise<void>;
  /** The bytes, or null when nothing is stored under `key`. */
  get(key: string): Promise<Buffer | null>;
  /** Removing a missing key is not an error. */
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** The storage key of content with this SHA-256 (hex): two levels of folders keep directories small. */
export function storageKeyOf(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256.slice(2, 4)}/${sha256}`;
}
