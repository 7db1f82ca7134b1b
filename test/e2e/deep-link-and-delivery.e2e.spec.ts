import { startSystem, type RunningSystem } from '../support/system';
import type { SimulatedUser } from '../../standin';

/**
 * John, a lab technician who reads English, opens the invite link his HR department sent him. Along the
 * way Telegram redelivers an update, and someone probes the webhook without the secret.
 */
describe('John links through a deep link, in English', () => {
  let system: RunningSystem;
  let john: SimulatedUser;

  beforeAll(async () => {
    system = await startSystem();
    john = system.standin.user({ id: 6001, first_name: 'John', language_code: 'en', phone: '+447700900123' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  const texts = () => john.messages().map((m) => m.text ?? '');
  const last = () => texts().at(-1) ?? '';
  const sentToJohn = () => system.standin.calls('sendMessage').filter((c) => c.chatId === 6001).length;

  it('greets him in English and keeps the invite from the link', async () => {
    await john.sendCommand('/start', 'SMTH-5678');
    expect(texts()[0]).toContain('Hello! I help you keep track of your CME');
    await john.pressButton('English');
    expect(last()).toContain('Consent to personal data processing');
    await john.pressButton('✅ I agree');
    expect(last()).toContain('Share my number');
  });

  it('accepts his own contact with a foreign number', async () => {
    await john.pressReplyButton('📱 Share my number');
    expect(last()).toContain('Enter your full name');
  });

  it('handles a redelivered update once', async () => {
    const update = await john.sendText('Smith John');
    expect(last()).toBe('Choose your category:');
    const before = sentToJohn();
    const result = await system.standin.deliverRaw(update);
    expect(result.via).toBe('webhook');
    expect(sentToJohn()).toBe(before);
    const metrics = await (await scrape(system)).text();
    // Recognised at the door: the update log already holds this update id.
    expect(metrics).toMatch(/nmo_bot_intake_total\{outcome="duplicate",process="bot"\} 1/);
  });

  it('links him right after the category, with no codes to type', async () => {
    await john.pressButton('Lab technician');
    expect(last()).toContain('Done! You are linked to');
    expect(last()).toContain('Smith John');
    const person = await system.db.person.findFirstOrThrow({ where: { telegramIdentities: { some: { telegramUserId: 6001n } } } });
    expect(person).toMatchObject({ onboardingStep: 'LINKED', language: 'en', category: 'LAB_TECHNICIAN' });
  });

  it('answers /help in English with every command', async () => {
    await john.sendCommand('/help');
    expect(last()).toContain('/credits — my credits and what is left');
    expect(last()).toContain('/add — add completed training');
  });

  it('refuses a used invite link to someone else', async () => {
    const eve = system.standin.user({ id: 6002, first_name: 'Eve', language_code: 'en' });
    await eve.sendCommand('/start', 'SMTH-5678');
    await eve.pressButton('English');
    await eve.pressButton('✅ I agree');
    await eve.pressReplyButton('📱 Share my number');
    await eve.sendText('Smith John');
    await eve.pressButton('Lab technician');
    const eveTexts = eve.messages().map((m) => m.text ?? '');
    expect(eveTexts.at(-2)).toBe('This code has already been used. Ask your organization for a new one.');
    expect(eveTexts.at(-1)).toContain("Enter your organization's code");
  });
});

describe('the bot process over HTTP', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('registers its webhook with the secret', () => {
    const info = system.standin.webhookInfo();
    expect(info.url).toBe(system.config.WEBHOOK_URL);
    expect(info.secret_token).toBe(system.config.WEBHOOK_SECRET);
  });

  it('refuses webhook requests without the secret or with a wrong one', async () => {
    const update = {
      update_id: 1,
      message: {
        message_id: 1,
        date: 0,
        chat: { id: 1, type: 'private' },
        from: { id: 1, is_bot: false, first_name: 'X' },
        text: '/start',
      },
    };
    const post = (headers: Record<string, string>) =>
      fetch(system.config.WEBHOOK_URL!, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(update),
      });
    expect((await post({})).status).toBe(401);
    expect((await post({ 'x-telegram-bot-api-secret-token': 'wrong-secret-value' })).status).toBe(401);
    expect(await system.db.person.count()).toBe(0);
  });

  it('refuses, with the secret, what is not an update (400) or is over 1 MB (413), and serves other paths as before', async () => {
    const withSecret = { 'x-telegram-bot-api-secret-token': system.config.WEBHOOK_SECRET! };
    const post = (body: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
      fetch(system.config.WEBHOOK_URL!, { method: 'POST', headers: { ...headers, ...withSecret }, body });
    const notAnUpdate = await post('{"update_id": "seven"}');
    expect([notAnUpdate.status, await notAnUpdate.text()]).toEqual([400, 'not an update']);
    expect((await post('{"update_id": 7, "message": ')).status).toBe(400);
    expect((await post('[]')).status).toBe(400);
    expect((await post('{"update_id": 7}', { 'content-type': 'text/plain' })).status).toBe(400);
    const huge = await post(JSON.stringify({ update_id: 8, padding: 'x'.repeat(1024 * 1024) }));
    expect(huge.status).toBe(413);
    // The route takes POST only; a GET of its path, and every other path, are Express's as before.
    expect((await fetch(system.config.WEBHOOK_URL!)).status).toBe(404);
    expect((await fetch(`${system.baseUrl}/health`)).status).toBe(200);
    expect(await system.db.person.count()).toBe(0);
  });

  it('answers /health and /ready to anyone, /metrics only to the scraper holding METRICS_TOKEN', async () => {
    expect(await (await fetch(`${system.baseUrl}/health`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${system.baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', redis: 'ok', bot: 'ok' } });

    const anonymous = await fetch(`${system.baseUrl}/metrics`);
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get('www-authenticate')).toBe('Bearer realm="metrics"');
    expect(await anonymous.text()).not.toContain('nmo_bot_updates_total');
    const guessed = await fetch(`${system.baseUrl}/metrics`, { headers: { authorization: 'Bearer not-the-metrics-token-at-all' } });
    expect(guessed.status).toBe(401);
    // Another secret of the deployment (the webhook's) does not open /metrics.
    const other = await fetch(`${system.baseUrl}/metrics`, { headers: { authorization: `Bearer ${system.config.WEBHOOK_SECRET}` } });
    expect(other.status).toBe(401);

    const metrics = await scrape(system);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toContain('nmo_bot_updates_total');
  });
});

/** What the Prometheus scrape job sends: the bearer token of METRICS_TOKEN. */
function scrape(system: RunningSystem): Promise<Response> {
  return fetch(`${system.baseUrl}/metrics`, { headers: { authorization: `Bearer ${system.config.METRICS_TOKEN}` } });
}

describe('polling mode', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    // A deployment that set no METRICS_TOKEN: /metrics is not served at all.
    system = await startSystem({ mode: 'polling', env: { METRICS_TOKEN: '' } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('fetches updates with getUpdates and answers them', async () => {
    const ann = system.standin.user({ id: 7001, first_name: 'Анна', language_code: 'ru' });
    await ann.sendCommand('/start');
    expect((await ann.nextBotMessage()).text).toContain('Здравствуйте!');
    expect(system.standin.webhookInfo().url).toBe('');
  });

  it('serves no /metrics without a METRICS_TOKEN, and /health as always', async () => {
    expect((await fetch(`${system.baseUrl}/metrics`)).status).toBe(404);
    expect((await fetch(`${system.baseUrl}/metrics`, { headers: { authorization: 'Bearer anything-at-all-24-chars-long' } })).status).toBe(
      404,
    );
    expect((await fetch(`${system.baseUrl}/health`)).status).toBe(200);
  });
});
