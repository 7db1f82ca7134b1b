import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { createDatabase, type Database } from '../../core/shared/database';
import { NIGHTLY_SWEEP_JOB, QUEUE, redisConnectionOptions } from '../../infra/queues/queues';
import { BotApiStandin } from '../../standin';
import { applyMigrations } from '../db/migrate';
import { hasLocalPostgres, startLocalPostgres } from '../services/postgres';
import { startRedis, type RunningRedis } from '../services/redis';
import type { Bench, BenchRow } from './bench';
import { WORKER_NODE_ARGS } from './worker-node-args';
import { stopProcess } from './stop-process';

/**
 * The nightly sweep (R-RULES) measured from outside, as the issue (#18) measured it: real PostgreSQL and
 * Redis, N people × 50 entries seeded with generate_series, the worker as its own process(es) started from
 * dist/worker/main.js, the `nightly-sweep` job added to the maintenance queue as its 03:00 scheduler adds
 * it, done when the sweep and every batch it queued have finished (and then every snapshot is checked).
 *
 * Before the measured runs one untimed sweep writes everyone's first snapshot; each measured run then
 * starts from "yesterday's" snapshots (moved back a day, as a real night finds them), so it writes every
 * snapshot and notifies the people whose period end passes a milestone tonight.
 *
 * Prints, for 1 and 2 workers: wall time, people/s, CPU per person of the worker(s), PostgreSQL (every
 * process of the cluster, exited backends included) and Redis, peak RSS (VmHWM) per worker, notifications
 * created, and the load average. Never asserts: the numbers depend on the machine and on its other load.
 *
 * NIGHTLY_BENCH_PEOPLE (default 100,000), NIGHTLY_BENCH_ENTRIES (50), NIGHTLY_BENCH_WORKERS ("1,2"),
 * NIGHTLY_BENCH_NICE (the workers' WORKER_NICE, default 0: measured alone, not yielding to the bot),
 * SWEEP_BATCH_SIZE and SWEEP_CONCURRENCY (passed to the workers), NIGHTLY_BENCH_WORKER_ENTRY (another
 * build's worker/main.js, to compare with it on the same data), NIGHTLY_BENCH_NODE_ARGS (node flags of the workers,
 * default as `npm run start:worker`: WORKER_NODE_ARGS).
 */
const TOKEN = '123456:BENCH-token';
const ORGANIZATIONS = 50;
const POLL_MS = 100;

interface Settings {
  people: number;
  entries: number;
  workers: number[];
  nice: string;
  workerEntry: string;
  nodeArgs: string[];
  passThrough: Record<string, string>;
}

export function settings(): Settings {
  const passThrough: Record<string, string> = {};
  for (const key of ['SWEEP_BATCH_SIZE', 'SWEEP_CONCURRENCY']) if (process.env[key]) passThrough[key] = process.env[key]!;
  return {
    people: Number(process.env.NIGHTLY_BENCH_PEOPLE ?? 100_000),
    entries: Number(process.env.NIGHTLY_BENCH_ENTRIES ?? 50),
    workers: (process.env.NIGHTLY_BENCH_WORKERS ?? '1,2')
      .split(',')
      .map(Number)
      .filter((n) => n > 0),
    nice: process.env.NIGHTLY_BENCH_NICE ?? '0',
    workerEntry: path.resolve(process.env.NIGHTLY_BENCH_WORKER_ENTRY ?? path.join(__dirname, '../../worker/main.js')),
    // As `npm run start:worker` and docker-compose start the worker (worker/memory.ts).
    nodeArgs: process.env.NIGHTLY_BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? [...WORKER_NODE_ARGS],
    passThrough,
  };
}

interface RunResult {
  workers: number;
  wallMs: number;
  workerCpuMs: number;
  postgresCpuMs: number;
  redisCpuMs: number;
  peakRssMb: number[];
  notifications: number;
  snapshotsUpdated: number;
  failedBatches: number;
  loadBefore: number[];
  loadAfter: number[];
}

