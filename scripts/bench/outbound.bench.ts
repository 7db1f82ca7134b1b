import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { createDatabase, type Database } from '../../core/shared/database';
import { QUEUE, QueueOutboundDispatch, redisConnectionOptions, type OutboundJob } from '../../infra/queues/queues';
import { BotApiStandin, type SimulatedUser } from '../../standin';
import { applyMigrations } from '../db/migrate';
import { freePort } from '../services/free-port';
import { hasLocalPostgres, startEmbeddedPostgres, startLocalPostgres, type RunningPostgres } from '../services/postgres';
import { startRedis, type RunningRedis } from '../services/redis';
import type { Bench, BenchRow } from './bench';

/**
 * The outbound queue against a stand-in that enforces Telegram-style limits and answers 429 above them:
 * a big fan-out at a raised limit (OUTBOUND_BENCH_COUNT reminders, default 100,000, at 1,000/s with the
 * queue set to 950/s) and a short one at Telegram's real 30/s (300 reminders at the default 25/s).
 * The bot and the worker run as their own processes (dist/bot/main.js, dist/worker/main.js), as in
 * production, apart from the stand-in's event loop in this one; a user sends /help all through the fan-out. Prints achieved rate / configured rate (target ≥ 0.95), 429s (target 0), lost and
 * doubled (target 0), and interactive p99 during the fan-out / idle p99 (target ≤ 2). Never asserts.
 */
const TOKEN = '123456:BENCH-token';

interface Scenario {
  label: string;
  count: number;
  telegramPerSecond: number;
  configuredPerSecond: number;
  concurrency: number;
}

function scenarios(): Scenario[] {
  const count = Number(process.env.OUTBOUND_BENCH_COUNT ?? 100_000);
  // The raised limit is what this 2-core machine sustains with the stand-in, bot, worker, PostgreSQL and
  // Redis on the same cores; the queue is set 5% under the stand-in's limit, as it is under Telegram's.
  const limit = Number(process.env.OUTBOUND_BENCH_LIMIT ?? 400);
  return [
    { label: `${count.toLocaleString('en-US')} @ ${limit}/s`, count, telegramPerSecond: limit, configuredPerSecond: Math.floor(limit * 0.95), concurrency: 64 },
    { label: '300 @ 30/s', count: 300, telegramPerSecond: 30, configuredPerSecond: 25, concurrency: 8 },
  ];
}

export const bench: Bench = {
  name: 'outbound fan-out',
  async run() {
    const rows: BenchRow[] = [];
    const work = mkdtempSync(path.join(tmpdir(), 'nmo-bench-outbound-'));
    // The local cluster runs as the postgres user, which must reach its folder inside this one.
    chmodSync(work, 0o755);
    const postgres: RunningPostgres = hasLocalPostgres() ? await startLocalPostgres({ dir: path.join(work, 'pg') }) : await startEmbeddedPostgres({});
    const redis = await startRedis({ dir: path.join(work, 'redis') });
    try {
      await applyMigrations(postgres.url);
      let firstChatId = 1_000_000;
      for (const scenario of scenarios()) {
        rows.push(...(await runScenario(scenario, postgres.url, redis, work, firstChatId)));
        firstChatId += scenario.count;
      }
    } finally {
      await redis.stop();
      await postgres.stop();
      rmSync(work, { recursive: true, force: true });
    }
    return rows;
  },
};

