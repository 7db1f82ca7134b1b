import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings that keep the worker's memory near 200 MB through the nightly sweep, set before anything
 * compiles WebAssembly or grows the heap:
 * - `--liftoff-only`: Prisma's query compiler is 3.4 MB of WebAssembly; TurboFan recompiling its hot
 *   functions costs 60–80 MB of RSS that never comes back, for about 7 % of Prisma's CPU.
 * - `--heap-growing-percent=30`: after a full GC the heap may grow by 30 % of what is live before the
 *   next one, instead of up to four times: the sweep's batches leave garbage that V8 would otherwise
 *   let pile up to 250 MB.
 * The third setting, `--max-semi-space-size=2` (a young generation of 2 MB semi-spaces rather than
 * 16 MB), takes effect only on the command line: `npm run start:worker` and docker-compose pass it.
 */
export function applyWorkerMemorySettings(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--heap-growing-percent=30');
}
