import { Redis } from 'ioredis';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import type { BotContext } from '../context';
import { pendingQuestion } from './pending-questions';

/**
 * Pending questions against a real Redis: what an update reads, asks and takes is what Redis holds, and
 * an update's checks cost one read for all the questions however many features ask.
 */
describe('pending questions', () => {
  const prefix = testRedisPrefix();
  const quiet = pendingQuestion((ctx) => `${prefix}:quiet:${ctx.chat!.id}`, 60);
  const upload = pendingQuestion((ctx) => `${prefix}:upload:${ctx.chat!.id}`, 60);
  const deletion = pendingQuestion((ctx) => (ctx.person ? `${prefix}:delete:${ctx.person.id}` : undefined), 60);
  let redis: Redis;
  /** Commands the questions sent to Redis, by name. */
  let sent: string[];

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });

  afterAll(async () => {
    await redis?.quit();
  });

  beforeEach(() => {
    sent = [];
  });

  /** A fresh update of chat `id`; its Redis client notes each command it is asked for. */
  function update(id: number, person: { id: string } | null = null): BotContext {
    const counting = new Proxy(redis, {
      get(target, name, receiver) {
        const value: unknown = Reflect.get(target, name, receiver);
        if (typeof value !== 'function' || typeof name !== 'string') return value;
        return (...args: unknown[]) => {
          sent.push(name);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    return { chat: { id, type: 'private' }, person, services: { redis: counting } } as unknown as BotContext;
  }

  it('answers every question of an update from one read', async () => {
    await redis.set(`${prefix}:upload:1`, '1');
    const ctx = update(1, { id: 'p1' });
    expect(await quiet.get(ctx)).toBeNull();
    expect(await upload.get(ctx)).toBe('1');
    expect(await deletion.get(ctx)).toBeNull();
    expect(await quiet.get(ctx)).toBeNull();
    expect(sent).toEqual(['mget']);
  });

  it('keeps the reading true to what the update asks and takes, and Redis to both', async () => {
    const ctx = update(2, { id: 'p2' });
    expect(await quiet.get(ctx)).toBeNull();
    await quiet.ask(ctx);
    expect(await quiet.get(ctx)).toBe('1');
    expect(await redis.get(`${prefix}:quiet:2`)).toBe('1');
    expect(await redis.ttl(`${prefix}:quiet:2`)).toBeGreaterThan(0);
    // The next update of the chat sees it; taking it clears it in Redis.
    const next = update(2, { id: 'p2' });
    expect(await quiet.take(next)).toBe('1');
    expect(await quiet.get(next)).toBeNull();
    expect(await redis.exists(`${prefix}:quiet:2`)).toBe(0);
    // Taking what is not pending costs no round trip beyond the reading.
    sent = [];
    const third = update(2, { id: 'p2' });
    expect(await deletion.take(third)).toBeNull();
    expect(sent).toEqual(['mget']);
  });

  it('keeps chats and people apart, and a question with no key there is never pending', async () => {
    const ctx = update(3, { id: 'p3' });
    await deletion.ask(ctx, '{"nonce":"n"}');
    await upload.ask(ctx);
    expect(await deletion.get(update(4, { id: 'p4' }))).toBeNull();
    expect(await upload.get(update(4, { id: 'p4' }))).toBeNull();
    const noPerson = update(3);
    expect(await deletion.get(noPerson)).toBeNull();
    expect(await deletion.take(noPerson)).toBeNull();
    expect(await redis.get(`${prefix}:delete:p3`)).toBe('{"nonce":"n"}');
  });

  it('reads a key its update could not name at first (a person linked by this very update)', async () => {
    await redis.set(`${prefix}:delete:p5`, 'x');
    const ctx = update(5);
    expect(await quiet.get(ctx)).toBeNull();
    (ctx as { person: unknown }).person = { id: 'p5' };
    expect(await deletion.get(ctx)).toBe('x');
    expect(sent).toEqual(['mget', 'get']);
  });
});
