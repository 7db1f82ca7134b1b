import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { createDatabase, type Database } from '../../core/shared/database';
import { QUEUE, QueueOutboundDispatch, redisConnectionOptions, type OutboundJob } from '../../infra/queues/queues';
import { BotApiStandin, type SimulatedUser } from '../../standin';
import { outboundRateFor } from '../../infra/config/config';
import { GROUP_LINE_KIND } from '../../infra/telegram/group-lines';
import { applyMigrations } from '../db/migrate';
import { freePort } from '../services/free-port';
import { hasLocalPostgres, startEmbeddedPostgres, startLocalPostgres, type RunningPostgres } from '../services/postgres';
import { startRedis, type RunningRedis } from '../services/redis';
import type { Bench, BenchRow } from './bench';
import { BOT_NODE_ARGS } from './bot-node-args';
import { stopProcess } from './stop-process';
import { WORKER_NODE_ARGS } from './worker-node-args';

/**
 * The outbound queue against a stand-in that enforces Telegram-style limits and answers 429 above them:
 * a big fan-out at a raised limit (OUTBOUND_BENCH_COUNT reminders, default 100,000, at OUTBOUND_BENCH_LIMIT,
 * default 480/s) and a short one at Telegram's real 30/s (OUTBOUND_BENCH_SMALL_COUNT, default 300), run
 * OUTBOUND_BENCH_RUNS times (default 3: its targets must hold in every run). At 30/s the stand-in enforces
 * all three of Telegram's limits (30/s overall, 1/s per chat, 20/min per group) and the traffic meets each:
 * besides one reminder per person, a burst of 5 more notices to one person and a burst of 24 lines into
 * one topic of a forum group, all due at once. The bot's replies and the worker's notices share one
 * global budget in Redis (infra/telegram/send-budget.ts).
 * The bot and the worker run as their own processes (dist/bot/main.js, dist/worker/main.js), as in
 * production, configured as in production: TELEGRAM_RATE_LIMIT is the stand-in's limit and the worker
 * takes its default share of it (OUTBOUND_RATE_PER_SECOND unset), the rest being the bot's.
 * People send /help all through the fan-out, at evenly spaced moments; each is a real update through the
 * bot process and a real reply through the stand-in. Prints achieved rate / the worker's configured rate
 * (target ≥ 0.95), 429s (target 0; the worker's and those on the bot's replies apart), lost and doubled
 * reminders (target 0), /help replies that never came, and interactive p99 during the fan-out / idle p99
 * (target ≤ 2). Never asserts; a failure is reported as a row, and the table is always printed.
 */
const TOKEN = '123456:BENCH-token';
/** /help samples wanted while idle and during a fan-out: enough that the p99 is not just the maximum. */
const SAMPLES = 250;
/** The people asking: a chat may get one message a second at Telegram, so asks go round these chats. */
const ASKERS = 5;
const ASK_TIMEOUT_MS = 30_000;

interface Scenario {
  label: string;
  count: number;
  /** Extra notices to the first person, all due at once (Telegram: 1 a second into one chat). */
  burstToOne: number;
  /** Lines into one topic of a forum group, all due at once (Telegram: 20 a minute into one group). */
  groupBurst: number;
  /** The stand-in's global limit, and TELEGRAM_RATE_LIMIT. */
  telegramPerSecond: number;
  concurrency: number;
}

function scenarios(): Scenario[] {
  const count = Number(process.env.OUTBOUND_BENCH_COUNT ?? 100_000);
  const small = Number(process.env.OUTBOUND_BENCH_SMALL_COUNT ?? 300);
  // The raised limit is what this 2-core machine sustains with the stand-in, bot, worker, PostgreSQL and
  // Redis on the same cores.
  const limit = Number(process.env.OUTBOUND_BENCH_LIMIT ?? 480);
  const only = process.env.OUTBOUND_BENCH_ONLY; // 'big' | 'small'
  // The run at Telegram's real limits is repeated (OUTBOUND_BENCH_RUNS, default 3): its targets must hold every time.
  const runs = Number(process.env.OUTBOUND_BENCH_RUNS ?? 3);
  const big: Scenario = {
    label: `${count.toLocaleString('en-US')} @ ${limit}/s`,
    count,
    telegramPerSecond: limit,
    concurrency: 64,
    burstToOne: 0,
    groupBurst: 0,
  };
  const real = Array.from({ length: runs }, (_, i): Scenario => ({
    label: `${small.toLocaleString('en-US')} @ 30/s, run ${i + 1} of ${runs}`,
    count: small,
    telegramPerSecond: 30,
    concurrency: 8,
    burstToOne: 5,
    groupBurst: 24,
  }));
  return [...(only === 'small' ? [] : [big]), ...(only === 'big' ? [] : real)];
}

