import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job, type Queue, Worker } from 'bullmq';
import { GrammyError } from 'grammy';
import type { i18n } from 'i18next';
import type { Redis } from 'ioredis';
import { type Delivery, NotificationsService, type SendClaim, type SendReceipt } from '../../core/notifications/notifications.service';
import { isDatabaseUnavailable } from '../../core/shared/database-unavailable';
import type { Config } from '../../infra/config/config';
import type { Logger } from '../../infra/logger';
import { CONFIG, I18N, LOGGER, REDIS } from '../../infra/nest/tokens';
import { QUEUE, type OutboundJob } from '../../infra/queues/queues';
import { renderNotification } from '../notifications/render';
import { ReviewDelivery } from '../notifications/review-delivery';
import { SupportDelivery } from '../notifications/support-delivery';
import { REMINDER_KIND } from '../../core/reminders/reminder-kinds';
import { type GroupLinePayload, isGroupLine, renderGroupLine } from '../../infra/telegram/group-lines';
import { isReviewKind } from '../../infra/telegram/review-outbox';
import { isSupportKind } from '../../infra/telegram/support-outbox';
import { Batcher } from '../outbound/batcher';
import type { Landed } from '../outbound/landed-messages';
import { OutboundMetrics } from '../outbound/outbound-metrics';
import { DATABASE_OUTAGE_PAUSE, EscalatingPause, OutageWitness, TELEGRAM_OUTAGE_PAUSE, telegramTrouble } from '../outbound/outage';
import { judgeIntent, runLabel } from '../outbound/send-intent';
import { SendSlots, TELEGRAM_CHAT_LIMITS } from '../outbound/send-slots';
import { UnrecordedSends } from '../outbound/unrecorded-sends';
import { TelegramApi } from '../telegram-api';

/**
 * Sends every proactive message (R-SEND) at a global rate set by OUTBOUND_RATE_PER_SECOND, evenly
 * spaced, at most one per chat per second and 20 per group per minute (slots in Redis, see SendSlots:
 * a job sleeps until its global slot, at most a second; a job whose chat or group is not free yet is
 * moved back to delayed, never slept on). A 429 pauses the whole queue for retry_after through BullMQ's
 * rate limiter and the slots; a 403 marks the person unreachable; other failures retry with backoff and end FAILED.
 * Outages are not failures: Telegram answering 5xx (or not at all) and PostgreSQL out of reach pause the
 * queue for a growing interval (outage.ts) without spending any message's retries.
 *
 * Exactly once: before the Telegram call the run writes its intent on the row, after it the record
 * (SENT, with the message_id). A record the database refuses is retried here and kept in Redis
 * meanwhile (UnrecordedSends), so a send is never repeated for want of its record. Only a run that
 * died between the call and the record leaves Telegram's answer unknown: the next run sends once more
 * and counts it in nmo_outbound_possible_duplicates_total.
 * Interactive replies do not pass through here: the bot answers updates directly.
 */
