import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { inviteCodeHash, normaliseInviteCode } from '../../core/linking/invite-codes';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import { DEMO_ORGANIZATION, seedDemo } from '../../prisma/seed';
import { BotApiStandin, OUTPUT_METHODS, type SimulatedUser } from '../../standin';
import { applyMigrations } from '../db/migrate';
import { freePort } from '../services/free-port';
import { hasLocalPostgres, startLocalPostgres } from '../services/postgres';
import { startRedis } from '../services/redis';
import { RoundRobinProxy } from '../services/round-robin-proxy';
import { type Bench, type BenchRow, seededRandom } from './bench';
import { CpuMeter, memoryMb, systemCalls, type ThreadGroup, threadGroups, withDescendants } from './process-stats';
import { BOT_NODE_ARGS } from './bot-node-args';
import { WORKER_NODE_ARGS } from './worker-node-args';
import { stopProcess } from './stop-process';

/**
 * Inbound at scale (issue #14): the bot in webhook mode, as in production (dist/bot/main.js, the durable
 * intake, real PostgreSQL and Redis on this machine), against the Bot API stand-in answering every call at
 * once. People are linked through the bot (the whole onboarding journey), then an open-loop load of
 * /help 30 %, /credits 20 %, a button press 25 % and free text 25 % is offered at each INBOUND_BENCH_RATES
 * (default 100,300,1000 updates/s) for INBOUND_BENCH_SECONDS (default 10), or long enough to offer
 * INBOUND_BENCH_MIN_UPDATES (default 3,000; so 30 s at 100/s). Latency runs from the moment an
 * update was scheduled to the arrival of the bot's first answer to it at the stand-in, so a bot that falls
 * behind is charged for its queue. The same load goes to a bare grammY echo bot in the same run, and then
 * to two bot replicas behind a round-robin proxy at the highest rate. Prints; never asserts a time.
 *
 * Each bot (the bot, the echo, the replicas) first takes the mix at the lowest rate for
 * INBOUND_BENCH_WARMUP_SECONDS (default 20, 0 for none), printed on its own and kept out of the table: the
 * first seconds of traffic after a start are V8 compiling the paths they take (the bot's first 10 s at
 * 100/s cost 2.64 ms an update, the next 2.07, the third 1.85; the echo's path is a few functions).
 *
 * Env: INBOUND_BENCH_PEOPLE (1000), INBOUND_BENCH_RATES, INBOUND_BENCH_SECONDS, INBOUND_BENCH_REPLICAS
 * (set 0 to skip the replica run), INBOUND_BENCH_MIX (another mix, e.g. `credits=1`), INBOUND_BENCH_DRAIN_SECONDS (30: how long unanswered updates are waited for),
 * INBOUND_BENCH_CPU_PROF (a folder: bot processes write CPU profiles there), INBOUND_BENCH_DETAIL=1 (each
 * step also prints Redis commands by name, PostgreSQL's reads and writes by table, the bot's CPU and context
 * switches by thread, and its read and write system calls, per update).
 */
const TOKEN = '123456:INBOUND-bench';
const KINDS = ['help', 'credits', 'button', 'text'] as const;
type Kind = (typeof KINDS)[number];
/** The issue's mix; INBOUND_BENCH_MIX (e.g. `credits=1` or `help=0.5,text=0.5`) offers another, to see one kind's cost. */
const MIX: ReadonlyArray<{ kind: Kind; share: number }> = mixFrom(process.env.INBOUND_BENCH_MIX) ?? [
  { kind: 'help', share: 0.3 },
  { kind: 'credits', share: 0.2 },
  { kind: 'button', share: 0.25 },
  { kind: 'text', share: 0.25 },
];

function mixFrom(text: string | undefined): Array<{ kind: Kind; share: number }> | undefined {
  if (!text) return undefined;
  const mix = text.split(',').map((part) => {
    const [kind, share] = part.split('=');
    if (!(KINDS as readonly string[]).includes(kind) || !(Number(share) > 0)) {
      throw new Error(`INBOUND_BENCH_MIX: "${part}" is not kind=share with a kind of ${KINDS.join(', ')}`);
    }
    return { kind: kind as Kind, share: Number(share) };
  });
  const sum = mix.reduce((acc, m) => acc + m.share, 0);
  return mix.map((m) => ({ ...m, share: m.share / sum }));
}
/** Calls by which the bot answers: whatever changes the chat, and a button press's answer. */
const ANSWER_METHODS = new Set([...OUTPUT_METHODS, 'answerCallbackQuery']);
const FULL_NAME = 'Петрова Анна Сергеевна';

interface Settings {
  people: number;
  rates: number[];
  seconds: number;
  /** Updates a step offers at least: a step at a low rate runs longer than `seconds` (stepSeconds). */
  minUpdates: number;
  replicas: number;
  drainMs: number;
  warmUpSeconds: number;
}

function settings(): Settings {
  const list = (v: string | undefined, d: number[]) =>
    v
      ? v
          .split(',')
          .map(Number)
          .filter((n) => n > 0)
      : d;
  return {
    people: Number(process.env.INBOUND_BENCH_PEOPLE ?? 1000),
    rates: list(process.env.INBOUND_BENCH_RATES, [100, 300, 1000]),
    seconds: Number(process.env.INBOUND_BENCH_SECONDS ?? 10),
    minUpdates: Number(process.env.INBOUND_BENCH_MIN_UPDATES ?? 3000),
    replicas: Number(process.env.INBOUND_BENCH_REPLICAS ?? 2),
    drainMs: Number(process.env.INBOUND_BENCH_DRAIN_SECONDS ?? 30) * 1000,
    warmUpSeconds: Number(process.env.INBOUND_BENCH_WARMUP_SECONDS ?? 20),
  };
}

/**
 * How long a step at `rate` runs: INBOUND_BENCH_SECONDS, or longer where that would offer fewer than
 * INBOUND_BENCH_MIN_UPDATES (3,000). At 100/s ten seconds are 1,000 updates, and one slow spell of the
 * shared machine or one recompilation after a full collection moved such a step by a third (full runs of
 * one build read 1.27–2.51 ms per update there, 100 s steps 1.48–1.69); 30 s weigh them as the faster
 * steps' 3,000 and 10,000 updates do.
 */
