import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProgressChartInput } from './progress-chart';
import type { ChartAnswer, ChartRequest } from './progress-chart.thread';

interface Thread {
  worker: Worker;
  busy: number;
}

interface Job {
  thread: Thread;
  resolve: (png: Buffer) => void;
  reject: (error: Error) => void;
}

/**
 * Progress charts drawn in worker threads: layout (fontkit) and rasterizing (resvg) never run on the
 * event loop that answers people, and neither library is loaded into the main thread at all. Threads
 * start with the first chart, take the next chart when least busy, and one that dies is replaced by the
 * next chart asked for (the charts it had fail, and their /credits answer with a clear error).
 */
export class ChartThreads {
  private threads: Thread[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;

  constructor(private readonly size = Math.max(1, Math.min(2, availableParallelism() - 1))) {}

  render(input: ProgressChartInput): Promise<Buffer> {
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.jobs.set(id, { thread, resolve, reject });
      thread.busy++;
      // Charts only run while somebody waits for one: an idle thread must not keep the process alive.
      thread.worker.ref();
      thread.worker.postMessage({ id, input } satisfies ChartRequest);
    });
  }

  /** Ends every thread (a process's shutdown, a test's end); charts in progress fail. */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    await Promise.all(threads.map((t) => t.worker.terminate()));
  }

  private pick(): Thread {
    if (this.threads.length < this.size && this.threads.every((t) => t.busy > 0)) this.threads.push(this.start());
    return this.threads.reduce((a, b) => (b.busy < a.busy ? b : a));
  }

  private start(): Thread {
    const thread: Thread = { worker: startWorker(), busy: 0 };
    thread.worker.unref();
    thread.worker.on('message', (answer: ChartAnswer) => {
      const job = this.jobs.get(answer.id);
      if (!job) return;
      this.jobs.delete(answer.id);
      if (--thread.busy === 0) thread.worker.unref();
      if (answer.ok) job.resolve(Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength));
      else job.reject(new Error(`drawing the chart failed: ${answer.message}`));
    });
    const fail = (error: Error) => {
      this.threads = this.threads.filter((t) => t !== thread);
      for (const [id, job] of this.jobs) {
        if (job.thread !== thread) continue;
        this.jobs.delete(id);
        job.reject(error);
      }
    };
    thread.worker.on('error', (error) => fail(error));
    thread.worker.on('exit', (code) => fail(new Error(`the chart thread stopped (exit code ${code})`)));
    return thread;
  }
}

function startWorker(): Worker {
  const compiled = path.join(__dirname, 'progress-chart.thread.js');
  if (existsSync(compiled)) return new Worker(compiled);
  // From the TypeScript sources (jest, scripts/swc-register.js): the thread compiles them the same way.
  const register = path.resolve(__dirname, '../../scripts/swc-register.js');
  const entry = path.join(__dirname, 'progress-chart.thread.ts');
  return new Worker(`require(${JSON.stringify(register)}); require(${JSON.stringify(entry)});`, { eval: true });
}

/** The process's chart threads (started on first use). */
export const chartThreads = new ChartThreads();
