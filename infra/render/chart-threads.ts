import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { ProgressChartInput } from './progress-chart';
import type { ChartAnswer, ChartRequest } from './progress-chart.thread';

interface Thread {
  worker: Worker;
  busy: number;
  /** Cancels the retirement planned while the thread had nothing to draw. */
  cancelRetirement?: () => void;
}

interface Job {
  thread: Thread;
  resolve: (png: Buffer) => void;
  reject: (error: Error) => void;
}

/** Runs `retire` after `ms` unless the returned function is called first (tests pass their own). */
export type ScheduleRetirement = (retire: () => void, ms: number) => () => void;

const unrefTimeout: ScheduleRetirement = (retire, ms) => {
  const timer = setTimeout(retire, ms);
  // A planned retirement must not keep the process alive.
  timer.unref();
  return () => clearTimeout(timer);
};

export interface ChartThreadsOptions {
  /** Threads at most (default: one per core beyond the main thread's, at most two). */
  size?: number;
  /**
   * How long a thread with nothing to draw lives on (default a minute). Each thread is a V8 isolate with
   * fontkit, the fonts and resvg: some 45 MB of the bot's memory. Most charts are sent again by their
   * file_id and never drawn, so a thread is seldom needed and costs only its start (about 0.3 s of one
   * core) when it is.
   */
  idleMs?: number;
  scheduleRetirement?: ScheduleRetirement;
}

/**
 * Progress charts drawn in worker threads: layout (fontkit) and rasterizing (resvg) never run on the
 * event loop that answers people, and neither library is loaded into the main thread at all. Threads
 * start with the first chart, take the next chart when least busy, and end after `idleMs` with nothing
 * to draw; the next chart starts one again. One that dies is replaced by the next chart asked for (the
 * charts it had fail, and their /credits answer with a clear error).
 */
export class ChartThreads {
  private threads: Thread[] = [];
  private readonly jobs = new Map<number, Job>();
  private nextId = 0;
  private readonly size: number;
  private readonly idleMs: number;
  private readonly scheduleRetirement: ScheduleRetirement;

  constructor(options: ChartThreadsOptions = {}) {
    this.size = options.size ?? Math.max(1, Math.min(2, availableParallelism() - 1));
    this.idleMs = options.idleMs ?? 60_000;
    this.scheduleRetirement = options.scheduleRetirement ?? unrefTimeout;
  }

  /** Threads running now (started, not yet retired or dead). */
  get running(): number {
    return this.threads.length;
  }

  render(input: ProgressChartInput): Promise<Buffer> {
    const thread = this.pick();
    const id = this.nextId++;
    return new Promise<Buffer>((resolve, reject) => {
      this.jobs.set(id, { thread, resolve, reject });
      thread.busy++;
      thread.cancelRetirement?.();
      thread.cancelRetirement = undefined;
      // Charts only run while somebody waits for one: an idle thread must not keep the process alive.
      thread.worker.ref();
      thread.worker.postMessage({ id, input } satisfies ChartRequest);
    });
  }

  /** Ends every thread (a process's shutdown, a test's end); charts in progress fail. */
  async close(): Promise<void> {
    const threads = this.threads;
    this.threads = [];
    for (const thread of threads) thread.cancelRetirement?.();
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
      if (--thread.busy === 0) this.idle(thread);
      if (answer.ok) job.resolve(Buffer.from(answer.png.buffer, answer.png.byteOffset, answer.png.byteLength));
      else job.reject(new Error(`drawing the chart failed: ${answer.message}`));
    });
    const fail = (error: Error) => {
      this.threads = this.threads.filter((t) => t !== thread);
      thread.cancelRetirement?.();
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

  private idle(thread: Thread): void {
    thread.worker.unref();
    thread.cancelRetirement = this.scheduleRetirement(() => {
      thread.cancelRetirement = undefined;
      if (thread.busy > 0 || !this.threads.includes(thread)) return;
      // Out of the pool first: the next chart starts a new thread rather than wait on this one's end.
      this.threads = this.threads.filter((t) => t !== thread);
      void thread.worker.terminate();
    }, this.idleMs);
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

/** The process's chart threads (started on first use, retired when idle). */
export const chartThreads = new ChartThreads();
