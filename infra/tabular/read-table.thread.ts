import { parentPort } from 'node:worker_threads';
import { readTable } from './read-table';
import { TabularError } from './table';

/**
 * The body of the thread `readTableInThread` starts (read-table-in-thread.ts): reads the one file it is
 * given and answers with the table or with why the file was refused. It runs under the thread's memory
 * limit, so a file that would need too much ends this thread, never the process.
 */
parentPort?.once('message', (bytes: Uint8Array) => {
  readTable(bytes).then(
    (table) => parentPort!.postMessage({ ok: true, table }),
    (error: unknown) => {
      if (error instanceof TabularError) parentPort!.postMessage({ ok: false, code: error.code, message: error.message });
      else parentPort!.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) });
    },
  );
});
