import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import { seedDemo, DEMO_ORGANIZATION } from '../../prisma/seed';
import { applyMigrations } from '../../scripts/db/migrate';
import { freePort } from '../../scripts/services/free-port';
import { type RunningPostgres, startLocalPostgres } from '../../scripts/services/postgres';
import { type RunningRedis, startRedis } from '../../scripts/services/redis';
import { RoundRobinProxy } from '../../scripts/services/round-robin-proxy';
import { BotApiStandin, type SimulatedUser } from '../../standin';
import { BotProcess } from '../support/bot-process';

const TOKEN = '700100:FAULT-token';
export const SUPPORT_GROUP_ID = -1007001000001;

export interface BotSystemOptions {
  mode: 'webhook' | 'polling';
  env?: Record<string, string>;
}

/**
 * The bot in production shape for fault injection: PostgreSQL and Redis servers of its own (stopped and
 * started by the test; Redis keeps its append-only file as in production), the Bot API stand-in
 * delivering and redelivering as Telegram does, and bot processes (bot/main.ts) behind a round-robin
 * proxy at the webhook URL, which the test kills, stops and starts.
 */
export class BotSystem {
  readonly standin = new BotApiStandin({ token: TOKEN, defaultWaitMs: 120_000, webhookRetryDelaysMs: [100, 200, 400, 800, 1000] });
  readonly proxy = new RoundRobinProxy();
  readonly bots: Array<{ process: BotProcess; baseUrl: string }> = [];
  db!: Database;
  env!: Record<string, string>;
  private dir!: string;
  private postgres?: RunningPostgres;
  private redis?: RunningRedis;
  private pgPort!: number;
  private redisPort!: number;

  constructor(private readonly options: BotSystemOptions) {}

  async start(): Promise<void> {
    this.dir = mkdtempSync(path.join(tmpdir(), 'nmo-faults-'));
    // The postgres user must reach its cluster inside this folder.
    (await import('node:fs')).chmodSync(this.dir, 0o755);
    this.pgPort = await freePort();
    this.redisPort = await freePort();
    await this.startPostgres();
    await this.startRedis();
    const databaseUrl = this.postgres!.url;
    await applyMigrations(databaseUrl);
    const key = randomBytes(32);
    this.db = createDatabase(databaseUrl, { max: 4 });
    await seedDemo(this.db, new PersonalDataCipher(key), new Date());
    const { apiRoot } = await this.standin.start();
    const proxyUrl = await this.proxy.start();
    this.env = {
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      BOT_MODE: this.options.mode,
      WEBHOOK_URL: `${proxyUrl}/telegram/webhook`,
      WEBHOOK_SECRET: `fault-secret-${randomBytes(8).toString('hex')}`,
      DATABASE_URL: databaseUrl,
      REDIS_URL: `redis://127.0.0.1:${this.redisPort}`,
      DATA_DIR: path.join(this.dir, 'data'),
      DATA_ENCRYPTION_KEY: key.toString('base64'),
      SUPPORT_CHAT_ID: String(SUPPORT_GROUP_ID),
      SEND_STARTUP_COMMANDS: 'false',
      LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'warn',
      HTTP_HOST: '127.0.0.1',
      ...this.options.env,
    };
  }

  /** Starts one more bot process (a replica, or the replacement after a kill) and waits until it is ready. */
  async startBot(env: Record<string, string> = {}): Promise<BotProcess> {
    const port = await freePort();
    const baseUrl = `http://127.0.0.1:${port}`;
    const process = new BotProcess({ ...this.env, HTTP_PORT: String(port), ...env }, `bot${this.bots.length + 1}`);
    this.bots.push({ process, baseUrl });
    this.proxy.add(baseUrl);
    await process.ready(baseUrl);
    return process;
  }

  async stopPostgres(): Promise<void> {
    await this.postgres?.stop();
    this.postgres = undefined;
  }

  async startPostgres(): Promise<void> {
    this.postgres = await startLocalPostgres({ dir: path.join(this.dir, 'postgres'), port: this.pgPort });
  }

