import { randomBytes } from 'node:crypto';

/**
 * Redis for tests: one server for the whole run (test/global-setup.ts), shared by every jest worker.
 * Test files keep out of each other's way by key prefix, not by server: give each system under test
 * a prefix of its own — REDIS_PREFIX, which the app hands to BullMQ as its queue `prefix` — from
 * `testRedisPrefix()`. Two files using the same queue names under one prefix would steal each
 * other's jobs. A numbered database (`testRedisUrl(n)`) suits only a test that must FLUSHDB.
 */
export function testRedisUrl(dbIndex?: number): string {
  const url = process.env.TEST_REDIS_URL;
  if (!url) throw new Error('TEST_REDIS_URL is not set: run tests through jest, whose global setup sets it');
  if (dbIndex === undefined) return url;
  const parsed = new URL(url);
  parsed.pathname = `/${dbIndex}`;
  return parsed.toString();
}

/** A key prefix no other test file uses, e.g. `t3f9a1c2b7e`. */
export function testRedisPrefix(): string {
  return `t${randomBytes(5).toString('hex')}`;
}
