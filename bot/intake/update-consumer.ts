import type { Redis } from 'ioredis';
import type { Logger } from '../../infra/logger';
import { RENEW_MS, type ShardLeases } from './shard-leases';
import { type LoggedUpdate, UpdateLog } from './update-log';

/** Entries taken from the log in one read or one claim at most. */
const BATCH = 200;
/** Chats whose latest queue is remembered for prefetch marks; past it the memory starts over (marks void). */
const MARKED_CHATS = 10_000;

/**
 * How long an acknowledgement nobody waits for may wait for the next record (the webhook's or the
 * poller's round trip to Redis) to ride in, instead of a round trip of its own. At 100 updates a second
 * most acknowledgements find one; an update whose chat has another waiting is acknowledged at once.
 */
export const ACK_RIDE_MS = 10;

/** What became of one update: handled (or failed for good), or to be tried again later (an outage). */
export type HandleOutcome = 'handled' | 'retry';

export interface ConsumerOptions {
  /** Updates held in memory at most (read, not yet acknowledged); the rest wait in the log. */
  maxInFlight: number;
  /** Waits between tries of an update that met an outage. */
  retryDelaysMs: readonly number[];
  /** ACK_RIDE_MS (tests make it long, to see what does not wait for it). */
  ackRideMs: number;
  /** Whether someone waits for this entry to be finished (UpdateIntake.settled): its acknowledgement does not wait for a ride. */
  awaited?: (entry: LoggedUpdate) => boolean;
}

export const DEFAULT_CONSUMER_OPTIONS: ConsumerOptions = {
  maxInFlight: 512,
  retryDelaysMs: [500, 1000, 2000, 5000, 10_000, 30_000],
  ackRideMs: ACK_RIDE_MS,
};

interface AckBatch {
  entries: LoggedUpdate[];
  done: Promise<void>;
  settle: () => void;
  /** Waiting for a record to ride in (ACK_RIDE_MS), rather than for the end of this turn. */
  ride?: NodeJS.Timeout;
}

/** Acknowledgements handed to a record's round trip (UpdateConsumer.takeAcknowledgements). */
export interface RidingAcks {
  entries: readonly LoggedUpdate[];
  /** The record's outcome for them: acknowledged, or (an error) to be acknowledged on their own. */
  acknowledged(error?: unknown): void;
}

interface ChatQueue {
  entries: LoggedUpdate[];
  running: boolean;
}

/**
 * Reads the shards this process owns and hands each update to `handle`, one chat at a time and in
 * the order recorded, many chats at once. An update is acknowledged only after `handle` returns
 * `handled`; `retry` keeps it (and the chat's later updates) back and tries again after a pause.
 * A shard newly owned is first read from its unacknowledged entries: what a dead or stopped owner
 * left half way is handled before anything newer of that shard.
 */
export class UpdateConsumer {
  private readonly chats = new Map<string, ChatQueue>();
  /** Entries in memory (`shard/id`), queued or being handled. */
  private readonly held = new Set<string>();
  private inFlight = 0;
  private stopping = false;
  private loopDone?: Promise<void>;
  private heartbeatTimer?: NodeJS.Timeout;
  private heartbeatRunning = false;
  /** Shards acquired whose unacknowledged entries are still to be read, before any new one. */
  private readonly toReplay: number[] = [];
  /** Shards being handed back: not read any more; released once nothing of them is in flight. */
  private readonly handingBack = new Set<number>();
  private readonly inFlightByShard = new Map<number, number>();
  private capacityWaiter?: () => void;
  private idleWaiters: Array<() => void> = [];
  private readonly retryTimers = new Set<NodeJS.Timeout>();
  private redisDown = false;
  /** Whether the head of toReplay is being read now. */
  private replaying = false;
  /** Entries handled in this turn of the event loop, acknowledged together at its end. */
  private ackBatch?: AckBatch;
  /** Chat queues made so far, and when each chat's latest was made (bounded): whether a prefetch still holds. */
  private queuesMade = 0;
  private readonly queueMadeAt = new Map<string, number>();
  /** Marks older than this are void (queueMadeAt was cleared since). */
  private marksValidFrom = 0;

  constructor(
    private readonly log: UpdateLog,
    private readonly blocking: Redis,
    private readonly leases: ShardLeases,
    private readonly handle: (entry: LoggedUpdate) => Promise<HandleOutcome>,
    private readonly logger: Logger,
    private readonly options: ConsumerOptions & { wantPoller: boolean },
    private readonly onAcknowledged: (entries: readonly LoggedUpdate[]) => void = () => undefined,
  ) {
    // Queued for replay as it is taken, not when the heartbeat ends: until its replay is done nothing
    // newer of the shard is claimed or read, so a chat's unfinished updates go before its new ones.
    leases.onAcquired((shard) => {
      if (!this.toReplay.includes(shard)) this.toReplay.push(shard);
    });
  }

