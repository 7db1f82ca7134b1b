import { Redis } from 'ioredis';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import { RedisSessionStorage } from './redis-session-storage';

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
});
