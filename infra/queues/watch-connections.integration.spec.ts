import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Queue } from 'bullmq';
import { freePort } from '../../scripts/services/free-port';
import { type RunningRedis, startRedis } from '../../scripts/services/redis';
import type { Logger } from '../logger';
import { watchConnection } from './watch-connections';

/** A logger that keeps what it was given, level and message, to count lines. */
function recordingLogger(): { logger: Logger; lines: Array<{ level: string; msg: string }> } {
  const lines: Array<{ level: string; msg: string }> = [];
  const at = (level: string) => (_fields: unknown, msg: string) => void lines.push({ level, msg });
  return { logger: { warn: at('warn'), info: at('info'), error: at('error') } as unknown as Logger, lines };
}

async function until(check: () => boolean, what: string, boundMs = 60_000): Promise<void> {
  const start = Date.now();
  while (!check()) {
    if (Date.now() - start > boundMs) throw new Error(`not reached: ${what}`);
    await sleep(50);
  }
}

describe('watchConnection: BullMQ queues report a Redis outage once per process, not per reconnection attempt or per queue', () => {
  let dir: string;
  let redis: RunningRedis | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'nmo-watch-'));
  });
  afterAll(async () => {
    await redis?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('logs one line when Redis goes away and one when it is back, for two queues, and nothing reaches the console', async () => {
    const port = await freePort();
    redis = await startRedis({ dir, port });
    const connection = { host: '127.0.0.1', port, maxRetriesPerRequest: null };
    const queue = new Queue('watched', { connection });
    const other = new Queue('other', { connection });
    const { logger, lines } = recordingLogger();
    const consoleErrors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      watchConnection(queue, logger, 'queue');
      watchConnection(other, logger, 'queue');
      await Promise.all([queue.waitUntilReady(), other.waitUntilReady()]);

      await redis.stop();
      redis = undefined;
      await until(() => lines.length > 0, 'the outage reported');
      // ioredis reconnects every few hundred milliseconds meanwhile; each attempt fails.
      await sleep(3000);
      expect(lines).toEqual([{ level: 'warn', msg: 'Redis unreachable' }]);

      redis = await startRedis({ dir, port });
      await until(() => lines.length > 1, 'the recovery reported');
      expect(lines).toEqual([
        { level: 'warn', msg: 'Redis unreachable' },
        { level: 'info', msg: 'Redis reachable again' },
      ]);
      await queue.add('after', {});
      await other.add('after', {});
      expect([await queue.count(), await other.count()]).toEqual([1, 1]);
      expect(lines).toHaveLength(2);
      expect(consoleErrors).not.toHaveBeenCalled();
    } finally {
      consoleErrors.mockRestore();
      await Promise.all([queue.close(), other.close()]);
    }
  });
});