  start(): void {
    this.heartbeatTimer = setInterval(() => void this.beat(), RENEW_MS);
    this.loopDone = this.beat().then(() => this.loop());
  }

  get busy(): number {
    return this.inFlight;
  }

  /**
   * Stops reading, waits up to `graceMs` for the updates in hand, then hands every shard back. What is
   * not finished by then stays in the log unacknowledged: the next owner handles it.
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.acknowledgeSoon();
    for (const timer of this.retryTimers) clearTimeout(timer);
    this.retryTimers.clear();
    this.capacityWaiter?.();
    // Ends a blocking read at once; anything it had taken stays pending for the next owner.
    this.blocking.disconnect();
    let graceTimer: NodeJS.Timeout | undefined;
    await Promise.race([this.whenIdle(), new Promise((resolve) => (graceTimer = setTimeout(resolve, graceMs)))]);
    clearTimeout(graceTimer);
    clearInterval(this.heartbeatTimer);
    await this.loopDone?.catch(() => undefined);
    await this.leases
      .releaseAll()
      .catch((err: unknown) => this.logger.warn({ err }, 'update log: leases not released; they expire by themselves'));
  }

  /**
   * How many entries of `shard` a record may claim for this process (UpdateLog.record): none while the
   * shard is not this process's to read now (not owned, handed back, its previous owner's entries still
   * to be replayed first) or while this process holds all it may.
   */
  claimable(shard: number): number {
    if (this.stopping || !this.leases.owns(shard) || this.handingBack.has(shard) || this.toReplay.includes(shard)) return 0;
    return Math.min(BATCH, this.options.maxInFlight - this.inFlight);
  }

  /**
   * Acknowledgements waiting for a ride, for the record about to go to Redis: they leave with it, and it
   * reports back. Undefined when none waits.
   */
  takeAcknowledgements(): RidingAcks | undefined {
    const batch = this.ackBatch;
    if (!batch?.ride) return undefined;
    clearTimeout(batch.ride);
    this.ackBatch = undefined;
    return {
      entries: batch.entries,
      acknowledged: (error?: unknown) => {
        if (error === undefined) {
          this.onAcknowledged(batch.entries);
          batch.settle();
        } else void this.acknowledgeNow(batch.entries).then(batch.settle);
      },
    };
  }

  /**
   * Whether a record may read what an update of `chatKey` will read first (its session) along with its
   * claim, and the mark to hand back to `adopt`: only while no update of the chat is in hand here, so
   * that everything its earlier updates wrote has reached Redis before that read.
   */
  prefetchMark(chatKey: string): number | undefined {
    return this.chats.has(chatKey) ? undefined : this.queuesMade;
  }

  /**
   * Entries a record claimed for this process: handled as if the read had delivered them. A value read
   * along (LoggedUpdate.prefetched, under the `mark` prefetchMark gave) is kept only if no update of its
   * chat came into hand here since: one handled in between may have changed it.
   */
  adopt(entries: readonly LoggedUpdate[], mark?: number): void {
    for (const entry of entries) {
      if (entry.prefetched && !(mark !== undefined && this.prefetchHolds(entry, mark))) entry.prefetched = undefined;
      this.enqueue(entry);
    }
  }

  private prefetchHolds(entry: LoggedUpdate, mark: number): boolean {
    const chatKey = UpdateLog.chatKeyOf(entry.update);
    return mark >= this.marksValidFrom && !this.chats.has(chatKey) && (this.queueMadeAt.get(chatKey) ?? -1) <= mark;
  }

  /**
   * A call that may have delivered entries of `shards` to this process failed without saying which (the
   * connection dropped before the reply): they are in the shard's pending list, where only a replay finds
   * them, so the shards are replayed before anything newer of them is read or claimed.
   */
  replayLater(shards: Iterable<number>): void {
    for (const shard of shards) if (this.leases.owns(shard) && !this.toReplay.includes(shard)) this.toReplay.push(shard);
  }

  private whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async beat(): Promise<void> {
    if (this.heartbeatRunning || this.stopping) return;
    this.heartbeatRunning = true;
    try {
      const { acquired, lost } = await this.leases.heartbeat({ wantPoller: this.options.wantPoller, acceptShards: true });
      this.setRedisState(true);
      if (acquired.length > 0) this.logger.info({ shards: acquired }, 'update log: shards taken');
      if (lost.length > 0) {
        this.logger.warn({ shards: lost }, 'update log: shards lost (lease expired)');
        this.forgetReplays(lost);
      }
      for (const shard of await this.leases.excess()) this.handingBack.add(shard);
      await this.releaseIdleHandedBack();
    } catch (err) {
      this.setRedisState(false, err);
    } finally {
      this.heartbeatRunning = false;
    }
  }