// A send takes well under a second: a 15 s lock lets a crashed worker's jobs be taken over within 30 s.
@Processor(QUEUE.outbound, { autorun: false, concurrency: 8, lockDuration: 15_000, stalledInterval: 15_000 })
export class OutboundProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly slots: SendSlots;
  private readonly unrecorded: UnrecordedSends;
  /** Until when a 429 or an outage holds this process's sends, also those already asleep on a booked slot. */
  private readonly blockedChats = new Map<string, number>();
  private pausedUntil = 0;
  private readonly telegramOutage = new EscalatingPause(TELEGRAM_OUTAGE_PAUSE);
  private readonly databaseOutage = new EscalatingPause(DATABASE_OUTAGE_PAUSE);
  private readonly witness = new OutageWitness();
  // Concurrent jobs read, claim and record their notifications together: one query per batch, not per message.
  private readonly deliveries = new Batcher((ids: string[]) => this.notifications.prepareDeliveries(ids), BATCH_WAIT_MS, BATCH_SIZE);
  private readonly claims = new Batcher((claims: SendClaim[]) => this.notifications.claimSends(claims), BATCH_WAIT_MS, BATCH_SIZE);
  private readonly records = new Batcher(
    async (receipts: SendReceipt[]) => {
      await this.notifications.recordSent(receipts);
      return receipts;
    },
    BATCH_WAIT_MS,
    BATCH_SIZE,
  );

  constructor(
    private readonly notifications: NotificationsService,
    private readonly telegram: TelegramApi,
    @InjectQueue(QUEUE.outbound) private readonly queue: Queue<OutboundJob>,
    @Inject(I18N) private readonly i18n: i18n,
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(REDIS) redis: Redis,
    private readonly supportDelivery: SupportDelivery,
    private readonly reviewDelivery: ReviewDelivery,
    private readonly metrics: OutboundMetrics,
  ) {
    super();
    this.slots = new SendSlots(redis, config.REDIS_PREFIX, { perSecond: config.OUTBOUND_RATE_PER_SECOND, ...TELEGRAM_CHAT_LIMITS });
    this.unrecorded = new UnrecordedSends(redis, config.REDIS_PREFIX);
  }

  onApplicationBootstrap(): void {
    // The limiter comes from configuration, which a decorator cannot read: set it before the worker runs.
    this.worker.opts.limiter = pauseGate(this.config.OUTBOUND_RATE_PER_SECOND);
    this.worker.concurrency = this.config.OUTBOUND_CONCURRENCY;
    void this.worker.run();
  }

  /**
   * A job BullMQ gives up on without our handler recording it (stalled by worker crashes more often
   * than allowed) must not leave its row PENDING forever: the row becomes FAILED, visibly, with the reason.
   */
  @OnWorkerEvent('failed')
  async onJobFailed(job: Job<OutboundJob> | undefined, error: Error): Promise<void> {
    if (!job) return;
    const exhausted = job.attemptsMade >= (job.opts.attempts ?? 1) || /stalled/i.test(error.message);
    if (!exhausted) return;
    this.witness.forget(job.data.notificationId);
    await this.notifications
      .markAttemptFailed(job.data.notificationId, error.message, true, true)
      .catch((err: unknown) => this.logger.error({ err }, 'could not record a failed notification'));
  }

  async process(job: Job<OutboundJob>, token?: string): Promise<string> {
    const startedAt = Date.now();
    try {
      return await this.deliver(job, token);
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      // PostgreSQL is out of reach: the job goes back to the queue, which waits, and keeps its retries.
      await this.pauseFor(this.databaseOutage, startedAt, 'database', error);
      throw Worker.RateLimitError();
    }
  }

  private async deliver(job: Job<OutboundJob>, token?: string): Promise<string> {
    const { notificationId } = job.data;
    const delivery = await this.deliveries.call(notificationId);
    this.databaseOutage.reset();
    if (delivery.action === 'drop') return `dropped: ${delivery.reason}`;
    if (delivery.action === 'wait') {
      await job.moveToDelayed(delivery.until.getTime(), token);
      throw new DelayedError();
    }
    const { notification } = delivery;

    // One ticket's messages in the order written: held back (without taking a chat slot) behind an earlier one.
    if (await this.notifications.waitsForEarlier(notification)) {
      await job.moveToDelayed(Date.now() + CHAIN_RETRY_MS, token);
      throw new DelayedError();
    }

    // An intent left by a run with no record: perhaps sent. Its receipt, if kept, settles it without a send.
    const intent = judgeIntent({ by: notification.sendingBy, since: notification.sendingSince }, job, Date.now());
    if (intent.kind !== 'none') {
      const receipt = await this.unrecorded.find(notificationId);
      if (receipt) {
        await this.record(job, token, receipt, true);
        return 'sent (recorded late)';
      }
      if (intent.kind === 'maybe-live') {
        await job.moveToDelayed(intent.until, token);
        throw new DelayedError();
      }
    }

    const slot = await this.slots.reserve(delivery.chatId);
    if (!slot.go) {
      await job.moveToDelayed(Date.now() + slot.retryInMs, token);
      throw new DelayedError();
    }
    if (slot.inMs > 0) await sleep(slot.inMs);
    if (Date.now() < this.pausedUntil) {
      // A 429 or an outage came while this job slept: its slot is void, it waits like the queue.
      await job.moveToDelayed(this.pausedUntil, token);
      throw new DelayedError();
    }

    if (this.blockedChats.has(String(delivery.chatId))) {
      // Telegram answered 403 for this chat a moment ago and the row may not say so yet: no second attempt.
      await this.notifications.cancel(notificationId, 'person unreachable');
      return 'unreachable';
    }
    const replaces = notification.sendingBy;
    const claim = { id: notificationId, by: runLabel(job), replaces };
    if (!(await this.claims.call(claim))) {
      // Sent, cancelled or claimed by another run since it was read: look again shortly.
      await job.moveToDelayed(Date.now() + CHAIN_RETRY_MS, token);
      throw new DelayedError();
    }
    if (Date.now() < this.pausedUntil) {
      // The pause began while the intent was being written: no call after all.
      await this.notifications.releaseClaim(claim);
      await job.moveToDelayed(this.pausedUntil, token);
      throw new DelayedError();
    }
    if (replaces !== null) {
      this.metrics.possibleDuplicates.inc();
      this.logger.warn(
        { notificationId, previousRun: replaces },
        'sending again after a run that ended without a record: it may arrive twice',
      );
    }

    const sendStartedAt = Date.now();
    const landed: Landed = { chatId: null, messageId: null };
    // Each message's chat slot runs from when it leaves (SendSlots.leaving).
    const telegram = this.telegram.forDelivery(landed, async (chatId) => this.slots.leaving(BigInt(chatId)));
    try {
      if (!(await this.send(delivery, telegram))) {
        await this.notifications.cancel(notificationId, 'nothing to post: the case was decided or erased');
        return 'dropped: gone';
      }
    } catch (error) {
      return this.handleFailure(job, error, sendStartedAt, delivery.chatId);
    }
    this.witness.succeeded(notificationId);
    this.telegramOutage.reset();
    await this.record(job, token, { id: notificationId, ...landed }, false);
    return 'sent';
  }

  /** Sends one notification by its kind through the delivery's client; false when there is nothing left to post. */
  private async send(delivery: Extract<Delivery, { action: 'send' }>, telegram: TelegramApi): Promise<boolean> {
    const { notification, chatId, threadId, language } = delivery;
    if (isSupportKind(notification.kind)) {
      await this.supportDelivery.send(notification, chatId, language, telegram);
    } else if (isGroupLine(notification.kind)) {
      // A short answer to an agent, in the thread they wrote in: plain text, it may quote their own words.
      const text = renderGroupLine(this.i18n.getFixedT('ru'), notification.payload as unknown as GroupLinePayload);
      await telegram.sendMessage(Number(chatId), text, { message_thread_id: threadId });
    } else if (isReviewKind(notification.kind) || notification.kind === REMINDER_KIND.reviewDue) {
      // The daily due list too goes into the review topic as it is when sent (created or recreated then).
      return this.reviewDelivery.send(notification, chatId, threadId, telegram);
    } else {
      const message = renderNotification(notification, this.i18n.getFixedT(language), language);
      await telegram.sendMessage(Number(chatId), message.text, {
        parse_mode: 'HTML',
        reply_markup: message.replyMarkup,
        message_thread_id: threadId,
      });
    }
    return true;
  }

  /**
   * Records a send Telegram accepted. The database may be away for a moment: the receipt goes to Redis
   * at the first refusal, and the record is retried here with backoff for RECORD_RETRY_MS; then the job
   * waits in the queue (without spending a retry) and its next run records the receipt. Never a second send.
   */
  private async record(job: Job<OutboundJob>, token: string | undefined, receipt: SendReceipt, kept: boolean): Promise<void> {
    const began = Date.now();
    for (let attempt = 0; ; attempt++) {
      try {
        await this.records.call(receipt);
        if (attempt > 0 || kept) {
          // Recorded late, by this run or from an earlier one's receipt: the receipt has done its work.
          this.metrics.recordedLate.inc();
          await this.unrecorded.forget(receipt.id).catch(() => undefined);
        }
        return;
      } catch (error) {
        if (attempt === 0 && !kept) {
          this.logger.warn(
            { err: error, notificationId: receipt.id },
            'sent, but not recorded yet: keeping the receipt until the database answers',
          );
          await this.unrecorded
            .remember(receipt)
            .catch((err: unknown) => this.logger.error({ err, notificationId: receipt.id }, 'receipt of an unrecorded send not kept'));
        }
        if (!isDatabaseUnavailable(error)) throw error;
        if (Date.now() - began > RECORD_RETRY_MS) {
          await job.moveToDelayed(Date.now() + DATABASE_OUTAGE_PAUSE.maxMs, token);
          throw new DelayedError();
        }
        await sleep(Math.min(RECORD_BACKOFF_MAX_MS, RECORD_BACKOFF_FIRST_MS * 2 ** attempt));
      }
    }
  }

  /**
   * Chats Telegram just answered 403 for, until their rows say so: a second job of the same person may
   * reach its send before the first one's 403 is recorded (a slow database, a loaded machine).
   */
  private rememberBlocked(chatId: bigint): void {
    const key = String(chatId);
    this.blockedChats.set(key, Date.now());
    setTimeout(() => this.blockedChats.delete(key), BLOCKED_MEMORY_MS).unref();
  }

  private async handleFailure(job: Job<OutboundJob>, error: unknown, sendStartedAt: number, chatId: bigint): Promise<string> {
    const { notificationId } = job.data;
    if (error instanceof GrammyError) {
      if (error.error_code === 429) {
        const seconds = error.parameters.retry_after ?? 1;
        this.logger.warn({ retry_after: seconds }, 'Telegram rate limit: pausing the outbound queue');
        this.pausedUntil = Date.now() + seconds * 1000;
        await this.slots.pause(seconds * 1000);
        await this.queue.rateLimit(seconds * 1000);
        // Telegram refused it, nothing was sent: the intent goes, and the next run starts afresh.
        await this.notifications.markAttemptFailed(notificationId, error.description, false).catch(() => undefined);
        throw Worker.RateLimitError();
      }
      if (error.error_code === 403) {
        this.rememberBlocked(chatId);
        this.witness.forget(notificationId);
        await this.notifications.markUnreachable(notificationId, error.description);
        return 'unreachable';
      }
      if (error.error_code === 400) {
        // A malformed request fails the same way every time: record it, do not retry.
        this.witness.forget(notificationId);
        await this.notifications.markAttemptFailed(notificationId, error.description, true);
        this.logger.error({ notificationId, err: error }, 'notification refused by Telegram');
        return 'failed';
      }
    }
    const text = error instanceof Error ? error.message : String(error);
    const trouble = telegramTrouble(error);
    if (trouble.outage && !this.witness.failed(notificationId)) {
      // Telegram is down (or unreachable) for everyone: wait for it without spending this message's retries.
      await this.pauseFor(this.telegramOutage, sendStartedAt, 'telegram', error);
      await this.notifications.markAttemptFailed(notificationId, text, false, trouble.delivered === 'unknown').catch(() => undefined);
      throw Worker.RateLimitError();
    }
    const attempts = job.opts.attempts ?? 1;
    const final = job.attemptsMade + 1 >= attempts;
    if (final) this.witness.forget(notificationId);
    await this.notifications.markAttemptFailed(notificationId, text, final, trouble.outage && trouble.delivered === 'unknown');
    throw error;
  }

  /**
   * Pauses the whole queue (every replica) for the outage's next interval; the caller then puts the job
   * back with RateLimitError, which leaves its retries untouched.
   */
  private async pauseFor(outage: EscalatingPause, startedAt: number, cause: 'telegram' | 'database', error: unknown): Promise<void> {
    const pause = outage.next(startedAt);
    if (pause.escalated) {
      this.metrics.outagePauses.inc({ cause });
      this.logger.warn({ err: error, cause, pause_ms: pause.ms }, 'outage: pausing the outbound queue');
    }
    if (pause.ms <= 0) return;
    this.pausedUntil = Math.max(this.pausedUntil, Date.now() + pause.ms);
    await this.slots.pause(pause.ms);
    await this.queue.rateLimit(pause.ms);
  }
}

/** How long a run keeps retrying a record in the process before it waits in the queue (see SEND_LEASE_MS). */
const RECORD_RETRY_MS = 30_000;
const RECORD_BACKOFF_FIRST_MS = 100;
const RECORD_BACKOFF_MAX_MS = 2000;

/** How long a 403 is remembered in the process: far longer than recording it takes. */
const BLOCKED_MEMORY_MS = 10 * 60_000;

/** How soon a message held behind an earlier one of its chain looks again (the earlier one waits ≤ 1 s per chat). */
const CHAIN_RETRY_MS = 250;

/**
 * BullMQ's limiter is only the gate a 429 closes (`queue.rateLimit` needs one): the pace is SendSlots'.
 * Twice the rate, so that it never binds, not even with jobs that take no slot (dropped, held back).
 */
export function pauseGate(perSecond: number): { max: number; duration: number } {
  return { max: perSecond * 2, duration: 1000 };
}

/** A batch waits at most this long for company; a send's latency matters far less than the round trips saved. */
const BATCH_WAIT_MS = 10;
const BATCH_SIZE = 100;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
