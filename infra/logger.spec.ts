import { Writable } from 'node:stream';
import { GrammyError } from 'grammy';
import { loadConfig } from './config/config';
import { createLogger } from './logger';

/** Every line a logger writes, for searching. */
function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  return { lines, stream };
}

const config = loadConfig({
  TELEGRAM_BOT_TOKEN: '987654:AAHsecretTokenPart_xyz',
  DATABASE_URL: 'postgresql://nmo:db-Pa55word@db.internal:5432/nmo',
  REDIS_URL: 'redis://:redis-Pa55word@cache:6379/0',
  ADMIN_API_TOKEN: 'admin-token-000000000000000000',
  WEBHOOK_SECRET: 'webhook-secret-0000',
  DATA_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
  LOG_LEVEL: 'trace',
});
const secrets = [
  'AAHsecretTokenPart_xyz',
  'db-Pa55word',
  'redis-Pa55word',
  'admin-token-000000000000000000',
  'webhook-secret-0000',
  config.DATA_ENCRYPTION_KEY!,
];
const personal = ['+79161234567', 'Иванова Мария Петровна', '112-233-445 95'];

describe('the logger never writes a secret or personal value', () => {
  it('whatever a caller passes: nested personal fields, a bot context, the configuration, errors carrying payloads', () => {
    const { lines, stream } = capture();
    const logger = createLogger(config, 'test', stream);
    const person = { id: 'p1', fullName: personal[1], phone: personal[0], snils: personal[2] };
    const ctx = {
      update: { message: { text: personal[1], contact: { phone_number: personal[0] } } },
      api: { token: config.TELEGRAM_BOT_TOKEN },
      me: {},
      person,
      services: { config },
    };
    const grammy = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 400, description: 'Bad Request: message is too long' },
      'sendMessage',
      { chat_id: 1, text: `Здравствуйте, ${personal[1]}` },
    );

    logger.info({ deep: { deeper: { deepest: { person } } } }, 'nested');
    logger.error({ err: Object.assign(new Error('handler failed'), { ctx }) }, 'update failed');
    logger.error({ err: grammy }, 'notification refused by Telegram');
    logger.error({ config }, 'configuration');
    logger.warn({ err: new Error(`connect ECONNREFUSED ${config.DATABASE_URL}`) }, `retrying ${config.REDIS_URL}`);
    logger.warn({ reason: ctx }, 'unhandled promise rejection');
    logger.error(Object.assign(new Error('thrown alone'), { payload: { text: personal[1] } }));
    logger.info({ list: [{ phone_number: personal[0] }, { first_name: 'Мария', text: personal[1] }] }, 'list');

    expect(lines).toHaveLength(8);
    const all = lines.join('\n');
    for (const value of [...secrets, ...personal]) expect(all).not.toContain(value);
    // What went wrong stays readable.
    expect(all).toContain('handler failed');
    expect(all).toContain('message is too long');
    expect(all).toContain('ECONNREFUSED');
    expect(all).toContain('thrown alone');
  });

  it('keeps what engineers need: levels, messages, ids, numbers', () => {
    const { lines, stream } = capture();
    createLogger(config, 'test', stream).child({ update_id: 5 }).info({ people: 3, personId: 'p1' }, 'linked');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, msg: 'linked', people: 3, personId: 'p1', update_id: 5, name: 'test' });
  });
});
