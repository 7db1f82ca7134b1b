import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('falls back to documented defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      TELEGRAM_API_ROOT: 'https://api.telegram.org',
      BOT_MODE: 'polling',
      DATA_DIR: '.data',
      TZ: 'Europe/Moscow',
      LOG_LEVEL: 'info',
      HTTP_PORT: 3000,
    });
  });

  it("leaves a sixth of the Telegram limit to interactive replies unless the worker's rate is set", () => {
    expect(loadConfig({})).toMatchObject({ TELEGRAM_RATE_LIMIT: 30, OUTBOUND_RATE_PER_SECOND: 25, WORKER_NICE: 10 });
    expect(loadConfig({ TELEGRAM_RATE_LIMIT: '600' }).OUTBOUND_RATE_PER_SECOND).toBe(500);
    expect(loadConfig({ TELEGRAM_RATE_LIMIT: '600', OUTBOUND_RATE_PER_SECOND: '100' }).OUTBOUND_RATE_PER_SECOND).toBe(100);
  });

  it.each([
    [{ BOT_MODE: 'pigeon' }, 'Invalid configuration: BOT_MODE must be one of polling, webhook'],
    [{ BOT_MODE: 'webhook' }, 'Invalid configuration: WEBHOOK_URL is required when BOT_MODE=webhook'],
    [{ TZ: 'Mars/Olympus' }, 'Invalid configuration: TZ must be an IANA time zone'],
    [{ HTTP_PORT: '99999' }, 'Invalid configuration: HTTP_PORT'],
    [{ WORKER_METRICS_PORT: 'metrics' }, 'Invalid configuration: WORKER_METRICS_PORT'],
    [{ WORKER_METRICS_PORT: '9464' }, 'Invalid configuration: METRICS_TOKEN is required when WORKER_METRICS_PORT is set'],
    [{ SUPPORT_CHAT_ID: '12345' }, 'Invalid configuration: SUPPORT_CHAT_ID must be the numeric id of a supergroup'],
    [{ DATABASE_URL: 'mysql://db' }, 'Invalid configuration: DATABASE_URL must be a postgresql:// connection string'],
    [{ NODE_ENV: 'production' }, 'Invalid configuration: DATA_ENCRYPTION_KEY is required in production'],
    [{ METRICS_TOKEN: 'short' }, 'Invalid configuration: METRICS_TOKEN must be at least 24 characters'],
    [
      { CABINET_URL: 'http://bot.example.org/cabinet/' },
      'Invalid configuration: CABINET_URL must be an https:// URL (http only for localhost)',
    ],
    [{ CABINET_URL: 'cabinet' }, 'Invalid configuration: CABINET_URL must be an https:// URL'],
    [{ CABINET_INIT_DATA_MAX_AGE: '10' }, 'Invalid configuration: CABINET_INIT_DATA_MAX_AGE'],
  ])('refuses %j with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('takes the cabinet over https, or over http on this machine (the demo), and a day of initData age by default', () => {
    expect(loadConfig({ CABINET_URL: 'https://bot.example.org/cabinet/' })).toMatchObject({
      CABINET_URL: 'https://bot.example.org/cabinet/',
      CABINET_INIT_DATA_MAX_AGE: 86400,
    });
    expect(loadConfig({ CABINET_URL: 'http://127.0.0.1:3000/cabinet/', CABINET_INIT_DATA_MAX_AGE: '3600' })).toMatchObject({
      CABINET_INIT_DATA_MAX_AGE: 3600,
    });
  });

  it('never echoes a secret it refuses', () => {
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'secret-value' })).toThrow(/TELEGRAM_BOT_TOKEN .*'…'/);
  });

  it('treats an empty variable as unset', () => {
    const config = loadConfig({ BOT_MODE: '', REDIS_URL: '' });
    expect(config.BOT_MODE).toBe('polling');
    expect(config.REDIS_URL).toBeUndefined();
  });
});