function stepSeconds(s: Settings, rate: number): number {
  return Math.max(s.seconds, Math.ceil(s.minUpdates / rate));
}

/** What one load step measured. */
interface LoadResult {
  offered: number;
  sent: number;
  answered: number;
  sustained: number;
  p50: number;
  p99: number;
  unanswered: number;
  /** Answers the bench could not attribute to a pending update (should be 0: a sign of a miscount). */
  stray: number;
  cpuMsPerUpdate: number;
  /** The bot's (or echo's) own processes' share of cpuMsPerUpdate; the rest is PostgreSQL and Redis. */
  ownCpuMsPerUpdate: number;
  /** This process's (the stand-in's and the load's), not in cpuMsPerUpdate: it shares the cores all the same. */
  benchCpuMsPerUpdate: number;
  /** Commands Redis executed, per answered update (a pipeline's commands count one each). */
  redisCommandsPerUpdate: number;
  /** Transactions PostgreSQL committed, per answered update (a statement outside a transaction is one). */
  postgresTransactionsPerUpdate: number;
  load: string;
}

interface Counters {
  redisCommands(): Promise<number>;
  postgresTransactions(): Promise<number>;
  /** For INBOUND_BENCH_DETAIL: monotonic counts by name (`redis get`, `pg person scan`, `pg person write`). */
  detail(): Promise<Map<string, number>>;
}

/** A bot under test: its processes and how each kind of update is sent to a person. */
interface Target {
  label: string;
  /** Work done so far by Redis and PostgreSQL (monotonic counters), read before and after a step. */
  counters: Counters;
  /** The bot's (or echo's) processes. */
  pids: () => number[];
  /** PostgreSQL's and Redis's processes. */
  services: () => number[];
  /** Answering calls each kind of update causes (measured before the load, see calibrate). */
  answers: Record<Kind, number>;
  send(user: SimulatedUser, kind: Kind): void;
}

