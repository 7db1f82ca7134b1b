/**
 * Node's flags for the worker as production starts it (`npm run start:worker`, docker-compose; see
 * worker/memory.ts). A bench that starts the worker without them measures another process: without the
 * small young generation the worker holds some 30 MB more for its first ten seconds.
 */
export const WORKER_NODE_ARGS: readonly string[] = ['--max-semi-space-size=2'];