export const bench: Bench = {
  name: 'outbound fan-out',
  async run() {
    const rows: BenchRow[] = [];
    const work = mkdtempSync(path.join(tmpdir(), 'nmo-bench-outbound-'));
    // The local cluster runs as the postgres user, which must reach its folder inside this one.
    chmodSync(work, 0o755);
    const postgres: RunningPostgres = hasLocalPostgres()
      ? await startLocalPostgres({ dir: path.join(work, 'pg') })
      : await startEmbeddedPostgres({});
    const redis = await startRedis({ dir: path.join(work, 'redis') });
    try {
      await applyMigrations(postgres.url);
      let firstChatId = 1_000_000;
      for (const scenario of scenarios()) {
        rows.push(...(await runScenario(scenario, postgres.url, redis, work, firstChatId)));
        firstChatId += scenario.count;
      }
    } catch (error) {
      rows.push({ metric: 'failed', value: error instanceof Error ? error.message.split('\n')[0] : String(error) });
    } finally {
      await bounded('redis stop', redis.stop());
      await bounded('postgres stop', postgres.stop());
      rmSync(work, { recursive: true, force: true });
    }
    return rows;
  },
};

async function runScenario(s: Scenario, databaseUrl: string, redis: RunningRedis, work: string, firstChatId: number): Promise<BenchRow[]> {
  const label = s.label;
  const workerRate = outboundRateFor(s.telegramPerSecond);
  const standin = new BotApiStandin({ token: TOKEN, defaultWaitMs: ASK_TIMEOUT_MS });
  const { apiRoot } = await standin.start();
  const askerIds = Array.from({ length: ASKERS }, (_, i) => 42 + i);
  // What each chat must receive exactly (people's chats, and the group's), and what it did.
  const expected = new Map<number, number>();
  const sent = new Map<number, number>();
  const reminderTimes: number[] = [];
  let workerRateLimited = 0;
  let botRateLimited = 0;
  standin.subscribe((event) => {
    if (event.type !== 'call') return;
    const { call } = event;
    if (call.chatId === undefined) return;
    if (!call.ok && call.error?.error_code === 429) {
      if (askerIds.includes(call.chatId)) botRateLimited++;
      else workerRateLimited++;
      const where =
        call.chatId < 0
          ? 'a group'
          : call.chatId === firstChatId
            ? 'the person with a burst'
            : askerIds.includes(call.chatId)
              ? 'an asker'
              : 'a person';
      console.error(
        `outbound bench: ${label}: 429 on ${call.method} to ${where} at ${new Date().toISOString()}: ${call.error.description}`,
      );
    }
    if (call.method !== 'sendMessage' || !call.ok || !expected.has(call.chatId)) return;
    // The person with a burst gets theirs a second apart whatever the rate: not part of the fan-out's pace.
    if (call.chatId > firstChatId && call.chatId < firstChatId + s.count) reminderTimes.push(Date.now());
    sent.set(call.chatId, (sent.get(call.chatId) ?? 0) + 1);
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
    // As in production: the limit is Telegram's (here the stand-in's); the worker's rate is its default share.
    TELEGRAM_RATE_LIMIT: String(s.telegramPerSecond),
    OUTBOUND_RATE_PER_SECOND: '',
    OUTBOUND_CONCURRENCY: String(s.concurrency),
  };
  const db = createDatabase(databaseUrl, { max: 4 });
  const queue = new Queue<OutboundJob>(QUEUE.outbound, { connection: redisConnectionOptions(redis.url), prefix });
  let bot: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const clearer = setInterval(() => standin.clearCalls(), 2000);
  const rows: BenchRow[] = [];
  let idle: Asked = { samples: [], lost: 0 };
  let busy: Asked = { samples: [], lost: 0 };
  let fanOutMs = NaN;
  try {
    const webhookSet = standin.waitForCall('setWebhook', { timeoutMs: 60_000 });
    bot = startProcess('bot', env);
    await webhookSet;
    const askers = askerIds.map((id) => standin.user({ id, first_name: 'Анна', language_code: 'ru' }));
    // A few asks warm the bot up (JIT, connection pools) before the idle samples count.
    await ask(standin, askers, () => false, 10, 0);
    idle = await ask(standin, askers, () => false, SAMPLES, 100);

    await createReminders(db, standin, queue, s.count, firstChatId);
    for (let i = 0; i < s.count; i++) expected.set(firstChatId + i, 1);
    if (s.burstToOne > 0) {
      await createBurstToOne(db, queue, firstChatId, s.burstToOne);
      expected.set(firstChatId, 1 + s.burstToOne);
    }
    if (s.groupBurst > 0) {
      const groupId = -1_009_000_000_000 - firstChatId;
      await createGroupBurst(db, standin, queue, groupId, s.groupBurst);
      expected.set(groupId, s.groupBurst);
    }
    const total = [...expected.values()].reduce((a, b) => a + b, 0);
    const delivered = () => [...sent.values()].reduce((a, b) => a + b, 0);
    // All three of Telegram's limits, as the stand-in counts them: over all chats, per chat, per group.
    standin.setRateLimit({ perSecond: s.telegramPerSecond, perChatPerSecond: 1, perGroupPerMinute: 20 });
    standin.resetStats();
    workerRateLimited = 0;
    botRateLimited = 0;
    const started = Date.now();
    worker = startProcess('worker', env);
    const done = () => [...expected].every(([chat, n]) => (sent.get(chat) ?? 0) >= n);
    // Asks spread evenly over the fan-out's expected length, SAMPLES of them, but never more often than
    // half the headroom the worker leaves (a chat gets at most one a second: they go round ASKERS chats).
    const expectedMs = (s.count / workerRate) * 1000;
    const headroom = s.telegramPerSecond - workerRate;
    const every = Math.max(expectedMs / SAMPLES, 1000 / Math.max(1, headroom / 2), 1000 / ASKERS);
    busy = await ask(standin, askers, () => done() || worker?.exitCode !== null, Infinity, every, true);
    // The group's burst beyond 20 waits for its minute.
    await waitUntil(done, Math.max(120_000, expectedMs * 3) + (s.groupBurst > 20 ? 60_000 : 0));
    console.error(`outbound bench: ${label}: ${delivered()} of ${total} delivered`);
    fanOutMs = Date.now() - started;
    // Give late duplicates a moment to show.
    await new Promise((r) => setTimeout(r, 2000));
  } catch (error) {
    rows.push({ metric: `${label}: failed`, value: error instanceof Error ? error.message.split('\n')[0] : String(error) });
  } finally {
    clearInterval(clearer);
    await bounded('worker stop', stopProcess(worker));
    await bounded('bot stop', stopProcess(bot));
    await bounded(
      'queue obliterate',
      queue.obliterate({ force: true }).catch(() => undefined),
    );
    await bounded('queue close', queue.close());
    await bounded(
      'notifications cleanup',
      db.notification.deleteMany({}).then(() => undefined),
    );
    await bounded('database disconnect', db.$disconnect());
    await bounded('stand-in stop', standin.stop());
  }

  const stats = standin.stats();
  // The rate of the fan-out itself: the reminders (one per person) from the first to the last.
  const achieved = (reminderTimes.length - 1) / ((reminderTimes[reminderTimes.length - 1] - reminderTimes[0]) / 1000);
  let lost = 0;
  let doubled = 0;
  for (const [chat, n] of expected) {
    const got = sent.get(chat) ?? 0;
    lost += Math.max(0, n - got);
    doubled += Math.max(0, got - n);
  }
  const idleP99 = percentile(idle.samples, 0.99);
  const busyP99 = percentile(busy.samples, 0.99);
  rows.push(
    {
      metric: `${label}: delivered (reminders + ${s.burstToOne} to one person + ${s.groupBurst} into one group topic)`,
      value: [...sent.values()].reduce((a, b) => a + b, 0),
    },
    { metric: `${label}: fan-out took`, value: fanOutMs / 1000, unit: 's' },
    { metric: `${label}: achieved rate`, value: achieved, unit: 'msg/s' },
    {
      metric: `${label}: achieved / worker's configured rate ${workerRate}/s = 5/6 of the limit (target ≥ 0.95)`,
      value: achieved / workerRate,
      unit: '×',
    },
    { metric: `${label}: achieved / stand-in's limit ${s.telegramPerSecond}/s`, value: achieved / s.telegramPerSecond, unit: '×' },
    { metric: `${label}: max sent in any 1 s (worker + bot) / limit`, value: stats.maxSentPerSecond / s.telegramPerSecond, unit: '×' },
    { metric: `${label}: 429s to the worker (target 0)`, value: workerRateLimited },
    { metric: `${label}: 429s to the bot's replies (target 0)`, value: botRateLimited },
    { metric: `${label}: lost (target 0)`, value: lost },
    { metric: `${label}: doubled (target 0)`, value: doubled },
    { metric: `${label}: /help replies that never came (idle + busy, target 0)`, value: idle.lost + busy.lost },
    { metric: `${label}: /help p99 idle (${idle.samples.length} asks)`, value: idleP99, unit: 'ms' },
    { metric: `${label}: /help p50 during fan-out`, value: percentile(busy.samples, 0.5), unit: 'ms' },
    { metric: `${label}: /help p99 during fan-out (${busy.samples.length} asks)`, value: busyP99, unit: 'ms' },
    { metric: `${label}: p99 busy / idle (target ≤ 2)`, value: busyP99 / idleP99, unit: '×' },
  );
  return rows;
}

/** More notices to one person, all due now: the worker must space them a second apart. */
async function createBurstToOne(db: Database, queue: Queue<OutboundJob>, chatId: number, count: number): Promise<void> {
  const identity = await db.telegramIdentity.findUniqueOrThrow({ where: { telegramUserId: BigInt(chatId) } });
  const dueAt = new Date(Date.now() - 60_000);
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.notification.createMany({
    data: ids.map((id, i) => ({
      id,
      idempotencyKey: `${identity.personId}:credits.period-end:burst-${i}:bench`,
      personId: identity.personId,
      kind: 'credits.period-end',
      dueAt,
      payload: { daysLeft: 7 - i, remaining: 12, periodEnd: '2027-03-14', ignoreQuietHours: false },
    })),
  });
  await new QueueOutboundDispatch(queue).dispatchMany(ids.map((id) => ({ id, dueAt })));
}

/** A burst of lines into one topic of a forum group (the support group): 20 a minute get through. */
async function createGroupBurst(
  db: Database,
  standin: BotApiStandin,
  queue: Queue<OutboundJob>,
  groupId: number,
  count: number,
): Promise<void> {
  const group = standin.group({ id: groupId, title: 'Поддержка (bench)', is_forum: true });
  const threadId = await group.createTopic('Заявка');
  const dueAt = new Date(Date.now() - 60_000);
  const ids = Array.from({ length: count }, () => randomUUID());
  await db.notification.createMany({
    data: ids.map((id, i) => ({
      id,
      idempotencyKey: `group.line:bench:${groupId}:${i}`,
      chatId: BigInt(groupId),
      threadId,
      chain: `group:thread:${threadId}`,
      kind: GROUP_LINE_KIND,
      dueAt,
      payload: { line: 'support.group.note-empty' },
    })),
  });
  await new QueueOutboundDispatch(queue).dispatchMany(ids.map((id) => ({ id, dueAt })));
}

/** People, their chats at the stand-in, and one due reminder each (rows + jobs, in batches). */
async function createReminders(
  db: Database,
  standin: BotApiStandin,
  queue: Queue<OutboundJob>,
  count: number,
  firstChatId: number,
): Promise<void> {
  const dispatch = new QueueOutboundDispatch(queue);
  const dueAt = new Date(Date.now() - 60_000);
  for (let i = 0; i < count; i += 2000) {
    const page = Array.from({ length: Math.min(2000, count - i) }, (_, k) => ({
      personId: randomUUID(),
      notificationId: randomUUID(),
      chatId: firstChatId + i + k,
    }));
    await db.person.createMany({
      data: page.map((p) => ({ id: p.personId, quietHoursStart: 0, quietHoursEnd: 0, onboardingStep: 'LINKED' as const })),
    });
    await db.telegramIdentity.createMany({
      data: page.map((p) => ({ telegramUserId: BigInt(p.chatId), chatId: BigInt(p.chatId), personId: p.personId })),
    });
    await db.notification.createMany({
      data: page.map((p) => ({
        id: p.notificationId,
        idempotencyKey: `${p.personId}:credits.period-end:-:bench`,
        personId: p.personId,
        kind: 'credits.period-end',
        dueAt,
        payload: { daysLeft: 7, remaining: 12, periodEnd: '2027-03-14', ignoreQuietHours: false },
      })),
    });
    for (const p of page) standin.user({ id: p.chatId, first_name: `U${p.chatId}`, language_code: 'ru' });
    await dispatch.dispatchMany(page.map((p) => ({ id: p.notificationId, dueAt })));
  }
}

function startProcess(name: 'bot' | 'worker', env: Record<string, string>): ChildProcess {
  const entry = path.resolve(__dirname, `../../${name}/main.js`);
  if (!existsSync(entry)) throw new Error(`${entry} not found: run through \`npm run bench\`, which builds first`);
  // As production starts them (bot-node-args.ts, worker-node-args.ts).
  const flags = name === 'bot' ? BOT_NODE_ARGS : WORKER_NODE_ARGS;
  return spawn(process.execPath, [...flags, entry], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'] });
}

/** Waits for a clean-up step at most 15 s: a stuck one is reported and left behind, never hangs the bench. */
async function bounded(what: string, step: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), 15_000)));
  try {
    if ((await Promise.race([step, timeout])) === 'timeout') console.error(`outbound bench: ${what} did not finish in 15 s; going on`);
  } catch (error) {
    console.error(`outbound bench: ${what} failed:`, error instanceof Error ? error.message : error);
  } finally {
    clearTimeout(timer);
  }
}