export const bench: Bench = {
  name: 'inbound at scale',
  async run() {
    if (!hasLocalPostgres()) throw new Error('the inbound bench needs PostgreSQL binaries (apt-get install postgresql)');
    const s = settings();
    const work = mkdtempSync(path.join(tmpdir(), 'nmo-bench-inbound-'));
    chmodSync(work, 0o755);
    const postgres = await startLocalPostgres({ dir: path.join(work, 'pg') });
    const redis = await startRedis({ dir: path.join(work, 'redis') });
    const standin = new BotApiStandin({ token: TOKEN, defaultWaitMs: 30_000 });
    const { apiRoot } = await standin.start();
    // Calls are observed as they happen; the log itself would only grow.
    const clearer = setInterval(() => standin.clearCalls(), 2000);
    const children: ChildProcess[] = [];
    const rows: BenchRow[] = [];
    const key = randomBytes(32);
    const db = createDatabase(postgres.url, { max: 4 });
    const postmaster = Number(readFileSync(path.join(work, 'pg', 'data', 'postmaster.pid'), 'utf8').split('\n')[0]);
    const services = () => [...withDescendants(postmaster), redis.pid];
    const statsClient = new Redis(redis.url, { lazyConnect: true });
    const counters: Counters = {
      async redisCommands() {
        const info = await statsClient.info('commandstats');
        // The INFO calls of this counter are Redis's work for the bench, not for the bot.
        return [...info.matchAll(/^cmdstat_(\w+):calls=(\d+)/gm)].reduce(
          (sum, [, name, calls]) => (name === 'info' ? sum : sum + Number(calls)),
          0,
        );
      },
      async postgresTransactions() {
        const [row] = await db.$queryRaw<Array<{ n: bigint }>>`SELECT sum(xact_commit)::bigint AS n FROM pg_stat_database`;
        return Number(row.n);
      },
      async detail() {
        const counts = new Map<string, number>();
        const info = await statsClient.info('commandstats');
        for (const [, name, calls] of info.matchAll(/^cmdstat_([\w|]+):calls=(\d+)/gm)) counts.set(`redis ${name}`, Number(calls));
        // Statistics reach pg_stat_user_tables with a delay of up to a second (stats_fetch_consistency aside).
        const tables = await db.$queryRaw<Array<{ name: string; scans: bigint; writes: bigint }>>`
          SELECT relname AS name, (coalesce(seq_scan, 0) + coalesce(idx_scan, 0))::bigint AS scans,
                 (n_tup_ins + n_tup_upd + n_tup_del)::bigint AS writes
          FROM pg_stat_user_tables`;
        for (const t of tables) {
          counts.set(`pg ${t.name} scan`, Number(t.scans));
          counts.set(`pg ${t.name} write`, Number(t.writes));
        }
        return counts;
      },
    };
    const start = (name: string, env: Record<string, string>) => {
      const child = startProcess(name, env);
      children.push(child);
      return child;
    };
    const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}`;
    console.log(`inbound bench on ${machine}; load average at start ${formatLoad()}`);
    try {
      await applyMigrations(postgres.url);
      const codes = await createRoster(db, new PersonalDataCipher(key), s.people);
      const botEnv = (port: number, webhookUrl: string, prefix = 'inb'): Record<string, string> => ({
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        BOT_MODE: 'webhook',
        WEBHOOK_URL: webhookUrl,
        WEBHOOK_SECRET: 'inbound-bench-secret',
        DATABASE_URL: postgres.url,
        REDIS_URL: redis.url,
        REDIS_PREFIX: prefix,
        DATA_DIR: path.join(work, 'data'),
        DATA_ENCRYPTION_KEY: key.toString('base64'),
        LOG_LEVEL: 'error',
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(port),
        NODE_ENV: 'production',
        // The stand-in answers at once and enforces no limit here: the bench measures the bot, not Telegram
        // (the send budget is still asked, one Redis call per message, as in production).
        TELEGRAM_RATE_LIMIT: '100000',
      });

      // ── the bot, one process ──
      const port = await freePort();
      let webhookSet = standin.waitForCall('setWebhook', { timeoutMs: 60_000 });
      const botStarted = Date.now();
      const bot = start('bot', botEnv(port, `http://127.0.0.1:${port}/telegram/webhook`));
      await webhookSet;
      await settle(3000);
      console.log(`bot RSS 3 s after its webhook was set: ${memoryMb(bot.pid!).rss.toFixed(0)} MB (the start's garbage still held)`);
      await settle(IDLE_SETTLE_MS - (Date.now() - botStarted));
      const botIdle = memoryMb(bot.pid!).rss;
      const users = await linkPeople(standin, codes, 25);
      // The tables' statistics as autovacuum keeps them in production (it analyses a table once a tenth
      // of it changed): the load meets a planner that knows the people just linked.
      await db.$executeRawUnsafe('ANALYZE');
      await settle(2000);
      const botLinked = memoryMb(bot.pid!).rss;
      const target = await botTarget(standin, users, () => [bot.pid!], services, counters, 'bot');
      const botIdleCpu = await idleCpu(target);
      const botWarmUp = await warmUp(standin, users, target, s);
      const botResults: LoadResult[] = [];
      for (const rate of s.rates) {
        const result = await offer(standin, users, target, rate, stepSeconds(s, rate), s.drainMs);
        botResults.push(result);
        printStep(target.label, result);
      }
      const botPeak = memoryMb(bot.pid!).peak;
      if (COMPARE) {
        await compare(standin, users, target, s, async (prefix) => {
          const otherPort = await freePort();
          const otherSet = standin.waitForCall('setWebhook', { timeoutMs: 60_000 });
          const other = startProcess(
            'bot',
            botEnv(otherPort, `http://127.0.0.1:${otherPort}/telegram/webhook`, prefix),
            COMPARE === 'this' ? undefined : COMPARE,
            COMPARE_FLAGS,
          );
          children.push(other);
          await otherSet;
          return other;
        });
      }
      await stopProcess(bot);
      // What an overloaded step left unanswered must not be the next step's load.
      await dropPendingUpdates(apiRoot);

      // ── two replicas behind one webhook URL ──
      let replicaResults: { one: LoadResult; two: LoadResult } | undefined;
      if (s.replicas >= 2) {
        const proxy = new RoundRobinProxy();
        const proxyUrl = await proxy.start();
        const replicas: ChildProcess[] = [];
        webhookSet = standin.waitForCall('setWebhook', { timeoutMs: 60_000 });
        for (let i = 0; i < s.replicas; i++) {
          const replicaPort = await freePort();
          proxy.add(`http://127.0.0.1:${replicaPort}`);
          // An update log of their own: the single bot's unanswered backlog is not theirs to clear.
          replicas.push(start('bot', botEnv(replicaPort, `${proxyUrl}/telegram/webhook`, 'inb2')));
        }
        await webhookSet;
        await settle(3000);
        const rate = Math.max(...s.rates);
        const replicated = { ...target, label: `${s.replicas} bots`, pids: () => replicas.map((r) => r.pid!) };
        await warmUp(standin, users, replicated, s);
        const two = await offer(standin, users, replicated, rate, stepSeconds(s, rate), s.drainMs);
        printStep(replicated.label, two);
        replicaResults = { one: botResults[s.rates.indexOf(rate)], two };
        for (const replica of replicas) await stopProcess(replica);
        await proxy.stop();
        await dropPendingUpdates(apiRoot);
      }

      // ── the bare grammY echo bot on the same stand-in ──
      const echoPort = await freePort();
      webhookSet = standin.waitForCall('setWebhook', { timeoutMs: 60_000 });
      const echoStarted = Date.now();
      const echo = start('echo', {
        TELEGRAM_BOT_TOKEN: TOKEN,
        TELEGRAM_API_ROOT: apiRoot,
        HTTP_PORT: String(echoPort),
        WEBHOOK_URL: `http://127.0.0.1:${echoPort}/`,
      });
      await webhookSet;
      await settle(IDLE_SETTLE_MS - (Date.now() - echoStarted));
      const echoIdle = memoryMb(echo.pid!).rss;
      const echoTarget = await echoTargetFor(standin, users, () => [echo.pid!], services, counters);
      const echoLinked = memoryMb(echo.pid!).rss;
      const echoIdleCpu = await idleCpu(echoTarget);
      const echoWarmUp = await warmUp(standin, users, echoTarget, s);
      const echoResults: LoadResult[] = [];
      for (const rate of s.rates) {
        const result = await offer(standin, users, echoTarget, rate, stepSeconds(s, rate), s.drainMs);
        echoResults.push(result);
        printStep(echoTarget.label, result);
      }
      const echoPeak = memoryMb(echo.pid!).peak;
      await stopProcess(echo);

      // ── the worker, idle ──
      const worker = start('worker', { ...botEnv(await freePort(), 'http://127.0.0.1:1/unused'), OUTBOUND_RATE_PER_SECOND: '' });
      await settle(IDLE_SETTLE_MS);
      const workerIdle = memoryMb(worker.pid!).rss;
      await stopProcess(worker);

      printTables(s, botResults, echoResults, { botIdle, botLinked, botPeak, echoIdle, echoLinked, echoPeak, workerIdle }, replicaResults);
      rows.push(
        ...toRows(s, botResults, echoResults, { botIdle, botLinked, botPeak, echoIdle, echoLinked, echoPeak, workerIdle }, replicaResults),
      );
      rows.push(
        { metric: 'bot idle: its own CPU', value: botIdleCpu.own, unit: 'ms/s' },
        { metric: 'echo idle: its own CPU', value: echoIdleCpu.own, unit: 'ms/s' },
        { metric: 'PostgreSQL and Redis idle, beside the bot', value: botIdleCpu.services, unit: 'ms/s' },
      );
      if (botWarmUp && echoWarmUp) {
        rows.push(
          { metric: `bot warm-up (first ${s.warmUpSeconds} s of traffic): CPU per update`, value: botWarmUp.cpuMsPerUpdate, unit: 'ms' },
          { metric: `echo warm-up (first ${s.warmUpSeconds} s of traffic): CPU per update`, value: echoWarmUp.cpuMsPerUpdate, unit: 'ms' },
        );
      }
      rows.push({ metric: 'machine', value: machine }, { metric: 'load average (1, 5, 15 min) at the end', value: formatLoad() });
    } finally {
      clearInterval(clearer);
      statsClient.disconnect();
      for (const child of children) await stopProcess(child);
      await db.$disconnect().catch(() => undefined);
      await standin.stop();
      await redis.stop();
      await postgres.stop();
      rmSync(work, { recursive: true, force: true });
    }
    return rows;
  },
};

