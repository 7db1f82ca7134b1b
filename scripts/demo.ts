import 'reflect-metadata';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { INestApplication, INestApplicationContext } from '@nestjs/common';
import { startBotApp } from '../bot/app';
import { chatAwaitsTypedNumber } from '../bot/wizards/typed-number';
import { PersonalDataCipher } from '../core/people/personal-data';
import { createDatabase } from '../core/shared/database';
import { ConfigError, loadConfig } from '../infra/config/config';
import { createLogger } from '../infra/logger';
import { createRedisClient } from '../infra/redis-client';
import { personalDataKey } from '../infra/personal-data-key';
import { OnboardingService } from '../core/linking/onboarding.service';
import { DEMO_ORGANIZATION, DEMO_STAFF, seedDemo } from '../prisma/seed';
import { BotApiStandin } from '../standin';
import { startWorkerApp } from '../worker/app';
import { applyMigrations } from './db/migrate';
import { cabinetLaunchUrl, DEMO_ADMIN_USER, linkDemoAdmin } from './demo-cabinet';
import { runTerminalChat } from './local-chat';
import { freePort } from './services/free-port';
import { startEmbeddedPostgres } from './services/postgres';
import { startRedis } from './services/redis';

/**
 * `npm run demo`: the whole product on one machine with nothing configured. Uses DATABASE_URL and
 * REDIS_URL when set, otherwise an embedded PostgreSQL under DATA_DIR and a redis-server it starts;
 * migrates, seeds the demo organization, starts bot and worker. Without TELEGRAM_BOT_TOKEN the bot talks
 * to a local Bot API stand-in and this terminal becomes the chat.
 */
async function main(): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  const dataDir = path.resolve(env.DATA_DIR || '.data');
  mkdirSync(dataDir, { recursive: true });
  env.DATA_DIR = dataDir;
  loadConfig(env); // refuse a bad environment before starting anything
  const stops: Array<() => Promise<unknown>> = [];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop().catch((error: unknown) => console.error(error));
  };

  try {
    if (!env.DATABASE_URL) {
      say('Starting an embedded PostgreSQL (PGlite) in', path.join(dataDir, 'pg'));
      const pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, 'pg'), port: await freePort() });
      stops.push(() => pg.stop());
      env.DATABASE_URL = pg.url;
    }
    if (!env.REDIS_URL) {
      say('Starting redis-server');
      const redis = await startRedis({ dir: path.join(dataDir, 'redis'), installIfMissing: true, appendOnly: true });
      stops.push(() => redis.stop());
      env.REDIS_URL = redis.url;
    }
    const applied = await applyMigrations(env.DATABASE_URL);
    say(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'Database schema is up to date');

    let standin: BotApiStandin | undefined;
    if (!env.TELEGRAM_BOT_TOKEN) {
      standin = new BotApiStandin({ botUsername: 'nmo_demo_bot', localFilesDir: path.join(dataDir, 'standin-files') });
      const { apiRoot } = await standin.start();
      stops.push(() => standin!.stop());
      env.TELEGRAM_BOT_TOKEN = '100000:local-demo';
      env.TELEGRAM_API_ROOT = apiRoot;
      env.BOT_MODE = 'polling';
      env.LOG_LEVEL ??= 'warn';
    }
    const port = await portFor(loadConfig(env).HTTP_PORT);
    env.HTTP_PORT = String(port);
    // The local chat's «Открыть кабинет» and menu button open the cabinet on this machine (Telegram's test
    // environment takes plain HTTP; the real one needs CABINET_URL over HTTPS, see README).
    if (standin) env.CABINET_URL ??= `http://127.0.0.1:${port}/cabinet/`;
    const config = loadConfig(env);
    const logger = createLogger(config, 'demo');
    const db = createDatabase(config.DATABASE_URL!, { max: 2 });
    const { staff } = await seedDemo(db, new PersonalDataCipher(personalDataKey(config, logger)));
    await db.$disconnect();

    const bot: INestApplication = await startBotApp(config, { port });
    stops.push(() => bot.close());
    const worker: INestApplicationContext = await startWorkerApp(config);
    stops.push(() => worker.close());

    say(`Bot and worker are running. Health: ${await bot.getUrl()}/health`);
    say(`Demo organization code: ${DEMO_ORGANIZATION.code}. Staff and their one-time codes:`);
    for (const member of staff)
      say(`  ${member.fullName.padEnd(28)} ${member.inviteCode}${member.role === 'ADMIN' ? '   (admin of the organization: /admin)' : ''}`);

    if (standin) {
      const token = config.TELEGRAM_BOT_TOKEN!;
      const cabinetUrl = config.CABINET_URL!;
      const admin = DEMO_STAFF.find((member) => member.externalId === 'T-0006')!;
      await linkDemoAdmin(bot.get(OnboardingService), admin);
      say('The cabinet (Telegram Mini App) opens in a browser next to this chat, signed in as Telegram would sign you in:');
      say(`  as you, the chat's user (link first with /start, then reload): ${cabinetLaunchUrl(cabinetUrl, token, CHAT_USER)}`);
      say(`  as the education department (${admin.fullName}, linked already): ${cabinetLaunchUrl(cabinetUrl, token, DEMO_ADMIN_USER)}`);
      say('  (the links stay valid for CABINET_INIT_DATA_MAX_AGE, a day by default; :cabinet in the chat prints a fresh one)');
      say('Local chat (no TELEGRAM_BOT_TOKEN): type /start. Numbers press buttons (a number a step asks for is sent');
      say('as text; :say TEXT sends anything as text), :help lists more, :quit ends.');
      // The terminal asks the bot's session whether the step waits for a typed number (a quantity at /add).
      const sessions = createRedisClient(config.REDIS_URL!, logger, 'demo-chat');
      stops.push(() => sessions.quit());
      await runTerminalChat({
        standin,
        user: { ...CHAT_USER, phone: '+79161234567' },
        downloadsDir: path.join(dataDir, 'downloads'),
        openWebApp: (url) => cabinetLaunchUrl(url, token, CHAT_USER),
        awaitsNumber: () => chatAwaitsTypedNumber(sessions, config, CHAT_USER.id),
      });
      await stopAll();
      return;
    }
    say('Running against Telegram. Open your bot and press Start. Ctrl+C stops.');
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await stopAll();
  } catch (error) {
    await stopAll();
    throw error;
  }
}

/** Who you are in the terminal chat. */
const CHAT_USER = { id: 700_000_001, first_name: 'Мария', language_code: 'ru' };

/** The configured port, or a free one when it is taken (a second demo, another service on 3000). */
async function portFor(preferred: number): Promise<number> {
  const net = await import('node:net');
  const free = await new Promise<boolean>((resolve) => {
    const server = net.createServer().once('error', () => resolve(false));
    server.listen(preferred, '127.0.0.1', () => server.close(() => resolve(true)));
  });
  return free ? preferred : freePort();
}

function say(...parts: string[]): void {
  console.log(`[demo] ${parts.join(' ')}`);
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : `[demo] ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
