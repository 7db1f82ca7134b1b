/**
 * Node's flags for the bot as production starts it (the Dockerfile's CMD, docker-compose, `npm start`; see
 * bot/memory.ts). A young generation of 8 MB semi-spaces rather than 16 MB: the bot held 34 MB of young
 * generation from its start on, a fifth of its idle memory; 4 MB or 2 MB (the worker's) saved more but
 * doubled the scavenges and the CPU per update with them. A bench that starts the bot without them
 * measures another process.
 */
export const BOT_NODE_ARGS: readonly string[] = ['--max-semi-space-size=8'];
