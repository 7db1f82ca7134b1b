import { existsSync } from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { TableFormat } from './read-table';
import { type Table, TabularError, type TabularProblem } from './table';

export interface ThreadLimits {
  /** The thread's V8 heap; a file that needs more ends the thread with 'file-too-large'. */
  maxHeapMb: number;
  /** A file not read within this long is given up ('file-too-large'). */
  timeoutMs: number;
}

/** Room for the largest workbook XLSX_LIMITS lets through (exceljs takes some 8 bytes per byte of XML). */
export const THREAD_LIMITS: ThreadLimits = { maxHeapMb: 768, timeoutMs: 120_000 };

type Answer = { ok: true; table: Table & { format: TableFormat } } | { ok: false; code?: TabularProblem; message: string };

/**
 * `readTable` in a worker thread of its own: an import (the admin API is served by the bot process)
 * never parses a file on the event loop that answers people, and a file that needs more memory or time
 * than an import may take ends that thread, with a clear refusal, instead of the process.
 */
export function readTableInThread(bytes: Uint8Array, limits: ThreadLimits = THREAD_LIMITS): Promise<Table & { format: TableFormat }> {
  return new Promise((resolve, reject) => {
    const thread = startThread(limits);
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void thread.terminate();
      outcome();
    };
    const timer = setTimeout(
      () =>
        finish(() =>
          reject(tooLarge(`the file was not read within ${Math.round(limits.timeoutMs / 1000)} s: split it into smaller files`)),
        ),
      limits.timeoutMs,
    );
    timer.unref();
    thread.once('message', (answer: Answer) =>
      finish(() => {
        if (answer.ok) resolve(answer.table);
        else if (answer.code) reject(new TabularError(answer.code, answer.message));
        else reject(new Error(`reading the file failed: ${answer.message}`));
      }),
    );
    thread.once('error', (error: Error & { code?: string }) =>
      finish(() => {
        if (error.code === 'ERR_WORKER_OUT_OF_MEMORY')
          reject(tooLarge('the file needs more memory than an import may take: split it into smaller files'));
        else reject(error);
      }),
    );
    thread.once('exit', (code) => finish(() => reject(new Error(`the file reader stopped (exit code ${code})`))));
    thread.postMessage(bytes);
  });
}

function tooLarge(message: string): TabularError {
  return new TabularError('file-too-large', message);
}

/** Below some 32 MB V8 cannot stop an out-of-memory thread cleanly and ends the whole process instead. */
const MIN_HEAP_MB = 64;

function startThread(limits: ThreadLimits): Worker {
  const resourceLimits = { maxOldGenerationSizeMb: Math.max(MIN_HEAP_MB, limits.maxHeapMb) };
  const compiled = path.join(__dirname, 'read-table.thread.js');
  if (existsSync(compiled)) return new Worker(compiled, { resourceLimits });
  // Running from the TypeScript sources (jest, scripts/swc-register.js): the thread compiles them the
  // same way, with the hook the process itself was started with.
  const register = path.resolve(__dirname, '../../scripts/swc-register.js');
  const entry = path.join(__dirname, 'read-table.thread.ts');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`, { eval: true, resourceLimits });
}
