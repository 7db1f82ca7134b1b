import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ImportTable } from '../organizations/import-table';
import type { RegistryBatch, RegistryFileKind, RegistrySource } from './registry-source';

/** Parses CSV or XLSX bytes (infra/tabular's readTable), passed in so that core/ depends on no file format. */
export type TableReader = (bytes: Uint8Array) => Promise<ImportTable>;

const PATTERNS: ReadonlyArray<{ kind: RegistryFileKind; pattern: RegExp }> = [
  { kind: 'application-statuses', pattern: /^application-statuses.*\.(csv|xlsx)$/i },
  { kind: 'credits', pattern: /^credits(.*)\.(csv|xlsx)$/i },
];

export const PROCESSED_DIR = 'processed';

/**
 * Files dropped in a folder: `application-statuses*.csv|xlsx` and `credits-<ORGANIZATION>*.csv|xlsx`,
 * oldest first. A processed file moves to `processed/` under its sha256 prefix, so the folder shows what
 * is waiting and the same content is recognisable.
 */
export class FileRegistrySource implements RegistrySource {
  readonly name = 'registry-files';

  constructor(
    private readonly dir: string,
    private readonly readTable: TableReader,
  ) {}

  async fetchChanges(): Promise<RegistryBatch[]> {
    await mkdir(path.join(this.dir, PROCESSED_DIR), { recursive: true });
    const names = await readdir(this.dir);
    const found: Array<RegistryBatch & { mtime: number }> = [];
    for (const name of names) {
      const match = PATTERNS.find((p) => p.pattern.test(name));
      if (!match) continue;
      const file = path.join(this.dir, name);
      const info = await stat(file);
      if (!info.isFile()) continue;
      const bytes = await readFile(file);
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      found.push({
        kind: match.kind,
        name,
        sha256,
        organizationHint: match.kind === 'credits' ? organizationHintOf(name) : undefined,
        read: () => this.readTable(bytes),
        mtime: info.mtimeMs,
      });
    }
    return found.sort((a, b) => a.mtime - b.mtime || a.name.localeCompare(b.name)).map(({ mtime: _mtime, ...batch }) => batch);
  }

  async markProcessed(batch: RegistryBatch): Promise<void> {
    try {
      await rename(path.join(this.dir, batch.name), path.join(this.dir, PROCESSED_DIR, `${batch.sha256.slice(0, 12)}-${batch.name}`));
    } catch (error) {
      // Another run (an immediate one next to the hourly one) moved it already: its content was applied once by hash.
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** `credits-DEMO-2026-11.csv` → `DEMO-2026-11`; the sync tries the longest prefix that names an organization. */
function organizationHintOf(name: string): string | undefined {
  const rest = /^credits[-_ .]?(.*)\.(csv|xlsx)$/i.exec(name)?.[1];
  return rest ? rest : undefined;
}