async function runScenario(s: Scenario, databaseUrl: string, redis: RunningRedis, work: string, firstChatId: number): Promise<BenchRow[]> {
  const standin = new BotApiStandin({ token: TOKEN, defaultWaitMs: 30_000 });
  const { apiRoot } = await standin.start();
  const sent = new Map<number, number>();
  let firstSentAt = 0;
  let lastSentAt = 0;
  standin.subscribe((event) => {
    if (event.type !== 'call' || event.call.method !== 'sendMessage' || !event.call.ok || event.call.chatId === undefined || event.call.chatId >= firstChatId + s.count || event.call.chatId < firstChatId) return;
    const now = Date.now();
    if (!firstSentAt) firstSentAt = now;
    lastSentAt = now;
    sent.set(event.call.chatId, (sent.get(event.call.chatId) ?? 0) + 1);
  });
  const port = await freePort();
  const prefix = `b${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    BOT_MODE: 'webhook',
    WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
    WEBHOOK_SECRET: `secret-${randomBytes(8).toString('hex')}`,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redis.url,
    REDIS_PREFIX: prefix,
    DATA_DIR: path.join(work, prefix),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'error',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    OUTBOUND_RATE_PER_SECOND: String(s.configuredPerSecond),
    OUTBOUND_CONCURRENCY: String(s.concurrency),
  };
  const db = createDatabase(databaseUrl, { max: 4 });
  const queue = new Queue<OutboundJob>(QUEUE.outbound, { connection: redisConnectionOptions(redis.url), prefix });
  let bot: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  try {
    const webhookSet = standin.waitForCall('setWebhook', { timeoutMs: 60_000 });
    bot = startProcess('bot', env);
    await webhookSet;
    const asker = standin.user({ id: 42, first_name: 'Анна', language_code: 'ru' });
    const idle = (await askRepeatedly(standin, asker, () => false, 45, 100)).slice(5);

    await createReminders(db, standin, queue, s.count, firstChatId);
    standin.setRateLimit({ perSecond: s.telegramPerSecond });
    standin.resetStats();
    standin.clearCalls();
    const clearer = setInterval(() => standin.clearCalls(), 2000);
    worker = startProcess('worker', env);
    const done = () => sent.size >= s.count;
    // One /help a second: a person's pace, and Telegram's own per-chat limit.
    const busy = await askRepeatedly(standin, asker, () => done() || worker?.exitCode !== null, Infinity, 1000);
    await waitUntil(done, Math.max(120_000, (s.count / s.configuredPerSecond) * 3000));
    // Give late duplicates a moment to show.
    await new Promise((r) => setTimeout(r, 2000));
    clearInterval(clearer);

    const stats = standin.stats();
    const achieved = (sent.size - 1) / ((lastSentAt - firstSentAt) / 1000);
    const lost = s.count - sent.size;
    const doubled = [...sent.values()].filter((n) => n > 1).length;
    const idleP99 = percentile(idle, 0.99);
    const busyP99 = percentile(busy, 0.99);
    const label = s.label;
    return [
      { metric: `${label}: delivered`, value: sent.size },
      { metric: `${label}: achieved rate`, value: achieved, unit: 'msg/s' },
      { metric: `${label}: achieved / configured (target ≥ 0.95)`, value: achieved / s.configuredPerSecond, unit: '×' },
      { metric: `${label}: max sent in any 1 s / Telegram limit`, value: stats.maxSentPerSecond / s.telegramPerSecond, unit: '×' },
      { metric: `${label}: 429s received (target 0)`, value: stats.rateLimited },
      { metric: `${label}: lost (target 0)`, value: lost },
      { metric: `${label}: doubled (target 0)`, value: doubled },
      { metric: `${label}: /help p99 idle`, value: idleP99, unit: 'ms' },
      { metric: `${label}: /help p99 during fan-out (${busy.length} asks)`, value: busyP99, unit: 'ms' },
      { metric: `${label}: p99 busy / idle (target ≤ 2)`, value: busyP99 / idleP99, unit: '×' },
    ];
  } finally {
    await stopProcess(worker);
    await stopProcess(bot);
    await queue.obliterate({ force: true }).catch(() => undefined);
    await queue.close();
    await db.notification.deleteMany({});
    await db.$disconnect();
    await standin.stop();
  }
}

/** People, their chats at the stand-in, and one due reminder each (rows + jobs, in batches). */
async function createReminders(db: Database, standin: BotApiStandin, queue: Queue<OutboundJob>, count: number, firstChatId: number): Promise<void> {
  const dispatch = new QueueOutboundDispatch(queue);
  const dueAt = new Date(Date.now() - 60_000);
  for (let i = 0; i < count; i += 2000) {
    const page = Array.from({ length: Math.min(2000, count - i) }, (_, k) => ({ personId: randomUUID(), notificationId: randomUUID(), chatId: firstChatId + i + k }));
    await db.person.createMany({ data: page.map((p) => ({ id: p.personId, quietHoursStart: 0, quietHoursEnd: 0, onboardingStep: 'LINKED' as const })) });
    await db.telegramIdentity.createMany({ data: page.map((p) => ({ telegramUserId: BigInt(p.chatId), chatId: BigInt(p.chatId), personId: p.personId })) });
    await db.notification.createMany({
      data: page.map((p) => ({ id: p.notificationId, idempotencyKey: `${p.personId}:credits.period-end:-:bench`, personId: p.personId, kind: 'credits.period-end', dueAt, payload: { daysLeft: 7, remaining: 12, periodEnd: '2027-03-14', ignoreQuietHours: false } })),
    });
    for (const p of page) standin.user({ id: p.chatId, first_name: `U${p.chatId}`, language_code: 'ru' });
    await dispatch.dispatchMany(page.map((p) => ({ id: p.notificationId, dueAt })));
  }
}

function startProcess(name: 'bot' | 'worker', env: Record<string, string>): ChildProcess {
  const entry = path.resolve(__dirname, `../../${name}/main.js`);
  if (!existsSync(entry)) throw new Error(`${entry} not found: run through \`npm run bench\`, which builds first`);
  return spawn(process.execPath, [entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await exited;
}

/** Sends /help and waits for the answer, again and again; returns each round trip in ms. */
async function askRepeatedly(standin: BotApiStandin, user: SimulatedUser, stop: () => boolean, times: number, pauseMs: number): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < times && !stop(); i++) {
    const start = performance.now();
    const since = standin.callCount();
    await user.sendCommand('/help');
    await user.waitForReply({ afterCallCount: since, timeoutMs: 30_000 });
    samples.push(performance.now() - start);
    await new Promise((r) => setTimeout(r, pauseMs));
  }
  return samples;
}

async function waitUntil(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

function percentile(samples: number[], p: number): number {
  if (samples.length === 0) return NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}
