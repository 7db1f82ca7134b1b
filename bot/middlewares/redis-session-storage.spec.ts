import { Redis } from 'ioredis';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import type { Update } from 'grammy/types';
import { RedisSessionStorage, sessionKeyOf } from './redis-session-storage';

/** Real Redis: what is (and is not) written is the point. */
describe('RedisSessionStorage', () => {
  const redis = new Redis(testRedisUrl());
  const prefix = `${testRedisPrefix()}:session:`;
  const storage = new RedisSessionStorage<Record<string, unknown>>(redis, prefix);
  afterAll(() => redis.quit());

  it('writes nothing back for a person who has no session and was given none (most updates)', async () => {
    expect(await storage.read('101')).toBeUndefined();
    await storage.write('101', {});
    expect(await redis.exists(`${prefix}101`)).toBe(0);
  });

  it('keeps a session that holds something, with its expiry, and an emptied one as empty', async () => {
    expect(await storage.read('102')).toBeUndefined();
    await storage.write('102', { wizard: { step: 'name' } });
    expect(JSON.parse((await redis.get(`${prefix}102`))!)).toEqual({ wizard: { step: 'name' } });
    expect(await redis.ttl(`${prefix}102`)).toBeGreaterThan(0);

    expect(await storage.read('102')).toEqual({ wizard: { step: 'name' } });
    await storage.write('102', {});
    expect(await redis.get(`${prefix}102`)).toBe('{}');
  });

  it('writes an empty session that was not read as absent (never loses a reset)', async () => {
    await redis.set(`${prefix}103`, JSON.stringify({ wizard: { step: 'date' } }));
    await storage.write('103', {});
    expect(await redis.get(`${prefix}103`)).toBe('{}');
  });

  it('answers a read from a value primed for its key once, then from Redis again', async () => {
    await redis.set(`${prefix}104`, JSON.stringify({ wizard: { step: 'in redis' } }));
    const key = storage.keyOf(privateMessage(104))!;
    expect(key).toBe(`${prefix}104`);
    storage.prime(key, JSON.stringify({ wizard: { step: 'primed' } }));

    expect(await storage.read('104')).toEqual({ wizard: { step: 'primed' } });
    expect(await storage.read('104')).toEqual({ wizard: { step: 'in redis' } });
  });

  it('takes a primed absence as absent: an empty session is then not written back', async () => {
    storage.prime(storage.keyOf(privateMessage(105))!, null);
    expect(await storage.read('105')).toBeUndefined();
    await storage.write('105', {});
    expect(await redis.exists(`${prefix}105`)).toBe(0);
  });

  it('drops a primed value once the session is written, deleted or forgotten', async () => {
    const key = storage.keyOf(privateMessage(106))!;
    storage.prime(key, JSON.stringify({ stale: true }));
    await storage.write('106', { fresh: true });
    expect(await storage.read('106')).toEqual({ fresh: true });

    storage.prime(key, JSON.stringify({ stale: true }));
    await storage.delete('106');
    expect(await storage.read('106')).toBeUndefined();

    await redis.set(key, JSON.stringify({ kept: true }));
    storage.prime(key, JSON.stringify({ stale: true }));
    storage.forget(key);
    expect(await storage.read('106')).toEqual({ kept: true });
  });

  it('names a key only for a private chat, as the session middleware does', () => {
    expect(storage.keyOf(privateMessage(107))).toBe(`${prefix}107`);
    expect(
      storage.keyOf({ ...privateMessage(108), message: { ...privateMessage(108).message!, chat: { id: -5, type: 'group', title: 'g' } } }),
    ).toBe(undefined);
    const press = {
      update_id: 1,
      callback_query: {
        id: 'q',
        from: { id: 109, is_bot: false, first_name: 'A' },
        chat_instance: 'c',
        data: 'x',
        message: privateMessage(109).message,
      },
    } as Update;
    expect(storage.keyOf(press)).toBe(`${prefix}109`);
    expect(sessionKeyOf({ id: 109, type: 'private' })).toBe('109');
  });
});

function privateMessage(chatId: number): Update {
  return {
    update_id: chatId,
    message: { message_id: 1, date: 0, chat: { id: chatId, type: 'private', first_name: 'A' }, text: 'hi' },
  } as Update;
}