/** The organization's roster: one entry and one invite code per person, as an HR import leaves them. */
async function createRoster(db: Database, cipher: PersonalDataCipher, people: number): Promise<string[]> {
  const { organizationId } = await seedDemo(db, cipher);
  const codes = Array.from({ length: people }, (_, i) => inviteCode(i));
  const expiresAt = new Date(Date.now() + 30 * 86_400_000);
  for (let i = 0; i < people; i += 500) {
    const page = codes.slice(i, i + 500).map((code, k) => ({ code, externalId: `B-${i + k}` }));
    await db.rosterEntry.createMany({
      data: page.map((p) => ({
        organizationId,
        externalId: p.externalId,
        fullName: FULL_NAME,
        category: 'NURSE' as const,
        lastAccreditationDate: new Date('2023-03-15T00:00:00Z'),
      })),
    });
    const entries = await db.rosterEntry.findMany({
      where: { organizationId, externalId: { in: page.map((p) => p.externalId) } },
      select: { id: true, externalId: true },
    });
    const idOf = new Map(entries.map((e) => [e.externalId, e.id]));
    await db.inviteCode.createMany({
      data: page.map((p) => ({
        organizationId,
        rosterEntryId: idOf.get(p.externalId)!,
        codeHash: inviteCodeHash(cipher, normaliseInviteCode(p.code)!),
        expiresAt,
      })),
    });
  }
  return codes;
}

