/**
 * Node's flags for the bot as production starts it (the Dockerfile's CMD, docker-compose, `npm start`):
 * none. The bot's memory settings are V8 flags it sets itself (bot/memory.ts). A smaller young generation,
 * the worker's `--max-semi-space-size=2` or even 8, saved 15–20 MB more at idle but cost 0.5–0.7 ms of CPU
 * per update at 300 updates/s (twice the scavenges, more promoted); `--initial-old-space-size=64` saved
 * nothing. `--single-threaded-gc` (no GC helper threads to wake) cost 1.07 times the CPU per update at
 * 100/s in 10 alternating rounds (INBOUND_BENCH_COMPARE=this, 2026-12-04), and `--no-flush-bytecode` did
 * not help either. `--no-flush-bytecode --no-memory-reducer` together read 0.84 of the default at 100/s (6
 * rounds, late 2026-12-04; the same build against itself read 0.87 the other way): unconfirmed, and the
 * memory reducer is what returns the start's garbage to reach the idle RSS, which is to be measured first.
 * A flag added here must be added to those three places too (bot-node-args.spec.ts checks).
 */
export const BOT_NODE_ARGS: readonly string[] = [];
