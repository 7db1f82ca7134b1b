import { existsSync, type FSWatcher, mkdirSync, readdirSync, watch } from 'node:fs';
import path from 'node:path';
import type { Logger } from '../../infra/logger';

/** Names the registry source reads (core/registry/file-registry-source.ts); other files in the folder are left alone. */
export const REGISTRY_FILE = /^(application-statuses|credits).*\.(csv|xlsx)$/i;

export interface RegistryFolderWatchOptions {
  /** How long a file must be left alone before a run (a copy in progress settles). */
  settleMs: number;
  /** How soon a lost watch is tried again. */
  rewatchMs: number;
}

/**
 * Tells the sync when registry files wait in the folder (R-SYNC «critical changes at once»). A file is
 * noticed three ways, so that none waits for the hourly run: the folder is scanned when the watch
 * starts (files dropped while the worker was down or starting), a watch event announces a new one, and
 * a watch that is lost (an error, or the folder removed and created again, which leaves the old watch
 * on a dead inode) is started again after `rewatchMs`, with a scan of its own.
 */
export class RegistryFolderWatch {
  private watcher?: FSWatcher;
  private settle?: NodeJS.Timeout;
  private rewatch?: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly dir: string,
    /** Called (after `settleMs` of quiet) when registry files are waiting; runs are deduplicated by the caller. */
    private readonly onFilesWaiting: () => void,
    private readonly logger: Logger,
    private readonly options: RegistryFolderWatchOptions,
  ) {}

  start(): void {
    this.stopped = false;
    try {
      mkdirSync(this.dir, { recursive: true });
      this.watcher = watch(this.dir, { persistent: false }, (_event, name) => this.onEvent(name === null ? null : String(name)));
      this.watcher.on('error', (err) => this.lost(err));
    } catch (err) {
      this.lost(err);
      return;
    }
    // What arrived before this watch began (the worker was down, or the watch was lost) is not an event.
    this.soon();
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.settle);
    clearTimeout(this.rewatch);
    this.watcher?.close();
    this.watcher = undefined;
  }

  private onEvent(name: string | null): void {
    // An event about the watched folder itself (Linux names it by the folder's own name): it was removed
    // or replaced, and this watch, on the old folder, will see nothing more. A file of the same name
    // inside it only costs a needless new watch.
    if (name === path.basename(this.dir) || !existsSync(this.dir))
      return this.lost(new Error('the registry folder was removed or replaced'));
    if (name === null || REGISTRY_FILE.test(name)) this.soon();
  }

  private lost(err: unknown): void {
    if (this.stopped || this.rewatch) return;
    this.logger.warn({ err, dir: this.dir }, 'registry folder watch lost: watching again shortly (the hourly run stays the safety net)');
    this.watcher?.close();
    this.watcher = undefined;
    this.rewatch = setTimeout(() => {
      this.rewatch = undefined;
      if (!this.stopped) this.start();
    }, this.options.rewatchMs);
    this.rewatch.unref();
  }

  private soon(): void {
    clearTimeout(this.settle);
    this.settle = setTimeout(() => {
      // Moving a processed file away fires the watch too: only files still waiting are worth a run.
      if (waitingFiles(this.dir)) this.onFilesWaiting();
    }, this.options.settleMs);
    this.settle.unref();
  }
}

export function waitingFiles(dir: string): boolean {
  try {
    return readdirSync(dir).some((name) => REGISTRY_FILE.test(name));
  } catch {
    return false;
  }
}