/** A distinct valid invite code per index (the alphabet has no 0, 1, I, L, O). */
function inviteCode(i: number): string {
  const alphabet = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';
  let rest = i;
  let code = '';
  for (let k = 0; k < 8; k++) {
    code += alphabet[rest % alphabet.length];
    rest = Math.floor(rest / alphabet.length);
  }
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** Every person goes through onboarding in the bot, `concurrency` people at a time. */
async function linkPeople(standin: BotApiStandin, codes: string[], concurrency: number): Promise<SimulatedUser[]> {
  const users = codes.map((_, i) =>
    standin.user({ id: 9_000_000 + i, first_name: 'Анна', language_code: 'ru', phone: `+7916${String(i).padStart(7, '0')}` }),
  );
  let next = 0;
  const lane = async () => {
    while (next < users.length) {
      const i = next++;
      await linkOne(users[i], codes[i]);
    }
  };
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, lane));
  console.log(`linked ${users.length} people through the bot in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return users;
}

async function linkOne(user: SimulatedUser, code: string): Promise<void> {
  const step = async (action: () => Promise<unknown>, expected: string) => {
    await action();
    for (;;) {
      const message = await user.nextBotMessage({ timeoutMs: 30_000 });
      if ((message.text ?? '').includes(expected)) return;
    }
  };
  await step(() => user.sendCommand('/start'), 'Выберите язык');
  await step(() => user.pressButton('Русский'), 'Согласие на обработку');
  await step(() => user.pressButton('✅ Согласен(на)'), 'Отправьте свой номер');
  await step(() => user.pressReplyButton('📱 Отправить мой номер'), 'Введите фамилию');
  await step(() => user.sendText(FULL_NAME), 'Выберите вашу категорию');
  await step(() => user.pressButton('Медсестра / акушерка'), 'Введите код вашей организации');
  await step(() => user.sendText(DEMO_ORGANIZATION.code), 'одноразовый код');
  await step(() => user.sendText(code), 'Готово!');
}

/**
 * The real bot: each person opens /credits once (the chart message then carries the buttons a press
 * uses), and the answers each kind causes are counted on one person.
 */
async function botTarget(
  standin: BotApiStandin,
  users: SimulatedUser[],
  pids: () => number[],
  services: () => number[],
  counters: Counters,
  label: string,
): Promise<Target> {
  const historyButton = new Map<number, { messageId: number; data: string }>();
  await forEachLimited(users, 25, async (user) => {
    await user.sendCommand('/credits');
    for (;;) {
      const message = await user.nextBotMessage({ timeoutMs: 30_000 });
      const markup = message.reply_markup as { inline_keyboard?: Array<Array<{ text: string; callback_data?: string }>> } | undefined;
      const button = markup?.inline_keyboard?.flat().find((b) => b.text.includes('История') && b.callback_data);
      if (button) {
        historyButton.set(user.id, { messageId: message.message_id, data: button.callback_data! });
        return;
      }
    }
  });
  const target: Target = {
    label,
    counters,
    pids,
    services,
    answers: { help: 0, credits: 0, button: 0, text: 0 },
    send(user, kind) {
      if (kind === 'help') void user.sendCommand('/help', undefined, { wait: false }).catch(lostSend);
      else if (kind === 'credits') void user.sendCommand('/credits', undefined, { wait: false }).catch(lostSend);
      else if (kind === 'text') void user.sendText('Спасибо, всё понятно', { wait: false }).catch(lostSend);
      else void user.pressButton(historyButton.get(user.id)!, { wait: false }).catch(lostSend);
    },
  };
  target.answers = await calibrate(standin, users[0], target);
  return target;
}

async function echoTargetFor(
  standin: BotApiStandin,
  users: SimulatedUser[],
  pids: () => number[],
  services: () => number[],
  counters: Counters,
): Promise<Target> {
  const target: Target = {
    label: 'echo',
    counters,
    pids,
    services,
    answers: { help: 0, credits: 0, button: 0, text: 0 },
    send(user, kind) {
      if (kind === 'help') void user.sendCommand('/help', undefined, { wait: false }).catch(lostSend);
      else if (kind === 'credits') void user.sendCommand('/credits', undefined, { wait: false }).catch(lostSend);
      else if (kind === 'text') void user.sendText('Спасибо, всё понятно', { wait: false }).catch(lostSend);
      else void user.pressButton({ messageId: user.lastBotMessage()!.message_id, data: 'x' }, { wait: false }).catch(lostSend);
    },
  };
  // A warm-up, as the bot had with /credits: the echo's reply is the message a press refers to.
  await forEachLimited(users, 25, async (user) => {
    await user.sendCommand('/credits');
    await user.nextBotMessage({ timeoutMs: 30_000 });
  });
  target.answers = await calibrate(standin, users[0], target);
  return target;
}

/** Sends each kind once to one person, alone, and counts the answering calls it causes. */
async function calibrate(standin: BotApiStandin, user: SimulatedUser, target: Target): Promise<Record<Kind, number>> {
  const answers = { help: 0, credits: 0, button: 0, text: 0 };
  for (const kind of KINDS) {
    let count = 0;
    const stop = standin.subscribe((e) => {
      if (e.type === 'call' && e.call.ok && e.call.chatId === user.id && ANSWER_METHODS.has(e.call.method)) count++;
    });
    target.send(user, kind);
    await settle(1500);
    stop();
    answers[kind] = count;
  }
  console.log(`${target.label}: answering calls per update ${JSON.stringify(answers)}`);
  return answers;
}

/**
 * INBOUND_BENCH_COMPARE=<another build's dist folder, or `this` with INBOUND_BENCH_COMPARE_FLAGS>: that bot runs beside this one (its own
 * update log and sessions, the same people), and the two take turns at every rate, ABBA, for
 * INBOUND_BENCH_ROUNDS rounds: a difference smaller than the drift between separate runs shows in the
 * medians. Prints; asserts nothing.
 */
const COMPARE = process.env.INBOUND_BENCH_COMPARE;
/** Node flags for the bot of this build (INBOUND_BENCH_BOT_FLAGS) and the other (INBOUND_BENCH_COMPARE_FLAGS), space-separated: to try one. */
const BOT_FLAGS = (process.env.INBOUND_BENCH_BOT_FLAGS ?? '').split(' ').filter(Boolean);
const COMPARE_FLAGS = (process.env.INBOUND_BENCH_COMPARE_FLAGS ?? '').split(' ').filter(Boolean);
const ROUNDS = Number(process.env.INBOUND_BENCH_ROUNDS ?? 3);

async function compare(
  standin: BotApiStandin,
  users: SimulatedUser[],
  target: Target,
  s: Settings,
  startOther: (prefix: string) => Promise<ChildProcess>,
): Promise<void> {
  const mine = standin.webhook;
  const other = await startOther('inbcmp');
  const theirs = standin.webhook;
  await settle(IDLE_SETTLE_MS);
  const otherTarget: Target = { ...target, label: 'other build', pids: () => [other.pid!] };
  // Its first press of each kind, and a warm-up, as this bot had: nothing of a cold start in the rounds.
  standin.webhook = theirs;
  await offer(standin, users, otherTarget, Math.min(...s.rates), Math.max(5, s.warmUpSeconds), s.drainMs);
  // By rate, the rounds of each build, in order: round i of one is paired with round i of the other.
  const results = new Map(s.rates.map((rate) => [rate, { this: [] as LoadResult[], other: [] as LoadResult[] }]));
  for (let round = 0; round < ROUNDS; round++) {
    for (const rate of s.rates) {
      const order = round % 2 === 0 ? (['other', 'this'] as const) : (['this', 'other'] as const);
      for (const who of order) {
        standin.webhook = who === 'this' ? mine : theirs;
        const t = who === 'this' ? target : otherTarget;
        const r = await offer(standin, users, t, rate, s.seconds, s.drainMs);
        printStep(`${t.label} (round ${round + 1})`, r);
        results.get(rate)![who].push(r);
      }
    }
  }
  standin.webhook = mine;
  await stopProcess(other);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  for (const rate of s.rates) {
    const { this: a, other: b } = results.get(rate)!;
    const cpu = (rs: LoadResult[]) => rs.map((r) => r.cpuMsPerUpdate);
    const own = (rs: LoadResult[]) => rs.map((r) => r.ownCpuMsPerUpdate);
    const ratios = a.map((r, i) => r.cpuMsPerUpdate / b[i].cpuMsPerUpdate);
    console.log(
      `compare @ ${rate}/s over ${a.length} rounds: CPU ms/update mean this ${mean(cpu(a)).toFixed(2)} (own ${mean(own(a)).toFixed(2)}), ` +
        `other ${mean(cpu(b)).toFixed(2)} (own ${mean(own(b)).toFixed(2)}); this / other: of the means ${(mean(cpu(a)) / mean(cpu(b))).toFixed(3)}, ` +
        `median of the rounds ${median(ratios).toFixed(3)} [${ratios.map((x) => x.toFixed(2)).join(' ')}]`,
    );
  }
}

/**
 * The mix at the lowest rate for `warmUpSeconds`, printed and not counted: what a start costs before the
 * paths of the mix are compiled (see the header). Undefined when there is none.
 */
async function warmUp(standin: BotApiStandin, users: SimulatedUser[], target: Target, s: Settings): Promise<LoadResult | undefined> {
  if (!(s.warmUpSeconds > 0)) return undefined;
  const result = await offer(standin, users, target, Math.min(...s.rates), s.warmUpSeconds, s.drainMs);
  printStep(`${target.label} warm-up (${s.warmUpSeconds} s, not in the table)`, result);
  return result;
}

/**
 * CPU a second with no load at all, printed: what the timers of the processes and of PostgreSQL and Redis
 * cost whether or not updates come. At a rate r it adds (ms a second) / r to every update's CPU.
 */
async function idleCpu(target: Target): Promise<{ own: number; services: number }> {
  const own = new CpuMeter(target.pids);
  const services = new CpuMeter(target.services);
  await settle(1000);
  own.begin();
  services.begin();
  await settle(IDLE_CPU_MS);
  const result = { own: (own.elapsed() * 1000) / IDLE_CPU_MS, services: (services.elapsed() * 1000) / IDLE_CPU_MS };
  console.log(
    `${target.label} idle: CPU ${result.own.toFixed(1)} ms a second (PostgreSQL and Redis ${result.services.toFixed(1)}), ` +
      `${((result.own + result.services) / 100).toFixed(2)} ms per update at 100/s`,
  );
  return result;
}

/**
 * Offers `rate` updates a second for `seconds`, open loop: each update is sent at its scheduled moment
 * whether or not earlier ones were answered. People take turns, so one chat gets rate / people a second.
 */
async function offer(
  standin: BotApiStandin,
  users: SimulatedUser[],
  target: Target,
  rate: number,
  seconds: number,
  drainMs: number,
): Promise<LoadResult> {
  interface Pending {
    at: number;
    left: number;
    answered: boolean;
  }
  const pending = new Map<number, Pending[]>();
  const latencies: number[] = [];
  let stray = 0;
  let lastAnswerAt = 0;
  const stop = standin.subscribe((e) => {
    if (e.type !== 'call' || !e.call.ok || e.call.chatId === undefined || !ANSWER_METHODS.has(e.call.method)) return;
    const queue = pending.get(e.call.chatId);
    const head = queue?.[0];
    if (!head) {
      stray++;
      return;
    }
    const now = Date.now();
    if (!head.answered) {
      head.answered = true;
      latencies.push(Math.round(now - head.at));
      lastAnswerAt = now;
    }
    if (--head.left <= 0) queue!.shift();
  });
  const random = seededRandom(rate);
  const total = Math.round(rate * seconds);
  const meter = new CpuMeter(() => [...target.pids(), ...target.services()]);
  const own = new CpuMeter(target.pids);
  const bench = new CpuMeter(() => [process.pid]);
  await settle(1000);
  const redisBefore = await target.counters.redisCommands();
  const postgresBefore = await target.counters.postgresTransactions();
  const detailBefore = DETAIL ? await target.counters.detail() : undefined;
  const threadsBefore = DETAIL ? threadGroups(target.pids()) : undefined;
  const callsBefore = DETAIL ? systemCalls(target.pids()) : undefined;
  meter.begin();
  own.begin();
  bench.begin();
  const started = Date.now() + 50;
  let sent = 0;
  // CPU per update of every 10 s of the step, printed: how far the JIT still settles while it runs.
  const slices: number[] = [];
  let slice = { at: started + SLICE_MS, cpu: 0, sent: 0 };
  while (sent < total) {
    const now = Date.now();
    if (now >= slice.at) {
      const cpu = meter.elapsed();
      slices.push((cpu - slice.cpu) / Math.max(1, sent - slice.sent));
      slice = { at: slice.at + SLICE_MS, cpu, sent };
    }
    while (sent < total && started + (sent * 1000) / rate <= now) {
      const user = users[sent % users.length];
      const kind = pickKind(random());
      const queue = pending.get(user.id) ?? [];
      queue.push({ at: started + (sent * 1000) / rate, left: target.answers[kind], answered: false });
      pending.set(user.id, queue);
      target.send(user, kind);
      sent++;
    }
    // Asleep until the next update is due (or the slice ends): a load that woke every millisecond took
    // the shared cores from the bot under test 1,000 times a second whatever the rate.
    const next = Math.min(started + (sent * 1000) / rate, slice.at);
    await new Promise((r) => setTimeout(r, Math.max(1, next - Date.now())));
  }
  // The last 10 s end with the sending (what is left past the last whole slice, when a second or more).
  if (slices.length > 0 && sent - slice.sent >= rate) slices.push((meter.elapsed() - slice.cpu) / (sent - slice.sent));
  const deadline = Date.now() + drainMs;
  while (latencies.length < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const cpu = meter.elapsed();
  const ownCpu = own.elapsed();
  const benchCpu = bench.elapsed();
  const threadsAfter = DETAIL ? threadGroups(target.pids()) : undefined;
  const callsAfter = DETAIL ? systemCalls(target.pids()) : undefined;
  const redisCommands = (await target.counters.redisCommands()) - redisBefore;
  const postgresTransactions = (await target.counters.postgresTransactions()) - postgresBefore;
  // Late answering calls of answered updates (a chart after its text) belong to this step.
  await settle(1500);
  stop();
  if (detailBefore) printDetail(target.label, rate, detailBefore, await target.counters.detail(), latencies.length);
  if (threadsBefore) printThreads(target.label, rate, threadsBefore, threadsAfter!, latencies.length);
  if (callsBefore) {
    const per = (n: number) => (n / Math.max(1, latencies.length)).toFixed(2);
    const [reads, writes] = [callsAfter!.reads - callsBefore.reads, callsAfter!.writes - callsBefore.writes];
    console.log(`${target.label} @ ${rate}/s, system calls per update: ${per(reads)} reads, ${per(writes)} writes`);
  }
  if (slices.length > 1) {
    console.log(`${target.label} @ ${rate}/s, CPU ms per update sent, by 10 s: ${slices.map((ms) => ms.toFixed(2)).join(', ')}`);
  }
  const sorted = [...latencies].sort((a, b) => a - b);
  const pct = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : NaN);
  const spanS = Math.max(seconds, (lastAnswerAt - started) / 1000);
  return {
    offered: rate,
    sent,
    answered: latencies.length,
    sustained: latencies.length / spanS,
    p50: pct(0.5),
    p99: pct(0.99),
    unanswered: total - latencies.length,
    stray,
    cpuMsPerUpdate: cpu / Math.max(1, latencies.length),
    ownCpuMsPerUpdate: ownCpu / Math.max(1, latencies.length),
    benchCpuMsPerUpdate: benchCpu / Math.max(1, latencies.length),
    redisCommandsPerUpdate: redisCommands / Math.max(1, latencies.length),
    postgresTransactionsPerUpdate: postgresTransactions / Math.max(1, latencies.length),
    load: formatLoad(),
  };
}

const DETAIL = process.env.INBOUND_BENCH_DETAIL === '1';
const SLICE_MS = 10_000;

/** Per answered update: what changed between two detail readings, largest first (the settle time included). */
function printDetail(label: string, rate: number, before: Map<string, number>, after: Map<string, number>, answered: number): void {
  const rows = [...after]
    .map(([name, n]) => [name, (n - (before.get(name) ?? 0)) / Math.max(1, answered)] as const)
    .filter(([name, per]) => per >= 0.01 && name !== 'redis info')
    .sort((a, b) => b[1] - a[1]);
  console.log(`${label} @ ${rate}/s, per update: ${rows.map(([name, per]) => `${name} ${per.toFixed(2)}`).join(', ')}`);
}

function printThreads(
  label: string,
  rate: number,
  before: Map<string, ThreadGroup>,
  after: Map<string, ThreadGroup>,
  answered: number,
): void {
  const per = (n: number) => (n / Math.max(1, answered)).toFixed(2);
  const rows = [...after].map(([name, a]) => {
    const b = before.get(name) ?? { cpuMs: 0, voluntary: 0, involuntary: 0 };
    return `${name}: CPU ${per(a.cpuMs - b.cpuMs)} ms, switches ${per(a.voluntary - b.voluntary)} + ${per(a.involuntary - b.involuntary)} preempted`;
  });
  console.log(`${label} @ ${rate}/s, threads per update: ${rows.join('; ')}`);
}

/** A send that failed in the stand-in before reaching the bot shows as unanswered; say why once. */
let lostSends = 0;
function lostSend(error: unknown): void {
  if (lostSends++ === 0) console.error(`inbound bench: a send failed: ${error instanceof Error ? error.message : String(error)}`);
}

function pickKind(x: number): Kind {
  let acc = 0;
  for (const { kind, share } of MIX) {
    acc += share;
    if (x < acc) return kind;
  }
  return MIX[MIX.length - 1].kind;
}

interface Memory {
  botIdle: number;
  botLinked: number;
  botPeak: number;
  echoIdle: number;
  echoLinked: number;
  echoPeak: number;
  workerIdle: number;
}

function printStep(label: string, r: LoadResult): void {
  console.log(
    `${label} @ ${r.offered}/s: sustained ${r.sustained.toFixed(0)}/s, p50 ${r.p50} ms, p99 ${r.p99} ms, unanswered ${r.unanswered}, ` +
      `stray ${r.stray}, CPU ${r.cpuMsPerUpdate.toFixed(2)} ms/update (own ${r.ownCpuMsPerUpdate.toFixed(2)}; ` +
      `stand-in and load ${r.benchCpuMsPerUpdate.toFixed(2)}), per update: Redis commands ${r.redisCommandsPerUpdate.toFixed(1)}, ` +
      `PostgreSQL transactions ${r.postgresTransactionsPerUpdate.toFixed(1)}; load ${r.load}`,
  );
}

function printTables(s: Settings, bot: LoadResult[], echo: LoadResult[], m: Memory, replicas?: { one: LoadResult; two: LoadResult }): void {
  const ratio = (a: number, b: number) => (b > 0 ? `${(a / b).toFixed(2)}×` : '–');
  const lines = [
    `| offered | sustained/s (× echo) | p50 ms (× echo) | p99 ms (× echo) | unanswered (echo) | CPU ms/update (× echo) | load 1/5/15 |`,
    `|---|---|---|---|---|---|---|`,
    ...bot.map((b, i) => {
      const e = echo[i];
      return (
        `| ${b.offered}/s | ${b.sustained.toFixed(0)} (${ratio(b.sustained, e.sustained)}) | ${b.p50} (${ratio(b.p50, e.p50)}) | ` +
        `${b.p99} (${ratio(b.p99, e.p99)}) | ${b.unanswered} (${e.unanswered}) | ${b.cpuMsPerUpdate.toFixed(2)} (${ratio(b.cpuMsPerUpdate, e.cpuMsPerUpdate)}) | ${b.load} |`
      );
    }),
    '',
    `| RSS MB | idle | after linking ${s.people} (echo: after warm-up) | peak |`,
    `|---|---|---|---|`,
    `| bot | ${m.botIdle.toFixed(0)} (${ratio(m.botIdle, m.echoIdle)}) | ${m.botLinked.toFixed(0)} (${ratio(m.botLinked, m.echoLinked)}) | ${m.botPeak.toFixed(0)} (${ratio(m.botPeak, m.echoPeak)}) |`,
    `| echo | ${m.echoIdle.toFixed(0)} | ${m.echoLinked.toFixed(0)} | ${m.echoPeak.toFixed(0)} |`,
    `| worker | ${m.workerIdle.toFixed(0)} | | |`,
  ];
  if (replicas) {
    const { one, two } = replicas;
    lines.push(
      '',
      `| ${one.offered}/s offered | sustained/s | p50 ms | p99 ms | unanswered | CPU ms/update |`,
      `|---|---|---|---|---|---|`,
      `| 1 bot | ${one.sustained.toFixed(0)} | ${one.p50} | ${one.p99} | ${one.unanswered} | ${one.cpuMsPerUpdate.toFixed(2)} |`,
      `| ${s.replicas} bots behind a round-robin proxy | ${two.sustained.toFixed(0)} | ${two.p50} | ${two.p99} | ${two.unanswered} | ${two.cpuMsPerUpdate.toFixed(2)} |`,
      `| ratio | ${ratio(two.sustained, one.sustained)} | ${ratio(two.p50, one.p50)} | ${ratio(two.p99, one.p99)} | | ${ratio(two.cpuMsPerUpdate, one.cpuMsPerUpdate)} |`,
    );
  }
  console.log(lines.join('\n'));
}

function toRows(
  s: Settings,
  bot: LoadResult[],
  echo: LoadResult[],
  m: Memory,
  replicas?: { one: LoadResult; two: LoadResult },
): BenchRow[] {
  const rows: BenchRow[] = [];
  bot.forEach((b, i) => {
    const e = echo[i];
    const at = `${b.offered}/s offered`;
    rows.push(
      { metric: `${at}: sustained`, value: b.sustained, unit: '/s' },
      { metric: `${at}: sustained / echo`, value: b.sustained / e.sustained, unit: '×' },
      { metric: `${at}: p50`, value: b.p50, unit: 'ms' },
      { metric: `${at}: p99`, value: b.p99, unit: 'ms' },
      { metric: `${at}: p99 / echo`, value: b.p99 / e.p99, unit: '×' },
      { metric: `${at}: unanswered (echo ${e.unanswered})`, value: b.unanswered },
      { metric: `${at}: CPU per update`, value: b.cpuMsPerUpdate, unit: 'ms' },
      { metric: `${at}: CPU per update / echo`, value: b.cpuMsPerUpdate / e.cpuMsPerUpdate, unit: '×' },
      { metric: `${at}: of which the bot process itself (echo ${e.ownCpuMsPerUpdate.toFixed(2)})`, value: b.ownCpuMsPerUpdate, unit: 'ms' },
      {
        metric: `${at}: stand-in and load, per update (echo ${e.benchCpuMsPerUpdate.toFixed(2)})`,
        value: b.benchCpuMsPerUpdate,
        unit: 'ms',
      },
      { metric: `${at}: Redis commands per update (echo ${e.redisCommandsPerUpdate.toFixed(1)})`, value: b.redisCommandsPerUpdate },
      {
        metric: `${at}: PostgreSQL transactions per update (echo ${e.postgresTransactionsPerUpdate.toFixed(1)})`,
        value: b.postgresTransactionsPerUpdate,
      },
      { metric: `${at}: stray answers (bench miscount, expect 0)`, value: b.stray + e.stray },
    );
  });
  rows.push(
    { metric: 'bot RSS idle', value: m.botIdle, unit: 'MB' },
    { metric: `bot RSS after linking ${s.people}`, value: m.botLinked, unit: 'MB' },
    { metric: 'bot RSS peak', value: m.botPeak, unit: 'MB' },
    { metric: 'bot RSS idle / echo', value: m.botIdle / m.echoIdle, unit: '×' },
    { metric: 'bot RSS peak / echo', value: m.botPeak / m.echoPeak, unit: '×' },
    { metric: 'worker RSS idle', value: m.workerIdle, unit: 'MB' },
  );
  if (replicas) {
    rows.push(
      {
        metric: `${s.replicas} bots / 1 bot: sustained at ${replicas.one.offered}/s`,
        value: replicas.two.sustained / replicas.one.sustained,
        unit: '×',
      },
      { metric: `${s.replicas} bots / 1 bot: p99`, value: replicas.two.p99 / replicas.one.p99, unit: '×' },
      { metric: `${s.replicas} bots: unanswered`, value: replicas.two.unanswered },
    );
  }
  return rows;
}

function formatLoad(): string {
  return loadavg()
    .map((l) => l.toFixed(2))
    .join(' / ');
}

async function forEachLimited<T>(items: T[], concurrency: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Telegram's own way (deleteWebhook with drop_pending_updates): the stand-in forgets undelivered updates. */
async function dropPendingUpdates(apiRoot: string): Promise<void> {
  const response = await fetch(`${apiRoot}/bot${TOKEN}/deleteWebhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ drop_pending_updates: true }),
  });
  if (!response.ok) throw new Error(`deleteWebhook answered ${response.status}`);
}