interface Asked {
  /** Round trips in ms: the update handed to the bot until its reply reached the stand-in. */
  samples: number[];
  /** Asks whose reply did not come within ASK_TIMEOUT_MS. */
  lost: number;
}

/**
 * Sends /help and waits for the answer, round the askers' chats, `times` times or until stop(). With
 * `paced` an ask starts every `everyMs` (the next at once if a reply took longer), else after a pause.
 */
async function ask(
  standin: BotApiStandin,
  askers: SimulatedUser[],
  stop: () => boolean,
  times: number,
  everyMs: number,
  paced = false,
): Promise<Asked> {
  const asked: Asked = { samples: [], lost: 0 };
  let next = performance.now();
  for (let i = 0; i < times && !stop(); i++) {
    const user = askers[i % askers.length];
    const start = performance.now();
    // Waiting from before the update is sent: the reply cannot slip past (or be cleared from the call log) unseen.
    const reply = user.waitForReply({ afterCallCount: standin.callCount(), timeoutMs: ASK_TIMEOUT_MS });
    try {
      await user.sendCommand('/help');
      await reply;
      asked.samples.push(performance.now() - start);
    } catch (error) {
      reply.catch(() => undefined);
      asked.lost++;
      console.error(`outbound bench: a /help reply did not come: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
    }
    next = paced ? Math.max(next + everyMs, performance.now()) : performance.now() + everyMs;
    while (!stop() && performance.now() < next) await new Promise((r) => setTimeout(r, Math.min(50, next - performance.now())));
  }
  return asked;
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
