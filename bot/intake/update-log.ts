import type { ChainableCommander, Redis } from 'ioredis';
import type { Update } from 'grammy/types';

/**
 * The durable log of Telegram updates (Redis streams, persisted by Redis's append-only file).
 *
 * The webhook or the poller records an update here and only then confirms it to Telegram; handlers
 * read it from here and acknowledge it when handled. Updates are spread over SHARD_COUNT streams by
 * chat, and one process at a time consumes a shard (ShardLeases), so one chat's updates are handled
 * one after another, in order, by one process. An update read but not acknowledged stays in the
 * stream's pending list: whoever owns the shard next handles it again (AppliedUpdate keeps its
 * database effects from being applied twice).
 *
 * Telegram may deliver an update twice (a webhook answer lost, a poll repeated): the first record of
 * an update id wins and later ones are answered as duplicates. The ids seen are kept for a day, in
 * hashes of 128 ids each (Redis stores small hashes compactly: ~10 bytes an id).
 */
export const SHARD_COUNT = 32;
/** Readers' group name; the consumer name is the same for every owner, since one process owns a shard. */
export const GROUP = 'handlers';
export const CONSUMER = 'owner';
const SEEN_TTL_SECONDS = 24 * 3600;
const SEEN_BUCKET = 128;

export interface LoggedUpdate {
  /** Stream entry id, for acknowledging. */
  id: string;
  shard: number;
  update: Update;
  /** When it was recorded (from the stream id), for latency metrics. */
  recordedAt: number;
  /** Read in the round trip that claimed it (Claim.prefetch); whoever handles it decides whether they still hold. */
  prefetched?: Prefetched[];
}

// KEYS[1] seen bucket, KEYS[2] stream, KEYS[3] the shard's lease, KEYS[4…] keys to read along (none: no
// read); ARGV[1] id within the bucket, ARGV[2] ttl, ARGV[3] update JSON, ARGV[4] the lease owner claiming
// ('' for no claim), ARGV[5] how many to claim at most
// → 0 duplicate, 1 recorded, or (recorded and claimed) {the stream's entries delivered to the owner, the values of KEYS[4…]}
const RECORD = `
if redis.call('HSETNX', KEYS[1], ARGV[1], 1) == 0 then return 0 end
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('XADD', KEYS[2], '*', 'u', ARGV[3])
if ARGV[4] ~= '' and redis.call('GET', KEYS[3]) == ARGV[4] then
  local delivered = redis.call('XREADGROUP', 'GROUP', '${GROUP}', '${CONSUMER}', 'COUNT', ARGV[5], 'STREAMS', KEYS[2], '>')
  if delivered then
    local values = {}
    if #KEYS > 3 then values = redis.call('MGET', unpack(KEYS, 4)) end
    return {delivered, values}
  end
end
return 1`;

export type RecordOutcome = 'recorded' | 'duplicate';

/**
 * The owner of a shard may claim what it records there in the same call (ShardLeases: the lease key and
 * its owner's name, checked in Redis, since a lease held here a moment ago may have expired): the entry is
 * then delivered to it at once, as a read would deliver it, and handled here without a read of its own.
 */
export interface Claim {
  leaseKey: string;
  owner: string;
  /** Entries to take at most: the new one and any of the shard recorded before but not read yet. */
  count: number;
  /**
   * Keys the handler of the update will read (its chat's session, the chat's pending questions): read in
   * the same call when the update is claimed, and handed over with it (LoggedUpdate.prefetched).
   */
  prefetch?: readonly string[];
}

/** A key's value read along with the claim of its update (Claim.prefetch): null when the key was absent. */
export interface Prefetched {
  key: string;
  value: string | null;
}

export interface Recorded {
  outcomes: RecordOutcome[];
  /** Entries delivered to this process by its claims, oldest first per shard. */
  claimed: LoggedUpdate[];
  /** Why the acknowledgements that rode along failed, if they did (the updates were recorded all the same). */
  acknowledgeError?: unknown;
}

export class UpdateLog {
  private readonly prefix: string;

