import { InjectQueue, OnWorkerEvent, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnApplicationBootstrap } from '@nestjs/common';
import { DelayedError, type Job, type Queue, Worker } from 'bullmq';
import { GrammyError, HttpError } from 'grammy';
import type { i18n } from 'i18next';
import type { Redis } from 'ioredis';
import { NotificationsService } from '../../core/notifications/notifications.service';
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
import { SendSlots, TELEGRAM_CHAT_LIMITS } from '../outbound/send-slots';
import { TelegramApi } from '../telegram-api';

/**
 * Sends every proactive message (R-SEND) at a global rate set by OUTBOUND_RATE_PER_SECOND, evenly
 * spaced, at most one per chat per second and 20 per group per minute (slots in Redis, see SendSlots:
 * a job sleeps until its global slot, at most a second; a job whose chat or group is not free yet is
 * moved back to delayed, never slept on). A 429 pauses the whole queue for retry_after through BullMQ's
 * rate limiter and the slots; a 403 marks the person unreachable; other failures retry with backoff and end FAILED.
 * Interactive replies do not pass through here: the bot answers updates directly.
 */
// A send takes well under a second: a 15 s lock lets a crashed worker's jobs be taken over within 30 s.
@Processor(QUEUE.outbound, { autorun: false, concurrency: 8, lockDuration: 15_000, stalledInterval: 15_000 })
export class OutboundProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly slots: SendSlots;
  /** Until when a 429 holds this process's sends, also those already asleep on a booked slot. */
  private pausedUntil = 0;
  // Concurrent jobs read and mark their notifications together: one query per batch, not per message.
  private readonly deliveries = new Batcher((ids: string[]) => this.notifications.prepareDeliveries(ids), BATCH_WAIT_MS, BATCH_SIZE);
  private readonly sentMarks = new Batcher(
    async (ids: string[]) => {
      await this.notifications.markSentMany(ids);
      return ids;
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
  ) {
    super();
    this.slots = new SendSlots(redis, config.REDIS_PREFIX, { perSecond: config.OUTBOUND_RATE_PER_SECOND, ...TELEGRAM_CHAT_LIMITS });
  }

  onApplicationBootstrap(): void {
    // The limiter comes from configuration, which a decorator cannot read: set it before the worker runs.
    this.worker.opts.limiter = pauseGate(this.config.OUTBOUND_RATE_PER_SECOND);
    this.worker.concurrency = this.config.OUTBOUND_CONCURRENCY;
    void this.worker.run();
  }

  /** A job lost under the worker (e.g. Redis flushed mid-send) is an error event, not a crash: the reconciler re-adds it. */
  @OnWorkerEvent('error')
  onWorkerError(error: Error): void {
    this.logger.warn({ err: error }, 'outbound worker error');
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
    await this.notifications
      .markAttemptFailed(job.data.notificationId, error.message, true)
      .catch((err: unknown) => this.logger.error({ err }, 'could not record a failed notification'));
  }

  async process(job: Job<OutboundJob>, token?: string): Promise<string> {
    const { notificationId } = job.data;
    const delivery = await this.deliveries.call(notificationId);
    if (delivery.action === 'drop') return `dropped: ${delivery.reason}`;
    if (delivery.action === 'wait') {
      await job.moveToDelayed(delivery.until.getTime(), token);
      throw new DelayedError();
    }

    // One ticket's messages in the order written: held back (without taking a chat slot) behind an earlier one.
    if (await this.notifications.waitsForEarlier(delivery.notification)) {
      await job.moveToDelayed(Date.now() + CHAIN_RETRY_MS, token);
      throw new DelayedError();
    }

    const slot = await this.slots.reserve(delivery.chatId);
    if (!slot.go) {
      await job.moveToDelayed(Date.now() + slot.retryInMs, token);
      throw new DelayedError();
    }
    if (slot.inMs > 0) await sleep(slot.inMs);
    if (Date.now() < this.pausedUntil) {
      // A 429 came while this job slept: its slot is void, it waits out retry_after like the queue.
      await job.moveToDelayed(this.pausedUntil, token);
      throw new DelayedError();
    }

    // The state check in prepareDelivery is what keeps a retried job from sending twice.
    try {
      if (isSupportKind(delivery.notification.kind)) {
        await this.supportDelivery.send(delivery.notification, delivery.chatId, delivery.language);
      } else if (isGroupLine(delivery.notification.kind)) {
        // A short answer to an agent, in the thread they wrote in: plain text, it may quote their own words.
        const text = renderGroupLine(this.i18n.getFixedT('ru'), delivery.notification.payload as unknown as GroupLinePayload);
        await this.telegram.sendMessage(Number(delivery.chatId), text, { message_thread_id: delivery.threadId });
      } else if (isReviewKind(delivery.notification.kind) || delivery.notification.kind === REMINDER_KIND.reviewDue) {
        // The daily due list too goes into the review topic as it is when sent (created or recreated then).
        if (!(await this.reviewDelivery.send(delivery.notification, delivery.chatId, delivery.threadId))) {
          await this.notifications.cancel(notificationId, 'nothing to post: the case was decided or erased');
          return 'dropped: gone';
        }
      } else {
        const message = renderNotification(delivery.notification, this.i18n.getFixedT(delivery.language), delivery.language);
        await this.telegram.sendMessage(Number(delivery.chatId), message.text, {
          parse_mode: 'HTML',
          reply_markup: message.replyMarkup,
          message_thread_id: delivery.threadId,
        });
      }
    } catch (error) {
      return this.handleFailure(job, error);
    }
    // A crash right here (sent, not yet recorded) sends this notice again on retry: at most one
    // duplicate, the price of never losing one. Recording first would risk losing it instead.
    await this.sentMarks.call(notificationId);
    return 'sent';
  }

  private async handleFailure(job: Job<OutboundJob>, error: unknown): Promise<string> {
    const { notificationId } = job.data;
    if (error instanceof GrammyError) {
      if (error.error_code === 429) {
        const seconds = error.parameters.retry_after ?? 1;
        this.logger.warn({ retry_after: seconds }, 'Telegram rate limit: pausing the outbound queue');
        this.pausedUntil = Date.now() + seconds * 1000;
        await this.slots.pause(seconds * 1000);
        await this.queue.rateLimit(seconds * 1000);
        throw Worker.RateLimitError();
      }
      if (error.error_code === 403) {
        await this.notifications.markUnreachable(notificationId, error.description);
        return 'unreachable';
      }
      if (error.error_code === 400) {
        // A malformed request fails the same way every time: record it, do not retry.
        await this.notifications.markAttemptFailed(notificationId, error.description, true);
        this.logger.error({ notificationId, err: error }, 'notification refused by Telegram');
        return 'failed';
      }
    }
    const attempts = job.opts.attempts ?? 1;
    const final = job.attemptsMade + 1 >= attempts;
    const text = error instanceof HttpError || error instanceof Error ? error.message : String(error);
    await this.notifications.markAttemptFailed(notificationId, text, final);
    throw error;
  }
}

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