export const bench: Bench = {
  name: 'nightly sweep',
  async run() {
    const s = settings();
    if (!hasLocalPostgres())
      throw new Error('the nightly bench needs PostgreSQL binaries (apt-get install postgresql): an embedded one says nothing about CPU');
    if (!existsSync(s.workerEntry))
      throw new Error(`${s.workerEntry} not found: run through \`npm run bench -- nightly\`, which builds first`);
    const rows: BenchRow[] = [];
    const work = mkdtempSync(path.join(tmpdir(), 'nmo-bench-nightly-'));
    // The local cluster runs as the postgres user, which must reach its folder inside this one.
    chmodSync(work, 0o755);
    const postgres = await startLocalPostgres({ dir: path.join(work, 'pg') });
    const redis = await startRedis({ dir: path.join(work, 'redis') });
    const standin = new BotApiStandin({ token: TOKEN });
    const db = createDatabase(postgres.url, { max: 4 });
    try {
      const { apiRoot } = await standin.start();
      await applyMigrations(postgres.url);
      const seedStarted = Date.now();
      await seed(db, s.people, s.entries);
      rows.push({ metric: 'seeded people × entries', value: `${s.people.toLocaleString('en-US')} × ${s.entries}` });
      rows.push({ metric: 'seeding took', value: (Date.now() - seedStarted) / 1000, unit: 's' });
      const env = workerEnv(postgres.url, redis.url, apiRoot, work, s);

      const first = await sweep(db, redis, env, Math.max(...s.workers), s);
      rows.push({
        metric: `first sweep, no snapshots yet (${first.workers} workers, untimed setup)`,
        value: first.wallMs / 1000,
        unit: 's',
      });

      const results: RunResult[] = [];
      for (const workers of s.workers) {
        await asIfYesterday(db);
        const result = await sweep(db, redis, env, workers, s);
        results.push(result);
        rows.push(...rowsOf(result, s.people));
      }
      printTable(results, s);
    } catch (error) {
      console.error(error);
      const message = error instanceof Error ? error.message : String(error);
      // Prisma's messages end with the database's own words.
      rows.push({
        metric: 'failed',
        value:
          message
            .split('\n')
            .filter((line) => line.trim() !== '')
            .pop() ?? message,
      });
    } finally {
      await db.$disconnect().catch(() => undefined);
      await standin.stop().catch(() => undefined);
      await redis.stop().catch(() => undefined);
      await postgres.stop().catch(() => undefined);
      rmSync(work, { recursive: true, force: true });
    }
    return rows;
  },
};

export function workerEnv(databaseUrl: string, redisUrl: string, apiRoot: string, work: string, s: Settings): Record<string, string> {
  return {
    TELEGRAM_BOT_TOKEN: TOKEN,
    TELEGRAM_API_ROOT: apiRoot,
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: `n${randomBytes(4).toString('hex')}`,
    DATA_DIR: path.join(work, 'data'),
    DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'warn',
    WORKER_NICE: s.nice,
    SEND_STARTUP_COMMANDS: 'false',
    ...s.passThrough,
  };
}

/**
 * N linked people in 50 organizations (a general assignment each, a category-specific one in every fifth),
 * cycles that end from a few days to nearly five years from today (5 % unknown), and `entries` entries
 * each: 10 % ПК of 16–144 hours, 60 % ИОМ, 30 % events, dated from a year before the cycle to today;
 * 5 % rejected, 55 % verified. Deterministic (setseed), and fast: a few statements, no services.
 */