  constructor(
    private readonly redis: Redis,
    redisPrefix: string,
    private readonly botId: number,
  ) {
    this.prefix = `${redisPrefix}:intake:${botId}`;
    // The number of keys comes first in each call: 3, and the keys to read along.
    this.redis.defineCommand('nmoRecordUpdate', { lua: RECORD });
  }

  streamKey(shard: number): string {
    return `${this.prefix}:shard:${shard}`;
  }

  /** The chat an update belongs to: its order is kept per chat (a user's own id when there is no chat). */
  static chatKeyOf(update: Update): string {
    const u = update as unknown as Record<string, { chat?: { id: number }; from?: { id: number }; message?: { chat?: { id: number } } }>;
    for (const value of Object.values(u)) {
      if (!value || typeof value !== 'object') continue;
      const chat = value.chat ?? value.message?.chat;
      if (chat) return String(chat.id);
      if (value.from) return `user:${value.from.id}`;
    }
    return 'none';
  }

  static shardOf(chatKey: string): number {
    // FNV-1a: stable across processes and versions, unlike anything keyed on memory.
    let hash = 0x811c9dc5;
    for (let i = 0; i < chatKey.length; i++) {
      hash ^= chatKey.charCodeAt(i);
      hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0) % SHARD_COUNT;
  }

