import { Redis } from 'ioredis';
import { testRedisPrefix, testRedisUrl } from '../../../test/support/redis';
import { ChartFileIds, KEPT_AT_MOST } from './chart-file-ids';

describe('ChartFileIds: a file_id seen once is kept in the process, within a bound', () => {
  let redis: Redis;
  let prefix: string;

  beforeEach(() => {
    redis = new Redis(testRedisUrl());
    prefix = testRedisPrefix();
  });
  afterEach(() => redis.disconnect());

  it('answers from memory what it remembered or read, and from Redis what another replica remembered', async () => {
    const here = new ChartFileIds(redis, prefix);
    const replica = new ChartFileIds(redis, prefix);
    await here.remember(`${prefix}:chart:a`, 'file-a');
    await replica.remember(`${prefix}:chart:b`, 'file-b');
    expect(await here.get(`${prefix}:chart:b`)).toBe('file-b');
    expect(await here.get(`${prefix}:chart:c`)).toBeNull();

    await redis.del(`${prefix}:chart:a`, `${prefix}:chart:b`);
    expect(await here.get(`${prefix}:chart:a`)).toBe('file-a');
    expect(await here.get(`${prefix}:chart:b`)).toBe('file-b');
  });

  it('forgets in both places a file Telegram refused', async () => {
    const here = new ChartFileIds(redis, prefix);
    await here.remember(`${prefix}:chart:a`, 'file-a');
    await here.forget(`${prefix}:chart:a`);
    expect(await redis.get(`${prefix}:chart:a`)).toBeNull();
    expect(await here.get(`${prefix}:chart:a`)).toBeNull();
  });

  it(`keeps ${KEPT_AT_MOST} at most, letting the oldest go first`, async () => {
    const here = new ChartFileIds(redis, prefix);
    for (let i = 0; i <= KEPT_AT_MOST; i++) await here.remember(`${prefix}:chart:${i}`, `file-${i}`);
    await redis.del(`${prefix}:chart:0`, `${prefix}:chart:1`, `${prefix}:chart:${KEPT_AT_MOST}`);
    // The first one went when the last came; the second and the last are still kept.
    expect(await here.get(`${prefix}:chart:0`)).toBeNull();
    expect(await here.get(`${prefix}:chart:1`)).toBe('file-1');
    expect(await here.get(`${prefix}:chart:${KEPT_AT_MOST}`)).toBe(`file-${KEPT_AT_MOST}`);
  });
});
