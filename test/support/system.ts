import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { startBotApp } from '../../bot/app';
import { TelegramBot } from '../../bot/telegram-bot';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { FixedClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { loadConfig, type Config } from '../../infra/config/config';
import { seedDemo } from '../../prisma/seed';
import { freePort } from '../../scripts/services/free-port';
import { BotApiStandin } from '../../standin';
import { startWorkerApp } from '../../worker/app';
import { createTestDatabase } from './database';
import { specLogging } from './spec-log';
import { testRedisUrl } from './redis';

export interface RunningSystem {
  standin: BotApiStandin;
  db: Database;
  config: Config;
  clock: FixedClock;
  cipher: PersonalDataCipher;
  bot: INestApplication;
  worker?: INestApplicationContext;
  baseUrl: string;
  /** As if Redis had lost the record of this update (a flush): a redelivery is then recorded anew. */
  forgetUpdate(updateId: number): Promise<void>;
  stop(): Promise<void>;
}

export interface SystemOptions {
  mode?: 'webhook' | 'polling';
  /** Start the worker process too (re-evaluation, outbound queue). */
  worker?: boolean;
  /** The moment the system believes it is; tests move it with `clock.set`. */
  now?: Date;
  env?: Record<string, string>;
}

/**
 * The whole product on real services, as a test sees it: a fresh PostgreSQL database migrated and
 * seeded with the demo organization, Redis under a prefix of its own, the Bot API stand-in, and the
 * bot (and optionally the worker) started exactly as in production, talking to the stand-in over HTTP.
 */
export async function startSystem(options: SystemOptions = {}): Promise<RunningSystem> {
  const mode = options.mode ?? 'webhook';
  const database = await createTestDatabase();
  const dataDir = mkdtempSync(path.join(tmpdir(), 'nmo-e2e-'));
  const standin = new BotApiStandin({ token: '123456:TEST-token', defaultWaitMs: 60_000 });
  const { apiRoot } = await standin.start();
  const port = await freePort();
  const key = randomBytes(32);
  // The bot's and the worker's log: the spec's log file, printed if the spec fails (spec-log.ts).
  const logging = specLogging();
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: '123456:TEST-token',
    TELEGRAM_API_ROOT: apiRoot,
    BOT_MODE: mode,
    WEBHOOK_URL: `http://127.0.0.1:${port}/telegram/webhook`,
    WEBHOOK_SECRET: `secret-${randomBytes(8).toString('hex')}`,
    DATABASE_URL: database.url,
    REDIS_URL: testRedisUrl(),
    REDIS_PREFIX: `t${randomBytes(5).toString('hex')}`,
    DATA_DIR: dataDir,
    DATA_ENCRYPTION_KEY: key.toString('base64'),
    METRICS_TOKEN: `metrics-${randomBytes(12).toString('hex')}`,
    LOG_LEVEL: logging.level,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: String(port),
    OUTBOUND_RATE_PER_SECOND: '100',
    ...options.env,
  });
  const clock = new FixedClock(options.now ?? new Date('2026-11-25T09:00:00Z'));
  const cipher = new PersonalDataCipher(key);
  const db = createDatabase(database.url, { max: 3 });
  await seedDemo(db, cipher, clock.now());

  const bot = await startBotApp(config, { clock, port, logDestination: logging.destination });
  const intake = bot.get(TelegramBot).intake!;
  // The bot confirms an update once it is in the update log; a test, like a person, waits for the answer.
  standin.setHandoverHook((update) => intake.settled(update.update_id));
  const worker = options.worker ? await startWorkerApp(config, { clock, logDestination: logging.destination }) : undefined;

  return {
    standin,
    db,
    config,
    clock,
    cipher,
    bot,
    worker,
    baseUrl: `http://127.0.0.1:${port}`,
    forgetUpdate: (updateId) => intake.forgetSeen(updateId),
    async stop() {
      await worker?.close();
      await bot.close();
      await standin.stop();
      await db.$disconnect();
      await database.drop();
      rmSync(dataDir, { recursive: true, force: true });
      logging.close();
    },
  };
}
