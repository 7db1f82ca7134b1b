import { randomBytes } from 'node:crypto';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplicationContext } from '@nestjs/common';
import { Queue } from 'bullmq';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { systemClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { loadConfig } from '../../infra/config/config';
import { QUEUE, QueueOutboundDispatch, redisConnectionOptions, type OutboundJob } from '../../infra/queues/queues';
import { BotApiStandin } from '../../standin';
import { startWorkerApp } from '../../worker/app';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { testRedisPrefix, testRedisUrl } from '../support/redis';
import { followChildOutput, type SpecLogging, specLogging } from '../support/spec-log';

const TOKEN = '123456:TEST-token';
const ROOT = path.resolve(__dirname, '../..');

export interface HarnessOptions {
  /** A numbered Redis database, for the one test that must FLUSHDB. Default: the shared one under a prefix. */
  redisDb?: number;
  /**
   * Servers of the caller's own, already migrated (the fault suite stops and restarts them): used as they
   * are and left for the caller to stop. Default: a fresh test database and the shared test Redis.
   */
  databaseUrl?: string;
  redisUrl?: string;
  env?: Record<string, string>;
}

/**
 * Real PostgreSQL, Redis and the Bot API stand-in around the outbound queue, with the worker run either
 * in this process or as a child process that can be SIGKILLed. It counts successful sendMessage calls
 * per chat, which is what "delivered" and "doubled" mean here.
 */
export class OutboundHarness {
  readonly standin = new BotApiStandin({ token: TOKEN, defaultWaitMs: 10_000 });
  readonly sentPerChat = new Map<number, number>();
  db!: Database;
  queue!: Queue<OutboundJob>;
  notifications!: NotificationsService;
  env!: Record<string, string>;
  private database?: TestDatabase;
  private dataDir!: string;
  private inProcess?: INestApplicationContext;
  private child?: ChildProcess;
  /** The workers' log: the spec's log file, printed if the spec fails (spec-log.ts). */
  private readonly logging: SpecLogging = specLogging();

  constructor(private readonly options: HarnessOptions = {}) {}

  async start(): Promise<void> {
    if (!this.options.databaseUrl) this.database = await createTestDatabase();
    const databaseUrl = this.options.databaseUrl ?? this.database!.url;
    this.dataDir = mkdtempSync(path.join(tmpdir(), 'nmo-failure-'));
    const { apiRoot } = await this.standin.start();
    this.standin.subscribe((event) => {
      if (event.type !== 'call') return;
      const { call } = event;
      if (call.method === 'sendMessage' && call.ok && call.chatId !== undefined)
        this.sentPerChat.set(call.chatId, (this.sentPerChat.get(call.chatId) ?? 0) + 1);
    });
    const prefix = testRedisPrefix();
    this.env = {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      DATABASE_URL: databaseUrl,
      REDIS_URL: this.options.redisUrl ?? testRedisUrl(this.options.redisDb),
      REDIS_PREFIX: prefix,
      DATA_DIR: this.dataDir,
      DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
      LOG_LEVEL: this.logging.level,
      OUTBOUND_RATE_PER_SECOND: '200',
      // The worker lowers its own priority in production; on a loaded test machine that starves it
      // for minutes, and what these tests check is delivery, not scheduling priority.
      WORKER_NICE: '0',
      ...this.options.env,
    };
    this.db = createDatabase(databaseUrl, { max: 4 });
    this.queue = new Queue<OutboundJob>(QUEUE.outbound, { connection: redisConnectionOptions(this.env.REDIS_URL), prefix });
    this.notifications = new NotificationsService(this.db, new QueueOutboundDispatch(this.queue), systemClock);
  }

  /** People with a private chat each (ids from `firstChatId`), no quiet hours, known to the stand-in. */
  async createPeople(count: number, firstChatId = 100_000): Promise<Array<{ personId: string; chatId: number }>> {
    const people = Array.from({ length: count }, (_, i) => ({ personId: crypto.randomUUID(), chatId: firstChatId + i }));
    for (let i = 0; i < people.length; i += 5000) {
      const page = people.slice(i, i + 5000);
      await this.db.person.createMany({
        data: page.map((p) => ({ id: p.personId, quietHoursStart: 0, quietHoursEnd: 0, onboardingStep: 'LINKED' as const })),
      });
      await this.db.telegramIdentity.createMany({
        data: page.map((p) => ({ telegramUserId: BigInt(p.chatId), chatId: BigInt(p.chatId), personId: p.personId })),
      });
    }
    for (const p of people) this.standin.user({ id: p.chatId, first_name: `U${p.chatId}`, language_code: 'ru' });
    return people;
  }

  /** One reminder per person, due now, through NotificationsService.schedule (row + job). */
  async scheduleReminders(people: ReadonlyArray<{ personId: string }>, kind = 'credits.period-end'): Promise<void> {
    const dueAt = new Date(Date.now() - 1000);
    for (let i = 0; i < people.length; i += 50) {
      await Promise.all(
        people.slice(i, i + 50).map((p) =>
          this.notifications.schedule({
            personId: p.personId,
            kind,
            dueAt,
            payload: { daysLeft: 7, remaining: 12, periodEnd: '2027-03-14' },
          }),
        ),
      );
    }
  }

  async startWorkerInProcess(): Promise<void> {
    this.inProcess = await startWorkerApp(loadConfig(this.env), { logDestination: this.logging.destination });
  }

  async stopWorkerInProcess(): Promise<void> {
    await this.inProcess?.close();
    this.inProcess = undefined;
  }

  /** The worker as production runs it (worker/main.ts), compiled on load by @swc/core. */
  startWorkerChild(): ChildProcess {
    const child = spawn(process.execPath, ['-r', path.join(ROOT, 'scripts/swc-register.js'), path.join(ROOT, 'worker/main.ts')], {
      cwd: ROOT,
      env: { ...process.env, ...this.env, NODE_ENV: 'test' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    for (const stream of [child.stdout, child.stderr]) followChildOutput(stream, 'worker');
    this.child = child;
    return child;
  }

  async killWorkerChild(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    await exited;
    this.child = undefined;
  }

  /** Successful sendMessage calls so far (all chats). */
  totalSent(): number {
    let total = 0;
    for (const n of this.sentPerChat.values()) total += n;
    return total;
  }

  async waitUntil(condition: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await condition())) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  async stop(): Promise<void> {
    await this.killWorkerChild().catch(() => undefined);
    await this.stopWorkerInProcess().catch(() => undefined);
    await this.queue?.obliterate({ force: true }).catch(() => undefined);
    await this.queue?.close();
    await this.standin.stop();
    await this.db?.$disconnect();
    await this.database?.drop();
    rmSync(this.dataDir, { recursive: true, force: true });
    this.logging.close();
  }
}
