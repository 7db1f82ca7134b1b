import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { createDatabase, type Database } from '../../core/shared/database';
import { seedDemo } from '../../prisma/seed';
import { freePort } from '../../scripts/services/free-port';
import { BotApiStandin, type SimulatedUser } from '../../standin';
import { BotProcess } from '../support/bot-process';
import { createTestDatabase, type TestDatabase } from '../support/database';
import { createLinkedPerson } from '../support/people';
import { testRedisPrefix, testRedisUrl } from '../support/redis';

/**
 * Webhook mode, the bot as its own process logging everything (trace), known secrets in its
 * configuration and a person with a name, a phone and a СНИЛС. A handler fails (its table is gone):
 * the person is told in their language that nothing was saved half way, Telegram gets its 200 (a
 * failure of ours is not Telegram's to retry), the failure is counted in /metrics, and not one log
 * line holds a secret or a personal value.
 */
jest.setTimeout(240_000);

const TOKEN = `424242:${randomBytes(16).toString('hex')}`;
const SECRETS = {
  WEBHOOK_SECRET: `whsec-${randomBytes(12).toString('hex')}`,
  ADMIN_API_TOKEN: `admin-${randomBytes(16).toString('hex')}`,
  DATA_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
  METRICS_TOKEN: `metrics-${randomBytes(16).toString('hex')}`,
};
const FULL_NAME = 'Заплаткина Секретина Петровна';
const PHONE = '+79035550123';
const SNILS = '112-233-445 95';

describe('one error boundary in webhook mode, and logs that hold no secret', () => {
  let database: TestDatabase;
  let db: Database;
  let standin: BotApiStandin;
  let bot: BotProcess;
  let baseUrl: string;
  let nurse: SimulatedUser;
  let dataDir: string;
  let sealedPhone: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    const cipher = new PersonalDataCipher(Buffer.from(SECRETS.DATA_ENCRYPTION_KEY, 'base64'));
    await seedDemo(db, cipher, new Date());
    const person = await createLinkedPerson({ db }, 9301, { fullName: FULL_NAME });
    const phoneEnc = cipher.encrypt(PHONE);
    sealedPhone = Buffer.from(phoneEnc).toString('base64');
    await db.person.update({ where: { id: person.id }, data: { phoneEnc, snilsEnc: cipher.encrypt(SNILS) } });

    standin = new BotApiStandin({ token: TOKEN, defaultWaitMs: 60_000 });
    const { apiRoot } = await standin.start();
    const port = await freePort();
    baseUrl = `http://127.0.0.1:${port}`;
    dataDir = mkdtempSync(path.join(tmpdir(), 'nmo-boundary-'));
    bot = new BotProcess({
      TELEGRAM_BOT_TOKEN: TOKEN,
      TELEGRAM_API_ROOT: apiRoot,
      BOT_MODE: 'webhook',
      WEBHOOK_URL: `${baseUrl}/telegram/webhook`,
      DATABASE_URL: database.url,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: testRedisPrefix(),
      DATA_DIR: dataDir,
      LOG_LEVEL: 'trace',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: String(port),
      ...SECRETS,
    });
    await bot.ready(baseUrl);
    nurse = standin.user({ id: 9301, first_name: 'Мария', language_code: 'ru' });
  });

  afterAll(async () => {
    if (bot?.running) await bot.kill('SIGKILL');
    await standin?.stop();
    await db?.$disconnect();
    await database?.drop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const texts = () => nurse.messages().map((m) => m.text ?? m.caption ?? '');
  const shown = (fragment: string) => texts().filter((t) => t.includes(fragment)).length;
  const INTERNAL = 'Что-то пошло не так на нашей стороне. Ничего не сохранено наполовину — попробуйте ещё раз через минуту.';

  it('answers the person, answers Telegram, counts the failure, and logs nothing secret', async () => {
    await nurse.sendCommand('/credits');
    await waitFor(() => shown('Набрано') === 1, 'the balance');
    // The handler's table disappears, as a failed migration or a bug would make it fail: her free text
    // looks for the support ticket it belongs to. (Not /credits: the bot keeps her entries in memory.)
    await db.$executeRawUnsafe('ALTER TABLE "SupportTicket" RENAME TO "SupportTicketGone"');
    try {
      await nurse.sendText('Почему не засчитали вебинар?');
      await waitFor(() => shown(INTERNAL) === 1, 'the apology');
    } finally {
      await db.$executeRawUnsafe('ALTER TABLE "SupportTicketGone" RENAME TO "SupportTicket"');
    }
    expect(shown('Набрано')).toBe(1);
    expect(standin.stats().webhook).toMatchObject({ failedAttempts: 0, dropped: 0 });
    const metrics = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: `Bearer ${SECRETS.METRICS_TOKEN}` } })).text();
    expect(metrics).toMatch(/^nmo_bot_errors_total\{[^}]*\} 1$/m);
    await nurse.sendCommand('/credits');
    await waitFor(() => shown('Набрано') === 2, 'the balance once the table is back');

    await bot.kill('SIGTERM');
    const log = bot.lines.join('\n');
    expect(log).not.toContain('shutdown took too long');
    expect(log).toContain('update failed');
    expect(log).not.toContain('unhandled promise rejection');
    const planted = [
      TOKEN,
      TOKEN.split(':')[1],
      ...Object.values(SECRETS),
      database.url,
      FULL_NAME,
      'Заплаткина',
      PHONE,
      '9035550123',
      SNILS,
      '11223344595',
      sealedPhone,
    ];
    expect(planted.filter((value) => log.includes(value))).toEqual([]);
  });
});

async function waitFor(condition: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
