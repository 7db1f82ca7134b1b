import { setTimeout as sleep } from 'node:timers/promises';
import type { Update } from 'grammy/types';
import { Redis } from 'ioredis';
import type { Logger } from '../../infra/logger';
import { waitUntil } from '../../test/support/eventually';
import { testRedisPrefix, testRedisUrl } from '../../test/support/redis';
import { ShardLeases } from './shard-leases';
import { compareStreamIds, DEFAULT_CONSUMER_OPTIONS, UpdateConsumer } from './update-consumer';
import { type Claim, type LoggedUpdate, SHARD_COUNT, UpdateLog } from './update-log';

const BOT_ID = 42;
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined } as unknown as Logger;

function message(updateId: number, chatId: number, text = `text ${updateId}`): Update {
  return {
    update_id: updateId,
    message: {
      message_id: updateId,
      date: 0,
      chat: { id: chatId, type: 'private', first_name: 'A' },
      from: { id: chatId, is_bot: false, first_name: 'A' },
      text,
    },
  } as Update;
}

describe('UpdateLog.record: the owner of a shard claims what it records there in the same round trip', () => {
  let redis: Redis;
  let blocking: Redis;
  let log: UpdateLog;
  let leases: ShardLeases;
  const chat = 1001;
  const shard = UpdateLog.shardOf(String(chat));

  beforeEach(async () => {
    const prefix = testRedisPrefix();
    redis = new Redis(testRedisUrl());
    blocking = new Redis(testRedisUrl());
    log = new UpdateLog(redis, prefix, BOT_ID);
    await log.prepare();
    leases = new ShardLeases(redis, `${prefix}:intake:${BOT_ID}`);
    await leases.heartbeat({ wantPoller: false, acceptShards: true });
    expect(leases.owns(shard)).toBe(true);
  });
  afterEach(() => {
    redis.disconnect();
    blocking.disconnect();
  });

  const claim =
    (count = 10): ((s: number) => Claim) =>
    () => ({ leaseKey: leases.leaseKey(shard), owner: leases.owner, count });

  it('delivers the new entry to the claim, and a read blocked on the shard meanwhile does not get it', async () => {
    const reading = log.readNew(blocking, [shard], 10, 700);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const { outcomes, claimed } = await log.record([message(1, chat)], claim());

    expect(outcomes).toEqual(['recorded']);
    expect(claimed.map((e) => [e.shard, e.update])).toEqual([[shard, message(1, chat)]]);
    expect(await reading).toEqual([]);
    // Delivered, not yet acknowledged: a later owner's replay would find it.
    expect((await log.readUnacknowledged(shard)).map((e) => e.id)).toEqual([claimed[0].id]);
  });

  it('takes entries recorded before without a claim (another replica recorded them) first, oldest first', async () => {
    await log.record([message(1, chat), message(2, chat)]);
    const { claimed } = await log.record([message(3, chat)], claim());

    expect(claimed.map((e) => e.update.update_id)).toEqual([1, 2, 3]);
    expect(compareStreamIds(claimed[0].id, claimed[1].id)).toBeLessThan(0);
    expect(compareStreamIds(claimed[1].id, claimed[2].id)).toBeLessThan(0);
  });

  it('claims nothing in a shard whose lease is not the claimer’s any more: the read delivers it to the owner', async () => {
    const stranger: Claim = { leaseKey: leases.leaseKey(shard), owner: 'gone:1:abc', count: 10 };
    const { outcomes, claimed } = await log.record([message(1, chat)], () => stranger);

    expect(outcomes).toEqual(['recorded']);
    expect(claimed).toEqual([]);
    expect((await log.readNew(blocking, [shard], 10, 100)).map((e) => e.update.update_id)).toEqual([1]);
  });

  it('records a repeated update id once and claims nothing for the repeat', async () => {
    await log.record([message(1, chat)], claim());
    const again = await log.record([message(1, chat)], claim());

    expect(again).toEqual({ outcomes: ['duplicate'], claimed: [] });
  });

  it('reads the keys a claim names along with it, for the recorded update only', async () => {
    const sessionKey = `${testRedisPrefix()}:session:${chat}`;
    const questionKey = `${testRedisPrefix()}:quiet:${chat}`;
    await redis.set(sessionKey, '{"wizard":"dispute"}');
    // Recorded before by another replica: delivered by the same claim, but nothing was read for it.
    await log.record([message(1, chat)]);
    const { claimed } = await log.record([message(2, chat)], () => ({ ...claim()(shard), prefetch: [sessionKey, questionKey] }));

    expect(claimed.map((e) => [e.update.update_id, e.prefetched])).toEqual([
      [1, undefined],
      [
        2,
        [
          { key: sessionKey, value: '{"wizard":"dispute"}' },
          { key: questionKey, value: null },
        ],
      ],
    ]);
    await redis.set(questionKey, '1');
    const next = await log.record([message(3, chat)], () => ({ ...claim()(shard), prefetch: [`${sessionKey}:none`, questionKey] }));
    expect(next.claimed[0].prefetched).toEqual([
      { key: `${sessionKey}:none`, value: null },
      { key: questionKey, value: '1' },
    ]);
    const none = await log.record([message(4, chat)], () => ({ ...claim()(shard), prefetch: [] }));
    expect(none.claimed[0].prefetched).toBeUndefined();
  });

  it('reads nothing along when it claims nothing', async () => {
    const stranger: Claim = { leaseKey: leases.leaseKey(shard), owner: 'gone:1:abc', count: 10, prefetch: ['any'] };
    expect(await log.record([message(1, chat)], () => stranger)).toEqual({
      outcomes: ['recorded'],
      claimed: [],
      acknowledgeError: undefined,
    });
  });

  it('acknowledges what it is given in the same call: those entries leave the stream', async () => {
    const { claimed } = await log.record([message(1, chat)], claim());
    await log.record([message(2, chat)], () => undefined, claimed);

    expect(await log.readUnacknowledged(shard)).toEqual([]);
    expect(await log.backlog()).toBe(1);
  });
});

