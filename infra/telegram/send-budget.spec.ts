import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import { isMessageCreating } from './send-budget';

const run = promisify(execFile);
const root = path.resolve(__dirname, '../..');

/**
 * Two processes (a bot and a worker, or two replicas) sending as fast as they can through one budget
 * in real Redis: together they get no more places than the limit allows, each a share of them.
 */
async function greedySender(prefix: string, perSecond: number, forMs: number): Promise<number[]> {
  return (await greedySenderCounting(prefix, perSecond, forMs)).taken;
}

/** The same, saying how many calls to Redis the places cost. */
async function greedySenderCounting(prefix: string, perSecond: number, forMs: number): Promise<{ taken: number[]; calls: number }> {
  const script = `
    const { Redis } = require('ioredis');
    const { SendBudget } = require(${JSON.stringify(path.join(root, 'infra/telegram/send-budget.ts'))});
    (async () => {
      const redis = new Redis(${JSON.stringify(testRedisUrl())});
      const budget = new SendBudget(redis, ${JSON.stringify(prefix)}, ${perSecond});
      // Start together: on a whole second of the shared clock after the processes have loaded.
      await new Promise((r) => setTimeout(r, 3000 - (Date.now() % 1000)));
      const end = Date.now() + ${forMs};
      const taken = [];
      while (Date.now() < end) {
        await budget.take();
        if (Date.now() < end) taken.push(Date.now());
      }
      redis.disconnect();
      process.stdout.write(JSON.stringify({ taken, calls: budget.calls }));
    })();`;
  const { stdout } = await run(process.execPath, ['-r', path.join(root, 'scripts/swc-register.js'), '-e', script], { cwd: root });
  return JSON.parse(stdout) as { taken: number[]; calls: number };
}

describe('the send budget shared by the bot and the worker', () => {
  it('counts message-creating calls only', () => {
    for (const method of ['sendMessage', 'sendPhoto', 'sendDocument', 'sendMediaGroup', 'copyMessage', 'forwardMessages']) {
      expect(isMessageCreating(method)).toBe(true);
    }
    for (const method of ['sendChatAction', 'editMessageText', 'answerCallbackQuery', 'getMe', 'deleteMessage']) {
      expect(isMessageCreating(method)).toBe(false);
    }
  });

  it('holds across two processes: their sum stays within the limit, in every second', async () => {
    const perSecond = 10;
    const forMs = 3000;
    const prefix = testRedisPrefix();
    const [a, b] = await Promise.all([greedySender(prefix, perSecond, forMs), greedySender(prefix, perSecond, forMs)]);
    // Both got places: neither starves the other.
    expect(a.length).toBeGreaterThan(0);
    expect(b.length).toBeGreaterThan(0);
    // Alone each would take perSecond a second; together they take no more than one budget allows.
    const all = [...a, ...b].sort((x, y) => x - y);
    expect(all.length).toBeLessThanOrEqual(perSecond * (forMs / 1000 + 1));
    expect(all.length).toBeGreaterThanOrEqual(perSecond * (forMs / 1000 - 1));
    // Sliding windows, as Telegram counts, with a little slack for when each process noted the time.
    for (let i = perSecond; i < all.length; i++) expect(all[i] - all[i - perSecond]).toBeGreaterThan(950);
  }, 60_000);

  it('takes places ahead where the limit is high, and still holds in every sliding second', async () => {
    // 400 a second: a greedy sender takes up to 400 × 100 ms / 1 s / 2 = 20 places a call, counted in the
    // window until they can no longer be used, so the sum of two still never exceeds the limit.
    const perSecond = 400;
    const forMs = 3000;
    const prefix = testRedisPrefix();
    const [a, b] = await Promise.all([greedySenderCounting(prefix, perSecond, forMs), greedySenderCounting(prefix, perSecond, forMs)]);
    const all = [...a.taken, ...b.taken].sort((x, y) => x - y);
    expect(a.taken.length).toBeGreaterThan(0);
    expect(b.taken.length).toBeGreaterThan(0);
    expect(all.length).toBeLessThanOrEqual(perSecond * (forMs / 1000 + 1));
    // Places counted from the end of their usable time cost some capacity, at most half a window's.
    expect(all.length).toBeGreaterThanOrEqual((perSecond / 2) * (forMs / 1000 - 1));
    for (let i = perSecond; i < all.length; i++) expect(all[i] - all[i - perSecond]).toBeGreaterThan(950);
    // Several places a call: the round trips saved are the point.
    expect(a.taken.length + b.taken.length).toBeGreaterThan(4 * (a.calls + b.calls));
  }, 60_000);

  it('leaves the bot its reserve while the worker sends as fast as it may', async () => {
    const prefix = testRedisPrefix();
    const [worker, bot] = await Promise.all([greedySender(prefix, 8, 3000), greedySender(prefix, 10, 3000)]);
    // The worker never fills the window past 8 of 10: the bot finds at least 2 places a second.
    expect(bot.length).toBeGreaterThanOrEqual(2 * 2);
    expect(worker.length + bot.length).toBeLessThanOrEqual(10 * 4);
  }, 60_000);

  it('does not hold for processes of different deployments (a prefix of their own)', async () => {
    const [a, b] = await Promise.all([greedySender(testRedisPrefix(), 10, 2000), greedySender(testRedisPrefix(), 10, 2000)]);
    expect(a.length + b.length).toBeGreaterThan(10 * 3);
  }, 60_000);
});