export async function seed(db: Database, people: number, entries: number): Promise<void> {
  await new RuleSetRepository(db).installShipped();
  await db.$executeRawUnsafe(`
    INSERT INTO "Organization" (id, code, name)
    SELECT md5('org' || i)::uuid, 'BENCH' || i, 'Bench hospital ' || i FROM generate_series(1, ${ORGANIZATIONS}) i`);
  await db.$executeRawUnsafe(`
    INSERT INTO "RuleSetAssignment" (id, "organizationId", category, "ruleSetCode")
    SELECT gen_random_uuid(), md5('org' || i)::uuid, NULL::"StaffCategory", 'nmo-709n' FROM generate_series(1, ${ORGANIZATIONS}) i
    UNION ALL
    SELECT gen_random_uuid(), md5('org' || i)::uuid, 'DOCTOR'::"StaffCategory", 'nmo-709n' FROM generate_series(5, ${ORGANIZATIONS}, 5) i`);
  // Indexes are built once at the end rather than maintained row by row: several times faster.
  const indexes = await db.$queryRaw<Array<{ name: string; definition: string }>>`
    SELECT indexname AS name, indexdef AS definition FROM pg_indexes
    WHERE schemaname = current_schema() AND tablename = 'CreditEntry' AND indexname <> 'CreditEntry_pkey'`;
  for (const index of indexes) await db.$executeRawUnsafe(`DROP INDEX "${index.name}"`);
  // Cycles started 0–1825 days ago: tonight some people are 180, 90, 30, 7 or 1 days from their period's end.
  const cycleStart = (i: string) => `CASE WHEN ${i} % 20 = 7 THEN NULL ELSE CURRENT_DATE - ((${i})::bigint * 7919 % 1826)::int END`;
  const chunk = 20_000;
  for (let from = 1; from <= people; from += chunk) {
    const to = Math.min(people, from + chunk - 1);
    // One connection for the seed and the inserts that draw from it; a slow machine may take minutes.
    await db.$transaction(
      async (tx) => {
        await tx.$executeRawUnsafe(`SELECT setseed(${(from % 1000) / 1000})`);
        await tx.$executeRawUnsafe(`
        INSERT INTO "Person" (id, "updatedAt", "onboardingStep", category, "organizationId", "lastAccreditationDate", "timeZone")
        SELECT md5('person' || i)::uuid, now(), 'LINKED',
               (ARRAY['DOCTOR','NURSE','NURSE','NURSE','PHARMACIST','LAB_TECHNICIAN']::"StaffCategory"[])[1 + i % 6],
               md5('org' || (1 + i % ${ORGANIZATIONS}))::uuid, ${cycleStart('i')},
               CASE WHEN i % 10 = 3 THEN 'Asia/Yekaterinburg' ELSE 'Europe/Moscow' END
        FROM generate_series(${from}, ${to}) i`);
        await tx.$executeRawUnsafe(`
        INSERT INTO "CreditEntry" (id, "personId", "creditTypeCode", quantity, "occurredOn", verification, "updatedAt")
        SELECT gen_random_uuid(), md5('person' || i)::uuid,
               CASE WHEN r < 0.1 THEN 'pk' WHEN r < 0.7 THEN 'iom' ELSE 'event' END,
               CASE WHEN r < 0.1 THEN (ARRAY[16, 18, 36, 72, 144])[1 + floor(q * 5)::int]
                    WHEN r < 0.7 THEN 1 + floor(q * 12) ELSE 1 + floor(q * 6) END,
               cycle - 365 + floor(d * (CURRENT_DATE - cycle + 366))::int,
               CASE WHEN v < 0.05 THEN 'REJECTED' WHEN v < 0.6 THEN 'VERIFIED' ELSE 'UNVERIFIED' END::"Verification",
               now()
        FROM (
          SELECT i, random() AS r, random() AS q, random() AS d, random() AS v,
                 COALESCE(${cycleStart('i')}, CURRENT_DATE - 1000) AS cycle
          FROM generate_series(${from}, ${to}) i, generate_series(1, ${entries}) k
        ) e`);
      },
      { timeout: 30 * 60_000, maxWait: 60_000 },
    );
  }
  for (const index of indexes) await db.$executeRawUnsafe(index.definition);
  await db.$executeRawUnsafe('VACUUM ANALYZE');
}

/** Last night's snapshots: every one a day older, so that tonight each is rewritten and milestones are passed. */
export async function asIfYesterday(db: Database): Promise<void> {
  await db.$executeRawUnsafe(`UPDATE "StatusSnapshot" SET "asOf" = "asOf" - 1, "daysLeft" = "daysLeft" + 1`);
  await db.$executeRawUnsafe('DELETE FROM "Notification"');
  await db.$executeRawUnsafe('VACUUM ANALYZE');
  await db.$executeRawUnsafe('CHECKPOINT');
}

