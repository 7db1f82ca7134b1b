import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { RegistryFolderWatch } from './registry-folder-watch';

/** Resolves at the next call of the returned callback; every call is counted. */
function signal() {
  let calls = 0;
  let wake: () => void = () => undefined;
  return {
    callback: () => {
      calls += 1;
      wake();
    },
    next: () => new Promise<void>((resolve) => (wake = resolve)),
    get calls() {
      return calls;
    },
  };
}

describe('RegistryFolderWatch on a real folder', () => {
  let root: string;
  let watch: RegistryFolderWatch | undefined;
  const logger = pino({ level: 'silent' });
  const options = { settleMs: 50, rewatchMs: 100 };

  beforeEach(() => {
    root = mkdtempSync(path.join(tmpdir(), 'registry-watch-'));
  });

  afterEach(() => {
    watch?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  it('announces a file that was waiting before the watch began', async () => {
    const dir = path.join(root, 'registry');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'credits-DEMO.csv'), 'x');
    const waiting = signal();
    const next = waiting.next();
    watch = new RegistryFolderWatch(dir, waiting.callback, logger, options);
    watch.start();
    await next;
    expect(waiting.calls).toBe(1);
  });

  it('announces a file dropped while it watches', async () => {
    const dir = path.join(root, 'registry');
    const waiting = signal();
    watch = new RegistryFolderWatch(dir, waiting.callback, logger, options);
    watch.start();
    const next = waiting.next();
    writeFileSync(path.join(dir, 'application-statuses-1.csv'), 'x');
    await next;
    expect(waiting.calls).toBe(1);
  });

  it('watches again when the folder is removed and created anew, and finds what was dropped meanwhile', async () => {
    const dir = path.join(root, 'registry');
    const waiting = signal();
    watch = new RegistryFolderWatch(dir, waiting.callback, logger, options);
    watch.start();
    // The folder goes (a remount, a cleanup) and comes back with a file in it: the old watch is on a dead
    // inode and will never see it.
    rmSync(dir, { recursive: true });
    mkdirSync(dir);
    const next = waiting.next();
    writeFileSync(path.join(dir, 'application-statuses-2.csv'), 'x');
    await next;
    expect(waiting.calls).toBeGreaterThanOrEqual(1);
    // And the new watch hears new files again.
    const again = waiting.next();
    const before = waiting.calls;
    writeFileSync(path.join(dir, 'credits-DEMO-2.csv'), 'x');
    await again;
    expect(waiting.calls).toBe(before + 1);
  });
});
