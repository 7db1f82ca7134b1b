import { BotError, type Bot } from 'grammy';
import type { Update } from 'grammy/types';
import type { Redis } from 'ioredis';
import { pruneAppliedUpdates, runForUpdate } from '../../core/shared/applied-once';
import type { Database } from '../../core/shared/database';
import type { Logger } from '../../infra/logger';
import { createRedisClient, INTERACTIVE_REDIS } from '../../infra/redis-client';
import type { BotContext } from '../context';
import type { BotMetrics } from '../metrics';
import { RetryLater } from '../middlewares/error-boundary';
import type { OutageNotices } from './outage-notices';
import { Poller } from './poller';
import { ShardLeases } from './shard-leases';
import { DEFAULT_CONSUMER_OPTIONS, type HandleOutcome, UpdateConsumer } from './update-consumer';
import { type Claim, type LoggedUpdate, type RecordOutcome, type Recorded, UpdateLog } from './update-log';

export const ALLOWED_UPDATES = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/**
 * What the handling of an update reads from Redis before anything else (its chat's session, the chat's
 * pending questions): read along with the update's claim, in the same round trip, and handed to the
 * readers instead of reads of their own.
 */
export interface FirstRead {
  /** The keys the handling of `update` will read, if any. */
  keysOf(update: Update): readonly string[];
  /** A key's value as read with the claim (null: absent), for that read to take. */
  prime(key: string, value: string | null): void;
  /** Drops a value not taken (the handling did not read it). */
  forget(key: string): void;
}

export interface IntakeOptions {
  mode: 'polling' | 'webhook';
  redisUrl: string;
  redisPrefix: string;
  maxInFlight?: number;
  firstRead?: FirstRead;
}

const PRUNE_EVERY_MS = 3600_000;

/**
 * The bot's update intake (ARCHITECTURE: "The path of one update"): updates from the webhook or the
 * poller go to the durable update log first and are confirmed to Telegram only then; this process's
 * share of the log is handled here, per chat in order, through the bot's one error boundary.
 */
export class UpdateIntake {
  private readonly redis: Redis;
  private readonly blocking: Redis;
  private readonly log: UpdateLog;
  private readonly leases: ShardLeases;
  private readonly consumer: UpdateConsumer;
  private readonly poller?: Poller;
  private readonly settledWaiters = new Map<number, Array<() => void>>();
  /** Update ids finished or answered as duplicates lately (for `settled`); bounded. */
  private readonly recentlySettled = new Set<number>();
  private pruneTimer?: NodeJS.Timeout;
  private readonly firstRead?: FirstRead;

  constructor(
    private readonly bot: Bot<BotContext>,
    private readonly db: Database,
    readonly notices: OutageNotices,
    private readonly metrics: BotMetrics,
    private readonly logger: Logger,
    options: IntakeOptions,
  ) {
    this.firstRead = options.firstRead;
    // Recording and acknowledging fail fast when Redis is away: the webhook answers 503 at once.
    this.redis = createRedisClient(options.redisUrl, logger, 'update-log', { ...INTERACTIVE_REDIS, enableOfflineQueue: false });
    // One blocking read at a time: nothing to pipeline with.
    this.blocking = createRedisClient(options.redisUrl, logger, 'update-log-reader', { ...INTERACTIVE_REDIS, enableAutoPipelining: false });
    this.log = new UpdateLog(this.redis, options.redisPrefix, bot.botInfo.id);
    this.leases = new ShardLeases(this.redis, `${options.redisPrefix}:intake:${bot.botInfo.id}`);
    this.consumer = new UpdateConsumer(
      this.log,
      this.blocking,
      this.leases,
      (entry) => this.handle(entry),
      logger,
      {
        ...DEFAULT_CONSUMER_OPTIONS,
        maxInFlight: options.maxInFlight ?? DEFAULT_CONSUMER_OPTIONS.maxInFlight,
        wantPoller: options.mode === 'polling',
        awaited: (entry) => this.settledWaiters.has(entry.update.update_id),
      },
      (entries) => {
        for (const entry of entries) this.settle(entry.update.update_id);
      },
    );
    if (options.mode === 'polling') {
      this.poller = new Poller(bot.api, this.leases, (updates) => this.record(updates), this.notices, logger, ALLOWED_UPDATES);
    }
    metrics.probe = { backlog: () => this.log.backlog(), shardsOwned: () => this.leases.shards().length };
  }