  async stopRedis(): Promise<void> {
    await this.redis?.stop();
    this.redis = undefined;
  }

  async startRedis(): Promise<void> {
    this.redis = await startRedis({ dir: path.join(this.dir, 'redis'), port: this.redisPort, appendOnly: true });
  }

  /** A linked nurse with an open support ticket: every free message of hers is relayed to the ticket. */
  async nurseWithTicket(telegramId: number): Promise<{ user: SimulatedUser; ticketId: string }> {
    const organization = await this.db.organization.findUniqueOrThrow({ where: { code: DEMO_ORGANIZATION.code } });
    const person = await this.db.person.create({
      data: {
        fullName: `Медсестра ${telegramId}`,
        onboardingStep: 'LINKED',
        organizationId: organization.id,
        language: 'ru',
        category: 'NURSE',
        telegramIdentities: { create: { telegramUserId: BigInt(telegramId), chatId: BigInt(telegramId) } },
      },
    });
    const ticket = await this.db.supportTicket.create({ data: { personId: person.id, openedAt: new Date(), topicId: 77 } });
    return { user: this.standin.user({ id: telegramId, first_name: 'Медсестра', language_code: 'ru' }), ticketId: ticket.id };
  }

  /**
   * What reached the ticket, in its order: the texts of the relays queued for the topic (the worker
   * sends them in this order, exactly once each: see test/failure) and of the ticket's record.
   */
  async relayed(ticketId: string): Promise<{ queued: string[]; recorded: string[] }> {
    const notices = await this.db.notification.findMany({
      where: { kind: 'support.relay', subjectId: ticketId },
      orderBy: { sequence: 'asc' },
    });
    const messages = await this.db.supportMessage.findMany({
      where: { ticketId, direction: 'FROM_PERSON' },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
    });
    return {
      queued: notices.map((n) => ((n.payload as { content?: { text?: string } }).content?.text ?? '').trim()),
      recorded: messages.map((m) => m.text ?? ''),
    };
  }

  async stop(): Promise<void> {
    for (const { process } of this.bots) if (process.running) await process.kill('SIGKILL');
    await this.proxy.stop();
    await this.standin.stop();
    await this.db?.$disconnect();
    await this.stopRedis().catch(() => undefined);
    await this.stopPostgres().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Tallies a burst: sent, applied (distinct messages that arrived), lost, doubled (arrivals beyond the first), and whether order held. */
export function tally(
  sent: readonly string[],
  arrived: readonly string[],
): { sent: number; applied: number; lost: number; doubled: number; inOrder: boolean } {
  const counts = new Map<string, number>();
  for (const text of arrived) counts.set(text, (counts.get(text) ?? 0) + 1);
  const applied = sent.filter((text) => counts.has(text)).length;
  const doubled = [...counts.values()].reduce((sum, n) => sum + (n - 1), 0);
  const firstSeen = arrived.filter((text, i) => arrived.indexOf(text) === i);
  const inOrder = firstSeen.every((text, i) => i === 0 || sent.indexOf(text) > sent.indexOf(firstSeen[i - 1]));
  return { sent: sent.length, applied, lost: sent.length - applied, doubled, inOrder };
}

export async function waitFor(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 180_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * A BotSystem started before the describe block's tests (with `bots` bot processes) and stopped after
 * them: call inside `describe`.
 */
export function runningBotSystem(options: BotSystemOptions, bots = 1): BotSystem {
  const system = new BotSystem(options);
  beforeAll(async () => {
    await system.start();
    for (let i = 0; i < bots; i++) await system.startBot();
  });
  afterAll(async () => {
    await system.stop();
  });
  return system;
}

/** `count` messages a person sends in a burst, numbered so that order and doubles can be read back. */
export function numberedMessages(count: number, prefix = 'сообщение'): string[] {
  const width = String(count).length;
  return Array.from({ length: count }, (_, i) => `${prefix} ${String(i + 1).padStart(width, '0')}`);
}
