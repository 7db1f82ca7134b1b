import { setFlagsFromString } from 'node:v8';

/**
 * V8 settings that keep the bot's memory within its budget (issue #14: 150 MB idle, 300 MB at peak), set
 * before anything compiles WebAssembly or grows the heap. Without them the bot idled at 158 MB and held
 * 440–480 MB after 1,000 people linked through it, of which some 75 MB was live (heap snapshots):
 * - `--liftoff-only`: Prisma's query compiler is 3.4 MB of WebAssembly; TurboFan recompiling its hot
 *   functions cost 70–90 MB of RSS that never came back, for no CPU per update the inbound bench could
 *   tell from its noise.
 * - `--heap-growing-percent=50`: after a full GC the old generation may grow by half of what is live
 *   before the next one, instead of up to four times: an update's objects that outlive two scavenges
 *   (it waits on PostgreSQL, Redis, the Bot API) are promoted, and V8 let that garbage pile up to 280 MB.
 *   30 % saved 20 MB more for half again as many full GCs.
 * The young generation keeps V8's size (16 MB semi-spaces): smaller ones cost CPU per update (see
 * scripts/bench/bot-node-args.ts, where command-line flags would go).
 */
export function applyBotMemorySettings(): void {
  setFlagsFromString('--liftoff-only');
  setFlagsFromString('--heap-growing-percent=50');
}
