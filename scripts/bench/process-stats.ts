import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU time and memory of processes, read from /proc (Linux): what a bench charges to the bot, PostgreSQL
 * and Redis, measured from outside the processes so that the measurement costs them nothing.
 */
const TICKS_PER_SECOND = 100; // USER_HZ: 100 on every Linux the bench runs on

/** User + system CPU ms a process has used so far; 0 when it is gone. */
export function cpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may hold spaces) start after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** CPU ms of a set of processes together. */
export function totalCpuMs(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
}

/** Resident memory now and its peak (VmHWM) in MB; NaN when the process is gone. */
export function memoryMb(pid: number): { rss: number; peak: number } {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
    return { rss: kb('VmRSS') / 1024, peak: kb('VmHWM') / 1024 };
  } catch {
    return { rss: NaN, peak: NaN };
  }
}

/** A process and all its descendants (PostgreSQL's backends are children of the postmaster). */
export function withDescendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(entry));
      children.set(ppid, list);
    } catch {
      // The process ended while we looked.
    }
  }
  const all: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    all.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return all;
}

/**
 * CPU of a process tree between two moments, counting backends that came and went in between only by
 * what they left at the end (a PostgreSQL backend lives as long as its pooled connection: all run long).
 */
export class CpuMeter {
  private start = new Map<number, number>();

  constructor(private readonly pids: () => number[]) {}

  begin(): void {
    this.start = new Map(this.pids().map((pid) => [pid, cpuMs(pid)]));
  }

  /** CPU ms used since begin(). */
  elapsed(): number {
    let sum = 0;
    for (const pid of this.pids()) sum += cpuMs(pid) - (this.start.get(pid) ?? 0);
    return sum;
  }
}

/** A process's threads grouped by name: CPU ms and context switches (voluntary: it waited; not: preempted). */
export interface ThreadGroup {
  cpuMs: number;
  voluntary: number;
  involuntary: number;
}

/** Every thread of the processes, summed by thread name (`node`, `V8 DefaultWorke`, `libuv-worker`, …). */
export function threadGroups(pids: readonly number[]): Map<string, ThreadGroup> {
  const groups = new Map<string, ThreadGroup>();
  for (const pid of pids) {
    let tids: string[];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      continue;
    }
    for (const tid of tids) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
        const count = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? 0);
        const group = groups.get(name) ?? { cpuMs: 0, voluntary: 0, involuntary: 0 };
        group.cpuMs += ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
        group.voluntary += count('voluntary_ctxt_switches');
        group.involuntary += count('nonvoluntary_ctxt_switches');
        groups.set(name, group);
      } catch {
        // The thread ended while we looked.
      }
    }
  }
  return groups;
}

/** Read and write system calls the processes have made (`/proc/<pid>/io`: sockets, pipes and files alike). */
export function systemCalls(pids: readonly number[]): { reads: number; writes: number } {
  const calls = { reads: 0, writes: 0 };
  for (const pid of pids) {
    try {
      const io = readFileSync(`/proc/${pid}/io`, 'utf8');
      calls.reads += Number(/^syscr:\s+(\d+)/m.exec(io)?.[1] ?? 0);
      calls.writes += Number(/^syscw:\s+(\d+)/m.exec(io)?.[1] ?? 0);
    } catch {
      // The process ended while we looked.
    }
  }
  return calls;
}