function settle(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * How long the bot, the echo bot and the worker run, with nothing to do, before their idle RSS is read
 * (README, Performance): after the start's garbage is gone. The bot and the worker collect it with one
 * full collection at the end of their start (infra/collect-startup-garbage.ts), and V8 returns it when
 * its memory reducer next finds the process idle: 8 s later in some starts, 18 s in others (the bot at
 * 10 and 20 s, nine starts: 4 still at 161–166 MB at 10 s, one still at 163 MB at 20 s). Until then it
 * holds 20–40 MB of module loading and Prisma's compilation (the worker) and 40 MB of the same plus the
 * young generation the start grew (the bot). 30 s is past both.
 */
const IDLE_SETTLE_MS = 30_000;
/** How long idle CPU is measured (ticks of 10 ms each: 10 s reads to 1 ms a second). */
const IDLE_CPU_MS = 10_000;

function startProcess(
  name: string,
  env: Record<string, string>,
  otherBuild?: string,
  extraFlags = name === 'bot' ? BOT_FLAGS : [],
): ChildProcess {
  const entry = otherBuild
    ? path.resolve(otherBuild, `${name}/main.js`)
    : name === 'echo'
      ? path.resolve(__dirname, 'echo-bot.js')
      : path.resolve(__dirname, `../../${name}/main.js`);
  if (!existsSync(entry)) throw new Error(`${entry} not found: run through \`npm run bench\`, which builds first`);
  // INBOUND_BENCH_CPU_PROF=<folder>: the bot writes a V8 CPU profile there at exit (node --cpu-prof).
  const profile =
    process.env.INBOUND_BENCH_CPU_PROF && name === 'bot' ? ['--cpu-prof', `--cpu-prof-dir=${process.env.INBOUND_BENCH_CPU_PROF}`] : [];
  // The bot and the worker as production starts them (bot-node-args.ts, worker-node-args.ts); the echo bot
  // takes no flags.
  const flags = name === 'worker' ? WORKER_NODE_ARGS : name === 'bot' ? BOT_NODE_ARGS : [];
  return spawn(process.execPath, [...flags, ...extraFlags, ...profile, entry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}
