import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Redis } from 'ioredis';
import { SHARD_COUNT } from './update-log';

/**
 * Which bot process consumes which shard of the update log, and which one polls Telegram.
 *
 * A shard is consumed by one process at a time: its lease is a Redis key holding the owner's name,
 * set with NX and a time to live, renewed every RENEW_MS while the owner lives. A process that dies
 * (kill -9) stops renewing, its leases expire after LEASE_MS, and the others take its shards over
 * with everything it had read but not finished. A process that stops (SIGTERM) releases its leases
 * at once. Live processes register in a sorted set; each aims at an even share of the shards and
 * hands back the shards above its share, so a new replica gets work within a few seconds.
 */
export const LEASE_MS = 15_000;
export const RENEW_MS = 2_000;

// KEYS: leases; ARGV[1] owner, ARGV[2] ttl → 1 per key still ours (renewed), 0 otherwise
const RENEW = `
local out = {}
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then
    redis.call('PEXPIRE', key, ARGV[2])
    out[i] = 1
  else
    out[i] = 0
  end
end
return out`;

// KEYS: leases; ARGV[1] owner → deletes those still ours
const RELEASE = `
for _, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[1] then redis.call('DEL', key) end
end
return 1`;

export interface LeaseChanges {
  acquired: number[];
  lost: number[];
}

export class ShardLeases {
  readonly owner = `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  private readonly owned = new Set<number>();
  private readonly prefix: string;
  private pollerHeld = false;
  /** Where this process starts looking for free shards, so that replicas starting together spread out. */
  private readonly offset = Math.floor(Math.random() * SHARD_COUNT);
  private acquiredListener: (shard: number) => void = () => undefined;

  constructor(
    private readonly redis: Redis,
    intakePrefix: string,
  ) {
    this.prefix = `${intakePrefix}:lease`;
    this.redis.defineCommand('nmoRenewLeases', { lua: RENEW });
    this.redis.defineCommand('nmoReleaseLeases', { lua: RELEASE });
  }

  shards(): number[] {
    return [...this.owned].sort((a, b) => a - b);
  }

  owns(shard: number): boolean {
    return this.owned.has(shard);
  }

  /**
   * Hears of each shard the moment it becomes this process's, before anything else can see it owned: a
   * heartbeat takes shards one round trip at a time, and a record or a read in between must not take a
   * new entry of a shard whose previous owner's unfinished ones are not yet queued (UpdateConsumer).
   */
  onAcquired(listener: (shard: number) => void): void {
    this.acquiredListener = listener;
  }

  holdsPoller(): boolean {
    return this.pollerHeld;
  }

  /** The Redis key of a shard's lease (its value is the owner's name). */
  leaseKey(shard: number): string {
    return `${this.prefix}:shard:${shard}`;
  }

  /** Renews what this process holds, registers it as alive, and takes free shards up to its share. */
  async heartbeat(options: { wantPoller: boolean; acceptShards: boolean }): Promise<LeaseChanges> {
    const lost: number[] = [];
    const mine = this.shards();
    if (mine.length > 0) {
      const renewed = (await this.call(
        'nmoRenewLeases',
        mine.map((s) => this.leaseKey(s)),
        this.owner,
        LEASE_MS,
      )) as number[];
      mine.forEach((shard, i) => {
        if (renewed[i] !== 1) {
          this.owned.delete(shard);
          lost.push(shard);
        }
      });
    }
    const [seconds, micros] = await this.redis.time();
    const now = Number(seconds) * 1000 + Math.floor(Number(micros) / 1000);
    const members = `${this.prefix}:members`;
    await this.redis
      .multi()
      .zadd(members, now + LEASE_MS, this.owner)
      .zremrangebyscore(members, '-inf', now)
      .exec();

    const acquired: number[] = [];
    if (options.acceptShards) {
      const live = Math.max(1, await this.redis.zcard(members));
      const share = Math.ceil(SHARD_COUNT / live);
      for (let i = 0; i < SHARD_COUNT && this.owned.size < share; i++) {
        const shard = (this.offset + i) % SHARD_COUNT;
        if (this.owned.has(shard)) continue;
        if ((await this.redis.set(this.leaseKey(shard), this.owner, 'PX', LEASE_MS, 'NX')) === 'OK') {
          this.owned.add(shard);
          this.acquiredListener(shard);
          acquired.push(shard);
        }
      }
    }
    await this.heartbeatPoller(options.wantPoller);
    return { acquired, lost };
  }

  /** Shards above this process's share, to hand back once what it holds of them is handled. */
  async excess(): Promise<number[]> {
    const live = Math.max(1, await this.redis.zcard(`${this.prefix}:members`));
    const share = Math.ceil(SHARD_COUNT / live);
    return this.shards().slice(share);
  }

  async release(shards: readonly number[]): Promise<void> {
    if (shards.length === 0) return;
    await this.call(
      'nmoReleaseLeases',
      shards.map((s) => this.leaseKey(s)),
      this.owner,
    );
    for (const shard of shards) this.owned.delete(shard);
  }

  /** Leaves: every lease and the poller handed back, membership withdrawn. */
  async releaseAll(): Promise<void> {
    await this.release(this.shards());
    if (this.pollerHeld) await this.call('nmoReleaseLeases', [`${this.prefix}:poller`], this.owner);
    this.pollerHeld = false;
    await this.redis.zrem(`${this.prefix}:members`, this.owner);
  }

  private async heartbeatPoller(want: boolean): Promise<void> {
    const key = `${this.prefix}:poller`;
    if (!want) {
      if (this.pollerHeld) await this.call('nmoReleaseLeases', [key], this.owner);
      this.pollerHeld = false;
      return;
    }
    if (this.pollerHeld) {
      const [renewed] = (await this.call('nmoRenewLeases', [key], this.owner, LEASE_MS)) as number[];
      this.pollerHeld = renewed === 1;
    }
    if (!this.pollerHeld) this.pollerHeld = (await this.redis.set(key, this.owner, 'PX', LEASE_MS, 'NX')) === 'OK';
  }

  private call(command: 'nmoRenewLeases' | 'nmoReleaseLeases', keys: string[], ...args: Array<string | number>): Promise<unknown> {
    const fn = (this.redis as unknown as Record<string, (...a: unknown[]) => Promise<unknown>>)[command];
    return fn.call(this.redis, keys.length, ...keys, ...args);
  }
}