  /** Makes sure every shard stream and its readers' group exist (idempotent). */
  async prepare(): Promise<void> {
    const pipeline = this.redis.pipeline();
    for (let shard = 0; shard < SHARD_COUNT; shard++) pipeline.xgroup('CREATE', this.streamKey(shard), GROUP, '0', 'MKSTREAM');
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error && !/BUSYGROUP/.test(error.message)) throw error;
  }

  /**
   * Records updates (atomically each: an id is recorded once however often it comes), claiming those of
   * the shards `claimFor` answers for. `acknowledge` rides in the same round trip: entries handled here
   * whose acknowledgement waited for the next call to Redis.
   */
  async record(
    updates: readonly Update[],
    claimFor: (shard: number, update: Update) => Claim | undefined = () => undefined,
    acknowledge: ReadonlyArray<Pick<LoggedUpdate, 'id' | 'shard'>> = [],
  ): Promise<Recorded> {
    if (updates.length === 0 && acknowledge.length === 0) return { outcomes: [], claimed: [] };
    const pipeline = this.redis.pipeline();
    const acks = this.queueAcknowledgements(pipeline, acknowledge);
    const prefetches: Array<readonly string[]> = [];
    for (const update of updates) {
      const shard = UpdateLog.shardOf(UpdateLog.chatKeyOf(update));
      const bucket = `${this.prefix}:seen:${Math.floor(update.update_id / SEEN_BUCKET)}`;
      const stream = this.streamKey(shard);
      const claim = claimFor(shard, update);
      const along = claim?.prefetch ?? [];
      prefetches.push(along);
      (pipeline as unknown as RecordPipeline).nmoRecordUpdate(
        3 + along.length,
        bucket,
        stream,
        claim?.leaseKey ?? stream,
        ...along,
        update.update_id % SEEN_BUCKET,
        SEEN_TTL_SECONDS,
        JSON.stringify(update),
        claim?.owner ?? '',
        claim?.count ?? 0,
      );
    }
    const results = (await pipeline.exec()) ?? [];
    const acknowledgeError = results.slice(0, acks).find(([error]) => error)?.[0] ?? undefined;
    const outcomes: RecordOutcome[] = [];
    const claimed: LoggedUpdate[] = [];
    results.slice(acks).forEach(([error, value], i) => {
      if (error) throw error;
      if (Array.isArray(value)) {
        outcomes.push('recorded');
        const [delivered, read] = value as [StreamReply, Array<string | null>];
        const entries = this.parse(delivered);
        const keys = prefetches[i];
        if (keys.length > 0) {
          // The claim may also deliver older entries of the shard: the values read are the recorded update's.
          const own = entries.find((e) => e.update.update_id === updates[i].update_id);
          if (own) own.prefetched = keys.map((key, k) => ({ key, value: read[k] ?? null }));
        }
        claimed.push(...entries);
      } else outcomes.push(value === 1 ? 'recorded' : 'duplicate');
    });
    return { outcomes, claimed, acknowledgeError };
  }

  /** Forgets that an update id was seen (tests: as if Redis had lost it, so a redelivery is recorded anew). */
  async forgetSeen(updateId: number): Promise<void> {
    await this.redis.hdel(`${this.prefix}:seen:${Math.floor(updateId / SEEN_BUCKET)}`, String(updateId % SEEN_BUCKET));
  }

  /** Entries of `shards` read before but never acknowledged (a previous owner died or stopped), oldest first. */
  async readUnacknowledged(shard: number, after = '0', count = 100): Promise<LoggedUpdate[]> {
    const reply = (await this.redis.xreadgroup(
      'GROUP',
      GROUP,
      CONSUMER,
      'COUNT',
      count,
      'STREAMS',
      this.streamKey(shard),
      after,
    )) as StreamReply | null;
    return this.parse(reply);
  }

  /** New entries of `shards`, waiting up to `blockMs` for one (on a connection used for nothing else). */
  async readNew(blocking: Redis, shards: readonly number[], count: number, blockMs: number): Promise<LoggedUpdate[]> {
    if (shards.length === 0) return [];
    const keys = shards.map((s) => this.streamKey(s));
    const reply = (await blocking.xreadgroup(
      'GROUP',
      GROUP,
      CONSUMER,
      'COUNT',
      count,
      'BLOCK',
      blockMs,
      'STREAMS',
      ...keys,
      ...keys.map(() => '>'),
    )) as StreamReply | null;
    return this.parse(reply);
  }

  /** Done with these entries: acknowledged and removed, so the streams stay short. */
  async acknowledge(entries: ReadonlyArray<Pick<LoggedUpdate, 'id' | 'shard'>>): Promise<void> {
    if (entries.length === 0) return;
    const pipeline = this.redis.pipeline();
    this.queueAcknowledgements(pipeline, entries);
    const results = (await pipeline.exec()) ?? [];
    for (const [error] of results) if (error) throw error;
  }

  /** Adds the acknowledgement and removal of `entries` to `pipeline`; returns how many commands it added. */
  private queueAcknowledgements(pipeline: ChainableCommander, entries: ReadonlyArray<Pick<LoggedUpdate, 'id' | 'shard'>>): number {
    const byShard = new Map<number, string[]>();
    for (const e of entries) {
      const ids = byShard.get(e.shard);
      if (ids) ids.push(e.id);
      else byShard.set(e.shard, [e.id]);
    }
    for (const [shard, ids] of byShard) {
      pipeline.xack(this.streamKey(shard), GROUP, ...ids);
      pipeline.xdel(this.streamKey(shard), ...ids);
    }
    return byShard.size * 2;
  }

  /** Entries waiting in every shard (recorded, not yet acknowledged), for /metrics and tests. */
  async backlog(): Promise<number> {
    const pipeline = this.redis.pipeline();
    for (let shard = 0; shard < SHARD_COUNT; shard++) pipeline.xlen(this.streamKey(shard));
    const results = (await pipeline.exec()) ?? [];
    return results.reduce((sum, [error, n]) => sum + (error ? 0 : Number(n)), 0);
  }

  private parse(reply: StreamReply | null): LoggedUpdate[] {
    if (!reply) return [];
    const out: LoggedUpdate[] = [];
    for (const [key, entries] of reply) {
      const shard = Number(key.slice(key.lastIndexOf(':') + 1));
      for (const [id, fields] of entries) {
        // An entry deleted after it was delivered (acknowledged elsewhere) comes back without fields.
        if (!fields) continue;
        const raw = fields[fields.indexOf('u') + 1];
        out.push({ id, shard, update: JSON.parse(raw) as Update, recordedAt: Number(id.slice(0, id.indexOf('-'))) });
      }
    }
    return out;
  }
}

type StreamReply = Array<[string, Array<[string, string[] | null]>]>;

interface RecordPipeline {
  /** numberOfKeys, bucket, stream, lease, the keys to read along; field, ttl, update, owner, count. */
  nmoRecordUpdate(...args: Array<string | number>): void;
}