  async start(): Promise<void> {
    await this.whenReady(this.redis);
    await this.log.prepare();
    this.consumer.start();
    this.poller?.start();
    this.pruneTimer = setInterval(() => void this.prune(), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
  }

  /**
   * Stops taking updates (the poller), finishes those in hand within `graceMs`, and hands the rest back
   * to the log for the next owner. The webhook route keeps recording until the HTTP server closes:
   * what it records is durable and another process (or this one after restart) handles it.
   */
  async stop(graceMs: number): Promise<void> {
    clearInterval(this.pruneTimer);
    await this.poller?.stop();
    await this.consumer.stop(graceMs);
    this.redis.disconnect();
    this.blocking.disconnect();
  }

  /** Records updates; throws when the log is unavailable (the webhook then answers 503, the poller waits). */
  async record(updates: readonly Update[]): Promise<RecordOutcome[]> {
    // What lands in a shard this process reads is claimed in the same round trip and handled here at
    // once, instead of coming back through the blocking read (UpdateLog.record).
    const claiming = new Set<number>();
    let mark: number | undefined;
    const claimFor = (shard: number, update: Update): Claim | undefined => {
      const count = this.consumer.claimable(shard);
      if (count <= 0) return undefined;
      claiming.add(shard);
      const claim: Claim = { leaseKey: this.leases.leaseKey(shard), owner: this.leases.owner, count };
      // The chat's keys are read along only while no update of it is in hand here (UpdateConsumer.adopt).
      const keys = this.firstRead?.keysOf(update) ?? [];
      const chatMark = keys.length === 0 ? undefined : this.consumer.prefetchMark(UpdateLog.chatKeyOf(update));
      if (chatMark !== undefined) {
        mark = chatMark;
        claim.prefetch = keys;
      }
      return claim;
    };
    // Acknowledgements of updates handled here lately ride along (UpdateConsumer: ACK_RIDE_MS).
    const acks = this.consumer.takeAcknowledgements();
    let recorded: Recorded;
    try {
      recorded = await this.log.record(updates, claimFor, acks?.entries);
    } catch (error) {
      acks?.acknowledged(error);
      this.consumer.replayLater(claiming);
      this.metrics.intake.inc({ outcome: 'refused' }, updates.length);
      throw error;
    }
    const { outcomes, claimed, acknowledgeError } = recorded;
    acks?.acknowledged(acknowledgeError);
    this.consumer.adopt(claimed, mark);
    outcomes.forEach((outcome, i) => {
      this.metrics.intake.inc({ outcome });
      if (outcome === 'duplicate') this.settle(updates[i].update_id);
    });
    return outcomes;
  }

  /**
   * Resolves once the update with this id is finished here, or was a duplicate (tests wait on this the
   * way a person waits for the answer; rejects after `timeoutMs`).
   */
  settled(updateId: number, timeoutMs = 30_000): Promise<void> {
    if (this.recentlySettled.has(updateId)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`update ${updateId} not finished within ${timeoutMs} ms`)), timeoutMs);
      const waiters = this.settledWaiters.get(updateId) ?? [];
      waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
      this.settledWaiters.set(updateId, waiters);
    });
  }

  /** Updates waiting in the log (all shards). */
  backlog(): Promise<number> {
    return this.log.backlog();
  }

  /** As if Redis had lost the record of this update id (tests of redelivery). */
  forgetSeen(updateId: number): Promise<void> {
    return this.log.forgetSeen(updateId);
  }

  private async handle(entry: LoggedUpdate): Promise<HandleOutcome> {
    const { update, prefetched } = entry;
    // Read along with the claim: handed over once, for the first handling only (a retry reads afresh).
    entry.prefetched = undefined;
    for (const { key, value } of prefetched ?? []) this.firstRead?.prime(key, value);
    try {
      await runForUpdate(`${this.bot.botInfo.id}:${update.update_id}`, () => this.bot.handleUpdate(update));
      this.metrics.lagSeconds.observe((Date.now() - entry.recordedAt) / 1000);
      return 'handled';
    } catch (error) {
      const cause = error instanceof BotError ? error.error : error;
      if (cause instanceof RetryLater) return 'retry';
      // Only what failed before the error boundary ran (it catches everything after it) gets here.
      this.metrics.errors.inc();
      this.logger.error({ err: cause, update_id: update.update_id }, 'update failed outside the error boundary');
      return 'handled';
    } finally {
      for (const { key } of prefetched ?? []) this.firstRead?.forget(key);
    }
  }

  private settle(updateId: number): void {
    this.recentlySettled.add(updateId);
    if (this.recentlySettled.size > 10_000) {
      const oldest = this.recentlySettled.values().next().value;
      if (oldest !== undefined) this.recentlySettled.delete(oldest);
    }
    for (const resolve of this.settledWaiters.get(updateId) ?? []) resolve();
    this.settledWaiters.delete(updateId);
  }

  private async prune(): Promise<void> {
    const pruned = await pruneAppliedUpdates(this.db, new Date()).catch((err: unknown) => {
      this.logger.warn({ err }, 'applied-update markers not pruned');
      return 0;
    });
    if (pruned > 0) this.logger.info({ pruned }, 'old applied-update markers deleted');
  }

  private whenReady(client: Redis): Promise<void> {
    if (client.status === 'ready') return Promise.resolve();
    return new Promise((resolve) => client.once('ready', () => resolve()));
  }
}