/** A log of its own (a fresh prefix), its Redis connection and one for blocking reads. */
function freshLog(): { prefix: string; redis: Redis; blocking: Redis; log: UpdateLog } {
  const prefix = testRedisPrefix();
  const redis = new Redis(testRedisUrl());
  return { prefix, redis, blocking: new Redis(testRedisUrl()), log: new UpdateLog(redis, prefix, BOT_ID) };
}

/**
 * A consumer whose handling only notes the update ids it was given, in order; the first handling waits for
 * `holdFirst` when given (with `maxInFlight` 1, nothing else is taken meanwhile).
 */
function recordingConsumer(
  log: UpdateLog,
  blocking: Redis,
  leases: ShardLeases,
  options: { maxInFlight?: number; holdFirst?: Promise<void> } = {},
): { consumer: UpdateConsumer; handled: number[] } {
  const handled: number[] = [];
  const consumer = new UpdateConsumer(
    log,
    blocking,
    leases,
    async (entry: LoggedUpdate) => {
      handled.push(entry.update.update_id);
      if (options.holdFirst && handled.length === 1) await options.holdFirst;
      return 'handled';
    },
    silent,
    { ...DEFAULT_CONSUMER_OPTIONS, maxInFlight: options.maxInFlight ?? DEFAULT_CONSUMER_OPTIONS.maxInFlight, wantPoller: false },
  );
  return { consumer, handled };
}

