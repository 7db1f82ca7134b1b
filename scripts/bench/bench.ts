/**
 * What a benchmark file exports. run.ts loads every `*.bench.js` next to it and prints their rows in one
 * table. Benchmarks measure and print; they never assert timings (machines differ, CI is noisy).
 */
export interface BenchRow {
  metric: string;
  value: number | string;
  unit?: string;
}

export interface Bench {
  name: string;
  run(): BenchRow[] | Promise<BenchRow[]>;
}

/** Deterministic 32-bit PRNG (mulberry32): the same seed gives the same data on every run and machine. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function elapsedMs(startNs: bigint): number {
  return Number(process.hrtime.bigint() - startNs) / 1e6;
}
