import { Redis } from 'ioredis';
import ru from '../../locales/ru.json';
import { createI18n } from '../../infra/i18n';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import type { SessionData } from '../context';
import { botSessionStorage } from '../middlewares/redis-session-storage';
import { chatAwaitsTypedNumber, TYPED_NUMBER_STEPS } from './typed-number';

/**
 * Which steps wait for a typed number (what the demo's terminal chat asks before it reads a number as a
 * button press), read from a chat's session in Redis where the bot keeps it.
 */
describe('steps that wait for a typed number', () => {
  const config = { REDIS_PREFIX: testRedisPrefix() };
  let redis: Redis;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  it('names only hints both languages define', () => {
    const i18n = createI18n();
    for (const key of TYPED_NUMBER_STEPS)
      expect([key, ['ru', 'en'].every((lng) => i18n.exists(key, { lng, fallbackLng: false }))]).toEqual([key, true]);
  });

  it('holds every step whose hint asks for a number («числом»)', () => {
    const asking: string[] = [];
    const walk = (node: unknown, key: string) => {
      if (typeof node === 'string') {
        if (/числом|число мест/.test(node)) asking.push(key);
      } else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) walk(v, `${key}.${k}`);
    };
    walk(ru['wizard-hint'], 'wizard-hint');
    expect(asking.length).toBeGreaterThan(5);
    for (const key of asking) expect([key, TYPED_NUMBER_STEPS.has(key)]).toEqual([key, true]);
  });

  it('answers from the session the bot wrote: the quantity of /add waits for one, its type step and no wizard do not', async () => {
    const sessions = botSessionStorage<SessionData>(redis, config.REDIS_PREFIX);
    expect(await chatAwaitsTypedNumber(redis, config, 5101)).toBe(false);
    await sessions.write('5101', { addCredit: { nonce: 'n', step: 'type' } });
    expect(await chatAwaitsTypedNumber(redis, config, 5101)).toBe(false);
    await sessions.write('5101', { addCredit: { nonce: 'n', step: 'quantity', typeCode: 'iom' } });
    expect(await chatAwaitsTypedNumber(redis, config, 5101)).toBe(true);
    // Another chat's session is not this one's.
    expect(await chatAwaitsTypedNumber(redis, config, 5102)).toBe(false);
    await sessions.write('5101', { plan: { nonce: 'n', step: 'hours' } });
    expect(await chatAwaitsTypedNumber(redis, config, 5101)).toBe(true);
  });
});