describe('UpdateConsumer: claimed entries lost on the way back are replayed', () => {
  it('handles an entry a claim delivered whose reply never arrived, once replayLater names its shard', async () => {
    const { prefix, redis, blocking, log } = freshLog();
    await log.prepare();
    const leases = new ShardLeases(redis, `${prefix}:intake:${BOT_ID}`);
    const { consumer, handled } = recordingConsumer(log, blocking, leases);
    try {
      consumer.start();
      const chat = 2002;
      const shard = UpdateLog.shardOf(String(chat));
      for (let i = 0; i < 100 && consumer.claimable(shard) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(consumer.claimable(shard)).toBeGreaterThan(0);

      // The claim happened in Redis; its reply is dropped here, as a broken connection would drop it.
      await log.record([message(7, chat)], () => ({ leaseKey: leases.leaseKey(shard), owner: leases.owner, count: 10 }));
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(handled).toEqual([]);

      consumer.replayLater([shard]);
      expect(consumer.claimable(shard)).toBe(0);
      for (let i = 0; i < 100 && handled.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(handled).toEqual([7]);
      for (let i = 0; i < 100 && (await log.backlog()) > 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      expect(await log.backlog()).toBe(0);
    } finally {
      await consumer.stop(1000);
      redis.disconnect();
    }
  });

  it('handles a chat’s entries in stream order when a later one reached the process first (claim and read race)', async () => {
    const { prefix, redis, blocking, log } = freshLog();
    const handled: number[] = [];
    let releaseHead!: () => void;
    const headHeld = new Promise<void>((resolve) => (releaseHead = resolve));
    const consumer = new UpdateConsumer(
      log,
      blocking,
      new ShardLeases(redis, `${prefix}:intake:${BOT_ID}`),
      async (entry: LoggedUpdate) => {
        if (entry.update.update_id === 1) await headHeld;
        handled.push(entry.update.update_id);
        return 'handled';
      },
      silent,
      { ...DEFAULT_CONSUMER_OPTIONS, wantPoller: false },
    );
    const entry = (updateId: number, id: string): LoggedUpdate => ({ id, shard: 3, update: message(updateId, 3003), recordedAt: 0 });
    try {
      consumer.adopt([entry(1, '1000-0')]);
      consumer.adopt([entry(4, '1000-3'), entry(5, '1001-0')]);
      consumer.adopt([entry(2, '1000-1')]);
      consumer.adopt([entry(3, '1000-2')]);
      releaseHead();
      for (let i = 0; i < 100 && handled.length < 5; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(handled).toEqual([1, 2, 3, 4, 5]);
    } finally {
      await consumer.stop(1000);
      redis.disconnect();
    }
  });
});

/**
 * A previous owner took one update in every shard (update id: the shard + 1, each of a chat of its own) and
 * stopped without finishing them: they wait in the shards' pending lists. Answers each shard's chat.
 */
async function leftUnfinished(redis: Redis, log: UpdateLog, intakePrefix: string): Promise<Map<number, number>> {
  await log.prepare();
  const chats = new Map<number, number>();
  for (let id = 1; chats.size < SHARD_COUNT; id++)
    if (!chats.has(UpdateLog.shardOf(String(id)))) chats.set(UpdateLog.shardOf(String(id)), id);
  const previous = new ShardLeases(redis, intakePrefix);
  await previous.heartbeat({ wantPoller: false, acceptShards: true });
  for (const [shard, chat] of chats) {
    const { claimed } = await log.record([message(shard + 1, chat)], () => ({
      leaseKey: previous.leaseKey(shard),
      owner: previous.owner,
      count: 10,
    }));
    expect(claimed).toHaveLength(1);
  }
  await previous.releaseAll();
  return chats;
}

/** Another process takes `shard` (as after this one's lease expired), and this one has seen it lost. */
async function takenByAnother(redis: Redis, leases: ShardLeases, shard: number): Promise<void> {
  await redis.set(leases.leaseKey(shard), 'another:1:abc', 'PX', 15_000);
  await waitUntil(() => !leases.owns(shard), 'the lease lost at the next heartbeat', 10_000);
}

/** Each shard's unfinished update (leftUnfinished) was handled here, once, but that of the shard another took. */
async function expectHandledAllBut(handled: number[], stolen: number): Promise<void> {
  await waitUntil(() => handled.length >= SHARD_COUNT - 1, 'the other shards replayed');
  await sleep(300);
  expect([...handled].sort((a, b) => a - b)).toEqual(
    Array.from({ length: SHARD_COUNT }, (_, shard) => shard + 1).filter((id) => id !== stolen + 1),
  );
}

describe('UpdateConsumer: a shard taken over is replayed before anything newer of it is claimed', () => {
  it('handles the previous owner’s unfinished update of a chat before one recorded while the shards are being taken', async () => {
    const { prefix, redis, blocking, log } = freshLog();
    const chats = await leftUnfinished(redis, log, `${prefix}:intake:${BOT_ID}`);

    // The new owner takes its shards one slow round trip at a time, as under load.
    const slow = new Proxy(redis, {
      get(target, property, receiver) {
        if (property === 'set') return (...args: unknown[]) => sleep(10).then(() => (target.set as (...a: unknown[]) => unknown)(...args));
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const leases = new ShardLeases(slow, `${prefix}:intake:${BOT_ID}`);
    const { consumer, handled } = recordingConsumer(log, blocking, leases);
    try {
      consumer.start();
      await waitUntil(() => leases.shards().length > 0, 'the first shard taken');
      expect(leases.shards().length).toBeLessThan(SHARD_COUNT);
      // A person writes while the rest are still being taken; the webhook records it as UpdateIntake does.
      const [shard] = leases.shards();
      const claimable = consumer.claimable(shard);
      const { claimed } = await log.record([message(1000, chats.get(shard)!)], (s) =>
        claimable > 0 ? { leaseKey: leases.leaseKey(s), owner: leases.owner, count: claimable } : undefined,
      );
      consumer.adopt(claimed);

      await waitUntil(() => handled.includes(1000) && handled.includes(shard + 1), 'both updates of the chat handled');
      expect(handled.filter((id) => id === shard + 1 || id === 1000)).toEqual([shard + 1, 1000]);
      expect(claimable).toBe(0);
    } finally {
      await consumer.stop(1000);
      redis.disconnect();
    }
  });

  it('leaves a shard lost before its replay to the owner that took it: its unfinished update is not handled here', async () => {
    const { prefix, redis, blocking, log } = freshLog();
    const intake = `${prefix}:intake:${BOT_ID}`;
    await leftUnfinished(redis, log, intake);

    // The first update replayed holds the only place in hand, so the other shards wait in the replay queue.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const leases = new ShardLeases(redis, intake);
    const { consumer, handled } = recordingConsumer(log, blocking, leases, { maxInFlight: 1, holdFirst: held });
    try {
      consumer.start();
      await waitUntil(() => handled.length === 1, 'the first replayed update in hand');
      const first = handled[0] - 1;
      const stolen = (first + 1) % SHARD_COUNT;
      // Another process takes one of the shards still waiting.
      await takenByAnother(redis, leases, stolen);
      release();
      await expectHandledAllBut(handled, stolen);
    } finally {
      release();
      await consumer.stop(1000);
      redis.disconnect();
    }
  });

  it('leaves a shard lost while its replay was being read to the owner that took it: what that read brought is not handled here', async () => {
    const { prefix, redis, blocking, log } = freshLog();
    const intake = `${prefix}:intake:${BOT_ID}`;
    await leftUnfinished(redis, log, intake);

    // The first replay read reaches Redis and its answer is held on the way back.
    let release!: () => void;
    const answerHeld = new Promise<void>((resolve) => (release = resolve));
    let readShard: number | undefined;
    const read = log.readUnacknowledged.bind(log);
    log.readUnacknowledged = async (shard, after, count) => {
      const page = await read(shard, after, count);
      if (readShard === undefined || readShard === shard) {
        readShard = shard;
        await answerHeld;
      }
      return page;
    };
    const leases = new ShardLeases(redis, intake);
    const { consumer, handled } = recordingConsumer(log, blocking, leases);
    try {
      consumer.start();
      await waitUntil(() => readShard !== undefined, 'the first replay read on its way');
      const stolen = readShard!;
      // Another process takes the shard meanwhile.
      await takenByAnother(redis, leases, stolen);
      release();
      await expectHandledAllBut(handled, stolen);
    } finally {
      release();
      await consumer.stop(1000);
      redis.disconnect();
    }
  });
});

describe('UpdateConsumer: a value read along with a claim is kept only while nothing of its chat came into hand', () => {
  let redis: Redis;
  let consumer: UpdateConsumer;
  let seen: Map<number, LoggedUpdate['prefetched']>;
  let release!: () => void;

  beforeEach(() => {
    const prefix = testRedisPrefix();
    redis = new Redis(testRedisUrl());
    seen = new Map();
    const held = new Promise<void>((resolve) => (release = resolve));
    consumer = new UpdateConsumer(
      new UpdateLog(redis, prefix, BOT_ID),
      new Redis(testRedisUrl()),
      new ShardLeases(redis, `${prefix}:intake:${BOT_ID}`),
      async (entry: LoggedUpdate) => {
        seen.set(entry.update.update_id, entry.prefetched);
        if (entry.update.update_id === 1) await held;
        return 'handled';
      },
      silent,
      { ...DEFAULT_CONSUMER_OPTIONS, wantPoller: false },
    );
  });
  afterEach(async () => {
    release();
    await consumer.stop(1000);
    redis.disconnect();
  });

  const read = [{ key: 'session', value: '{}' }];
  const entry = (updateId: number, chat: number, id: string, prefetched?: LoggedUpdate['prefetched']): LoggedUpdate => ({
    id,
    shard: 3,
    update: message(updateId, chat),
    recordedAt: 0,
    prefetched,
  });
  const settled = async (n: number) => {
    for (let i = 0; i < 100 && seen.size < n; i++) await new Promise((resolve) => setTimeout(resolve, 20));
  };

  it('keeps it when the chat had nothing in hand from the mark to the adoption', async () => {
    const mark = consumer.prefetchMark('4004');
    expect(mark).toBeDefined();
    consumer.adopt([entry(2, 4004, '1000-0', read)], mark);
    await settled(1);
    expect(seen.get(2)).toEqual(read);
  });

  it('gives no mark while an update of the chat is in hand, and drops a value adopted without one', async () => {
    consumer.adopt([entry(1, 4004, '1000-0')]);
    expect(consumer.prefetchMark('4004')).toBeUndefined();
    expect(consumer.prefetchMark('5005')).toBeDefined();
    consumer.adopt([entry(2, 5005, '1000-1', read)]);
    await settled(2);
    expect(seen.get(2)).toBeUndefined();
  });

  it('drops it when an update of the chat came into hand after the mark, even one finished since', async () => {
    const mark = consumer.prefetchMark('4004');
    // Another connection's read delivered the chat's earlier update meanwhile; it may have written the session.
    consumer.adopt([entry(3, 4004, '1000-0')]);
    await settled(1);
    for (let i = 0; i < 50 && consumer.busy > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20));
    consumer.adopt([entry(4, 4004, '1000-1', read)], mark);
    await settled(2);
    expect(seen.get(4)).toBeUndefined();
  });

  it('keeps the value of one chat when another chat came into hand meanwhile', async () => {
    const mark = consumer.prefetchMark('4004');
    consumer.adopt([entry(5, 6006, '1000-0')]);
    consumer.adopt([entry(6, 4004, '1000-1', read)], mark);
    await settled(2);
    expect(seen.get(6)).toEqual(read);
  });
});

describe('UpdateConsumer: an acknowledgement nobody waits for rides in the next record', () => {
  const RIDE_MS = 60_000;
  let redis: Redis;
  let blocking: Redis;
  let log: UpdateLog;
  let consumer: UpdateConsumer;
  let handled: number[];
  let acknowledged: number[];
  let awaited: Set<number>;
  let stopped: boolean;

  beforeEach(() => {
    stopped = false;
    const prefix = testRedisPrefix();
    redis = new Redis(testRedisUrl());
    blocking = new Redis(testRedisUrl());
    log = new UpdateLog(redis, prefix, BOT_ID);
    handled = [];
    acknowledged = [];
    awaited = new Set();
    // A ride far longer than any test: whatever is acknowledged meanwhile did not wait for one.
    consumer = new UpdateConsumer(
      log,
      blocking,
      new ShardLeases(redis, `${prefix}:intake:${BOT_ID}`),
      async (entry: LoggedUpdate) => {
        handled.push(entry.update.update_id);
        return 'handled';
      },
      silent,
      { ...DEFAULT_CONSUMER_OPTIONS, ackRideMs: RIDE_MS, awaited: (entry) => awaited.has(entry.update.update_id), wantPoller: false },
      (entries) => acknowledged.push(...entries.map((e) => e.update.update_id)),
    );
  });
  afterEach(async () => {
    if (!stopped) await consumer.stop(1000);
    redis.disconnect();
  });

  /** Records `updates` in the log and hands their entries to the consumer, as a claim would. */
  async function recordAndAdopt(chat: number, ...updateIds: number[]): Promise<LoggedUpdate[]> {
    const shard = UpdateLog.shardOf(String(chat));
    await log.prepare();
    await log.record(updateIds.map((id) => message(id, chat)));
    const entries = await log.readNew(blocking, [shard], 100, 100);
    consumer.adopt(entries);
    return entries;
  }

  async function until(condition: () => boolean | Promise<boolean>): Promise<void> {
    for (let i = 0; i < 200 && !(await condition()); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  }

  it('waits for the next record and leaves with it: acknowledged and removed in that round trip', async () => {
    await recordAndAdopt(4004, 1);
    await until(() => handled.length === 1);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(acknowledged).toEqual([]);
    expect(await log.backlog()).toBe(1);

    const acks = consumer.takeAcknowledgements();
    expect(acks?.entries.map((e) => e.update.update_id)).toEqual([1]);
    const recorded = await log.record([message(2, 5005)], () => undefined, acks?.entries);
    acks?.acknowledged(recorded.acknowledgeError);
    expect(acknowledged).toEqual([1]);
    // What is left is the update just recorded.
    expect(await log.backlog()).toBe(1);
    expect(consumer.takeAcknowledgements()).toBeUndefined();
  });

  it('does not wait when the chat has its next update waiting behind it, nor when someone waits for it', async () => {
    await recordAndAdopt(6006, 11, 12);
    await until(() => handled.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 200));
    // 11 went at once (12 waited behind it); 12, the chat's last, waits for a ride.
    expect(acknowledged).toEqual([11]);

    awaited.add(21);
    await recordAndAdopt(7007, 21);
    await until(() => acknowledged.length === 3);
    // 21 goes at once, and takes 12 along.
    expect(acknowledged.sort()).toEqual([11, 12, 21]);
    expect(consumer.takeAcknowledgements()).toBeUndefined();
    expect(await log.backlog()).toBe(0);
  });

  it('goes on its own when the record it rode in fails, and when the process stops', async () => {
    await recordAndAdopt(8008, 31);
    await until(() => handled.length === 1);
    consumer.takeAcknowledgements()?.acknowledged(new Error('connection lost'));
    await until(() => acknowledged.length === 1);
    expect(acknowledged).toEqual([31]);

    await recordAndAdopt(8008, 32);
    await until(() => handled.length === 2);
    await consumer.stop(1000);
    stopped = true;
    expect(acknowledged).toEqual([31, 32]);
    expect(await log.backlog()).toBe(0);
  });
});
