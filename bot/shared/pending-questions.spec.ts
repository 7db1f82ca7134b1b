import { Redis } from 'ioredis';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import type { Update } from 'grammy/types';
import type { BotContext } from '../context';
import { RedisSessionStorage } from '../middlewares/redis-session-storage';
import { pendingQuestion, pendingQuestionKeysOf } from './pending-questions';

/**
 * Pending questions against a real Redis: what an update reads, asks and takes is what Redis holds, and
 * an update's checks cost one read for all the questions however many features ask.
 */
describe('pending questions', () => {
  const prefix = testRedisPrefix();
  const quiet = pendingQuestion({ inChat: (p, chatId) => `${p}:quiet:${chatId}` }, 60);
  const upload = pendingQuestion({ inChat: (p, chatId) => `${p}:upload:${chatId}` }, 60);
  const deletion = pendingQuestion({ inChat: (p, chatId) => `${p}:delete:${chatId}`, needsPerson: true }, 60);
  let redis: Redis;
  /** Where the update intake leaves what it read along with an update's claim. */
  let primed: RedisSessionStorage<unknown>;
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
    primed = new RedisSessionStorage(redis, `${prefix}:session:`);
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
    return {
      chat: { id, type: 'private' },
      person,
      services: { redis: counting, config: { REDIS_PREFIX: prefix }, sessions: primed },
    } as unknown as BotContext;
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
    expect(await redis.get(`${prefix}:delete:3`)).toBe('{"nonce":"n"}');
  });

  it('reads a key its update could not name at first (a person linked by this very update)', async () => {
    await redis.set(`${prefix}:delete:5`, 'x');
    const ctx = update(5);
    expect(await quiet.get(ctx)).toBeNull();
    (ctx as { person: unknown }).person = { id: 'p5' };
    expect(await deletion.get(ctx)).toBe('x');
    expect(sent).toEqual(['mget', 'get']);
  });

  it("takes what the intake read along with a private message's claim, and asks Redis for nothing else", async () => {
    const message = { update_id: 1, message: { message_id: 1, date: 0, chat: { id: 6, type: 'private' }, text: 'hi' } } as Update;
    const keys = pendingQuestionKeysOf(message, prefix);
    expect(keys).toEqual([`${prefix}:quiet:6`, `${prefix}:upload:6`, `${prefix}:delete:6`]);
    for (const key of keys) primed.prime(key, key.endsWith(':upload:6') ? '1' : null);
    const ctx = update(6, { id: 'p6' });
    expect(await quiet.get(ctx)).toBeNull();
    expect(await upload.get(ctx)).toBe('1');
    expect(await deletion.get(ctx)).toBeNull();
    expect(sent).toEqual([]);
    // Each value serves one reading: the next update of the chat reads Redis.
    expect(await upload.get(update(6, { id: 'p6' }))).toBeNull();
    expect(sent).toEqual(['mget']);
  });

  it('reads only what was not read along', async () => {
    await redis.set(`${prefix}:quiet:7`, '1');
    primed.prime(`${prefix}:upload:7`, null);
    const ctx = update(7, { id: 'p7' });
    expect(await quiet.get(ctx)).toBe('1');
    expect(await upload.get(ctx)).toBeNull();
    expect(sent).toEqual(['mget']);
  });

  it('names keys only for a message in a private chat', () => {
    const group = {
      update_id: 2,
      message: { message_id: 1, date: 0, chat: { id: -100, type: 'supergroup', title: 'g' }, text: 'hi' },
    } as Update;
    const press = {
      update_id: 3,
      callback_query: { id: 'q', chat_instance: 'c', from: { id: 8, is_bot: false, first_name: 'A' } },
    } as Update;
    expect(pendingQuestionKeysOf(group, prefix)).toEqual([]);
    expect(pendingQuestionKeysOf(press, prefix)).toEqual([]);
  });
});
