/**
 * Node's flags for the bot as production starts it (the Dockerfile's CMD, docker-compose, `npm start`):
 * none. The bot's memory settings are V8 flags it sets itself (bot/memory.ts). A smaller young generation,
 * the worker's `--max-semi-space-size=2` or even 8, saved 15–20 MB more at idle but cost 0.5–0.7 ms of CPU
 * per update at 300 updates/s (twice the scavenges, more promoted); `--initial-old-space-size=64` saved
 * nothing. `--single-threaded-gc` (no GC helper threads to wake) cost 1.07 times the CPU per update at
 * 100/s in 10 alternating rounds (INBOUND_BENCH_COMPARE=this, 2026-12-04), and `--no-flush-bytecode` did
 * not help either. `--no-flush-bytecode --no-memory-reducer` together read 0.84 of the default at 100/s (6
 * rounds, late 2026-12-04; the same build against itself read 0.87 the other way). On 2026-12-05
 * `--no-memory-reducer` alone explained it: the reducer's collections in a quiet spell deoptimize some 90
 * hot functions, which a bot returning after the other's turn compiles again (1.18 of the flagged bot at
 * 100/s, all of it in the rounds where the default one came second). Not set here: the reducer is what
 * returns the start's and a burst's garbage to reach the idle RSS, and its cost is about half a second of
 * CPU per quiet spell. Side-by-side runs at 100/s give both bots the flag (README, Performance).
 * `--min-semi-space-size=16` (the young generation at full size from the start and after the reducer)
 * read 0.89 of the default at 100/s in one 6-round run and 1.02 in another with the roles swapped
 * (2026-12-05): the order of the rounds, not the flag; idle RSS 120 MB with it. Not set.
 * A flag added here must be added to those three places too (bot-node-args.spec.ts checks).
 */
export const BOT_NODE_ARGS: readonly string[] = [];