export async function sweep(
  db: Database,
  redis: RunningRedis,
  env: Record<string, string>,
  workerCount: number,
  s: Settings,
): Promise<RunResult> {
  const people = s.people;
  const connection = redisConnectionOptions(redis.url);
  const prefix = env.REDIS_PREFIX;
  const maintenance = new Queue(QUEUE.maintenance, { connection, prefix });
  const batches = new Queue(QUEUE.sweep, { connection, prefix });
  const evaluation = new Queue(QUEUE.evaluation, { connection, prefix });
  const redisClient = new Redis(connection);
  const children: ChildProcess[] = [];
  try {
    // A previous run's batches of the same night would be taken for already done.
    await batches.obliterate({ force: true });
    for (let i = 0; i < workerCount; i++) children.push(startWorker(s, env));
    await waitFor(async () => (await maintenance.getWorkersCount()) >= workerCount, 60_000, 'the workers to start', children);
    // Let start-up work (schedulers, the reconciler's first pass, JIT of the boot path) settle before measuring.
    await new Promise((r) => setTimeout(r, 3000));

    const postgresPid = await postmasterPid(db);
    const redisPid = Number(/process_id:(\d+)/.exec(await redisClient.info('server'))?.[1]);
    const workerPids = children.map((c) => c.pid!);
    const loadBefore = loadavg();
    const cpuBefore = { workers: sumCpuMs(workerPids), postgres: clusterCpuMs(postgresPid), redis: sumCpuMs([redisPid]) };
    const startedAt = new Date();
    const started = performance.now();

    const job = await maintenance.add(NIGHTLY_SWEEP_JOB.name, {}, NIGHTLY_SWEEP_JOB.opts);
    await waitFor(
      async () => {
        const state = await job.getState();
        if (state === 'failed') throw new Error('the nightly-sweep job failed');
        if (state !== 'completed') return false;
        const open = [batches, evaluation].map((q) => q.getJobCounts('waiting', 'active', 'delayed', 'prioritized', 'waiting-children'));
        return (await Promise.all(open)).every((counts) => Object.values(counts).every((n) => n === 0));
      },
      30 * 60_000,
      'the sweep to finish',
      children,
    );
    const wallMs = performance.now() - started;
    const cpuAfter = { workers: sumCpuMs(workerPids), postgres: clusterCpuMs(postgresPid), redis: sumCpuMs([redisPid]) };
    const loadAfter = loadavg();
    const peakRssMb = workerPids.map(
      (pid) => Number(/VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? NaN) / 1024,
    );

    const [updated] = await db.$queryRaw<
      Array<{ n: bigint }>
    >`SELECT count(*) AS n FROM "StatusSnapshot" WHERE "updatedAt" >= ${startedAt}`;
    const notifications = await db.notification.count();
    const failedBatches = (await batches.getJobCounts('failed')).failed ?? 0;
    if (Number(updated.n) !== people) console.error(`nightly bench: ${updated.n} of ${people} snapshots updated`);
    return {
      workers: workerCount,
      wallMs,
      workerCpuMs: cpuAfter.workers - cpuBefore.workers,
      postgresCpuMs: cpuAfter.postgres - cpuBefore.postgres,
      redisCpuMs: cpuAfter.redis - cpuBefore.redis,
      peakRssMb,
      notifications,
      snapshotsUpdated: Number(updated.n),
      failedBatches,
      loadBefore,
      loadAfter,
    };
  } finally {
    await Promise.all(children.map(stopProcess));
    await maintenance.obliterate({ force: true }).catch(() => undefined);
    await Promise.all([maintenance.close(), batches.close(), evaluation.close()]);
    redisClient.disconnect();
  }
}