  /**
   * A shard lost before its replay is not replayed here: its new owner replays it, and the two would
   * handle the same unfinished updates. One being read at this moment stops at the read's answer (replay).
   */
  private forgetReplays(lost: readonly number[]): void {
    for (const shard of lost) {
      // Lost and taken again in the same heartbeat: still ours to replay.
      if (this.leases.owns(shard)) continue;
      const at = this.toReplay.indexOf(shard);
      if (at > 0 || (at === 0 && !this.replaying)) this.toReplay.splice(at, 1);
    }
  }

  private async releaseIdleHandedBack(): Promise<void> {
    const idle = [...this.handingBack].filter((s) => !this.inFlightByShard.get(s) && !this.toReplay.includes(s));
    if (idle.length === 0) return;
    await this.leases.release(idle);
    for (const shard of idle) this.handingBack.delete(shard);
    this.logger.info({ shards: idle }, 'update log: shards handed back');
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      try {
        if (this.inFlight >= this.options.maxInFlight) {
          await new Promise<void>((resolve) => (this.capacityWaiter = resolve));
          this.capacityWaiter = undefined;
          continue;
        }
        const replay = this.toReplay[0];
        if (replay !== undefined) {
          this.replaying = true;
          try {
            await this.replay(replay);
          } finally {
            this.replaying = false;
          }
          this.toReplay.shift();
          continue;
        }
        const readable = this.leases.shards().filter((s) => !this.handingBack.has(s));
        if (readable.length === 0) {
          await sleep(250);
          continue;
        }
        const room = this.options.maxInFlight - this.inFlight;
        let entries: LoggedUpdate[];
        try {
          entries = await this.log.readNew(this.blocking, readable, Math.min(room, BATCH), 1000);
        } catch (err) {
          this.replayLater(readable);
          throw err;
        }
        this.setRedisState(true);
        for (const entry of entries) this.enqueue(entry);
      } catch (err) {
        if (this.stopping) break;
        this.setRedisState(false, err);
        await sleep(1000);
      }
    }
  }

  /** Everything of `shard` read before but not acknowledged, queued ahead of anything new. */
  private async replay(shard: number): Promise<void> {
    let after = '0';
    let total = 0;
    for (;;) {
      const page = await this.log.readUnacknowledged(shard, after, 100);
      // Lost while the read was on its way (its lease expired): the entries stay pending, and whoever
      // owns the shard next replays them; handled here too, they would be handled twice.
      if (page.length === 0 || !this.leases.owns(shard)) break;
      for (const entry of page) if (this.enqueue(entry)) total++;
      after = page[page.length - 1].id;
    }
    // Those still in hand here (a shard lost and taken again) are not the previous owner's.
    if (total > 0) this.logger.info({ shard, updates: total }, 'update log: unfinished updates of a previous owner taken over');
  }

  /** Queues an entry for its chat; false when it is in hand here already. */
  private enqueue(entry: LoggedUpdate): boolean {
    // A shard lost and taken again (Redis came back after its leases expired) replays entries this
    // process still holds: they are not queued twice.
    const id = `${entry.shard}/${entry.id}`;
    if (this.held.has(id)) return false;
    this.held.add(id);
    const chatKey = UpdateLog.chatKeyOf(entry.update);
    let queue = this.chats.get(chatKey);
    if (!queue) {
      queue = { entries: [], running: false };
      this.chats.set(chatKey, queue);
      if (this.queueMadeAt.size >= MARKED_CHATS) {
        this.queueMadeAt.clear();
        // A mark from before lost nothing only if no queue was made after it.
        this.marksValidFrom = this.queuesMade;
      }
      this.queueMadeAt.set(chatKey, ++this.queuesMade);
    }
    insertInOrder(queue, entry);
    // The chat's previous update may be waiting for its acknowledgement to ride: this one waits behind it.
    if (queue.running) this.acknowledgeSoon();
    this.inFlight++;
    this.inFlightByShard.set(entry.shard, (this.inFlightByShard.get(entry.shard) ?? 0) + 1);
    if (!queue.running) void this.drain(chatKey, queue);
    return true;
  }

  /** One chat's updates, one after another. */
  private async drain(chatKey: string, queue: ChatQueue): Promise<void> {
    queue.running = true;
    try {
      while (queue.entries.length > 0) {
        const entry = queue.entries[0];
        const done = await this.handleUntilDone(entry, queue);
        if (!done) {
          // Stopping: this update and the chat's later ones stay in the log, unacknowledged, for the next owner.
          for (const left of queue.entries.splice(0)) this.finished(left);
          break;
        }
        queue.entries.shift();
        this.finished(entry);
      }
      this.chats.delete(chatKey);
    } finally {
      queue.running = false;
    }
  }

  private async handleUntilDone(entry: LoggedUpdate, queue: ChatQueue): Promise<boolean> {
    for (let attempt = 0; ; attempt++) {
      const outcome = await this.handle(entry);
      if (outcome === 'handled') {
        // The chat's next update is handled only after this one is acknowledged (a replay after a crash
        // must not find them out of order): with one waiting, or someone waiting for it, no ride.
        await this.acknowledge(entry, queue.entries.length > 1 || this.stopping || (this.options.awaited?.(entry) ?? false));
        return true;
      }
      if (this.stopping) return false;
      const delays = this.options.retryDelaysMs;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(
          () => {
            this.retryTimers.delete(timer);
            resolve();
          },
          delays[Math.min(attempt, delays.length - 1)],
        );
        this.retryTimers.add(timer);
      });
      if (this.stopping) return false;
    }
  }

  /**
   * Acknowledges `entry` together with whatever other chats finished in the same turn of the event loop:
   * under load, one round trip acknowledges many updates instead of one each. Unless `now`, they first
   * wait up to ACK_RIDE_MS for a record to take them along (takeAcknowledgements).
   */
  private acknowledge(entry: LoggedUpdate, now: boolean): Promise<void> {
    let batch = this.ackBatch;
    if (!batch) {
      let settle!: () => void;
      const done = new Promise<void>((resolve) => (settle = resolve));
      const created: AckBatch = { entries: [], done, settle };
      if (now) setImmediate(() => this.flush(created));
      else created.ride = setTimeout(() => this.flush(created), this.options.ackRideMs);
      this.ackBatch = batch = created;
    } else if (now) this.acknowledgeSoon();
    batch.entries.push(entry);
    return batch.done;
  }

  /** Acknowledgements waiting for a ride go at the end of this turn instead. */
  private acknowledgeSoon(): void {
    const batch = this.ackBatch;
    if (!batch?.ride) return;
    clearTimeout(batch.ride);
    batch.ride = undefined;
    setImmediate(() => this.flush(batch));
  }

  private flush(batch: AckBatch): void {
    if (this.ackBatch === batch) this.ackBatch = undefined;
    void this.acknowledgeNow(batch.entries).then(batch.settle);
  }

  private async acknowledgeNow(entries: readonly LoggedUpdate[]): Promise<void> {
    // Handled but not acknowledged (Redis gone for a moment): retried until it goes through, since
    // a handled update left in the log would be handled again by the next owner.
    for (let attempt = 0; !this.stopping || attempt === 0; attempt++) {
      try {
        await this.log.acknowledge(entries);
        this.onAcknowledged(entries);
        return;
      } catch (err) {
        this.setRedisState(false, err);
        await sleep(Math.min(5000, 200 * 2 ** attempt));
      }
    }
  }

  private finished(entry: LoggedUpdate): void {
    this.held.delete(`${entry.shard}/${entry.id}`);
    this.inFlight--;
    const left = (this.inFlightByShard.get(entry.shard) ?? 1) - 1;
    if (left > 0) this.inFlightByShard.set(entry.shard, left);
    else this.inFlightByShard.delete(entry.shard);
    this.capacityWaiter?.();
    if (this.inFlight === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  /** One log line when Redis goes away and one when it is back, not one per failed call. */
  private setRedisState(up: boolean, err?: unknown): void {
    if (up && this.redisDown) this.logger.info('update log: Redis reachable again');
    if (!up && !this.redisDown) this.logger.warn({ err }, 'update log: Redis unreachable; updates wait in Telegram until it is back');
    this.redisDown = !up;
  }
}

/**
 * Adds `entry` to its chat's queue in the order recorded. A claimed entry and one delivered by the read
 * may reach this process in either order (two connections); a chat's entries share a shard, so their
 * stream ids order them. The head, once running, stays where it is.
 */
function insertInOrder(queue: ChatQueue, entry: LoggedUpdate): void {
  const { entries } = queue;
  let at = entries.length;
  const first = queue.running ? 1 : 0;
  while (at > first && compareStreamIds(entries[at - 1].id, entry.id) > 0) at--;
  entries.splice(at, 0, entry);
}

/** Orders Redis stream ids (`<ms>-<seq>`). */
export function compareStreamIds(a: string, b: string): number {
  const [am, as] = a.split('-').map(Number);
  const [bm, bs] = b.split('-').map(Number);
  return am - bm || as - bs;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