function startWorker(s: Settings, env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [...s.nodeArgs, s.workerEntry], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function waitFor(condition: () => Promise<boolean>, timeoutMs: number, what: string, children: ChildProcess[]): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (children.some((c) => c.exitCode !== null)) throw new Error(`a worker exited while waiting for ${what}`);
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs / 1000} s waiting for ${what}`);
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

const TICK_MS = 1000 / Number(execFileSync('getconf', ['CLK_TCK']).toString().trim() || 100);

/** utime + stime (+ the reaped children's with `children`) of a process, from /proc/<pid>/stat, in ms. */
function cpuMs(pid: number, children = false): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name, which may hold spaces: state is field 3, utime 14, stime 15, cutime 16, cstime 17.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const own = Number(fields[11]) + Number(fields[12]);
  return (children ? own + Number(fields[13]) + Number(fields[14]) : own) * TICK_MS;
}

function sumCpuMs(pids: number[]): number {
  return pids.reduce((sum, pid) => sum + cpuMs(pid), 0);
}

/**
 * Every process of the cluster: the postmaster with what it reaped (backends that exited, their CPU
 * included) and the live ones (backends, checkpointer, autovacuum, WAL writer).
 */
function clusterCpuMs(postmaster: number): number {
  let total = cpuMs(postmaster, true);
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === postmaster) total += cpuMs(Number(name));
    } catch {
      // The process ended while we looked: its CPU is now in the postmaster's reaped total.
    }
  }
  return total;
}

async function postmasterPid(db: Database): Promise<number> {
  const [{ pid }] = await db.$queryRaw<Array<{ pid: number }>>`SELECT pg_backend_pid() AS pid`;
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
}

function rowsOf(r: RunResult, people: number): BenchRow[] {
  const label = `${r.workers} worker${r.workers > 1 ? 's' : ''}`;
  const perPerson = (ms: number) => ms / people;
  return [
    { metric: `${label}: wall`, value: r.wallMs / 1000, unit: 's' },
    { metric: `${label}: people/s`, value: Math.round(people / (r.wallMs / 1000)) },
    { metric: `${label}: CPU per person, worker(s)`, value: perPerson(r.workerCpuMs), unit: 'ms' },
    { metric: `${label}: CPU per person, PostgreSQL`, value: perPerson(r.postgresCpuMs), unit: 'ms' },
    { metric: `${label}: CPU per person, Redis`, value: perPerson(r.redisCpuMs), unit: 'ms' },
    { metric: `${label}: CPU per person, total`, value: perPerson(r.workerCpuMs + r.postgresCpuMs + r.redisCpuMs), unit: 'ms' },
    { metric: `${label}: peak RSS per worker`, value: r.peakRssMb.map((mb) => mb.toFixed(0)).join(' / '), unit: 'MB' },
    { metric: `${label}: notifications created`, value: r.notifications },
    { metric: `${label}: snapshots updated`, value: r.snapshotsUpdated },
    { metric: `${label}: batches failed`, value: r.failedBatches },
    { metric: `${label}: load average before / after`, value: `${r.loadBefore[0].toFixed(2)} / ${r.loadAfter[0].toFixed(2)}` },
  ];
}

/** The same numbers as one Markdown table, ready for README's performance section. */
function printTable(results: RunResult[], s: Settings): void {
  const f = (n: number, digits = 2) => n.toFixed(digits);
  console.log(
    `\nnightly sweep: ${s.people.toLocaleString('en-US')} people × ${s.entries} entries, ${cpus().length} cores (${cpus()[0]?.model.trim()}), ` +
      `WORKER_NICE=${s.nice}${s.nodeArgs.length > 0 ? `, node ${s.nodeArgs.join(' ')}` : ''}${Object.entries(s.passThrough)
        .map(([k, v]) => `, ${k}=${v}`)
        .join('')}\n`,
  );
  console.log(
    '| workers | wall | people/s | CPU per person: worker + PostgreSQL + Redis = total | peak RSS per worker | notifications | load avg before / after |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const r of results) {
    const per = (ms: number) => ms / s.people;
    console.log(
      `| ${r.workers} | ${f(r.wallMs / 1000, 1)} s | ${Math.round(s.people / (r.wallMs / 1000)).toLocaleString('en-US')} | ` +
        `${f(per(r.workerCpuMs), 3)} + ${f(per(r.postgresCpuMs), 3)} + ${f(per(r.redisCpuMs), 3)} = ${f(per(r.workerCpuMs + r.postgresCpuMs + r.redisCpuMs), 3)} ms | ` +
        `${r.peakRssMb.map((mb) => `${mb.toFixed(0)} MB`).join(' / ')} | ${r.notifications.toLocaleString('en-US')} | ` +
        `${f(r.loadBefore[0])} / ${f(r.loadAfter[0])} |`,
    );
  }
  console.log('');
}
