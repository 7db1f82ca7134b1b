import type { Redis } from 'ioredis';
import type { SendReceipt } from '../../core/notifications/notifications.service';

/** A week: the reconciler re-dispatches a pending notification long before, whatever kept the database away. */
const KEEP_SECONDS = 7 * 24 * 3600;

/**
 * Sends Telegram accepted whose record in PostgreSQL failed (the database went away between the two):
 * kept in Redis until recorded, so the run that finds the notification still pending records it from
 * here instead of sending it again, even after this process has died. Written only when a record fails.
 */
export class UnrecordedSends {
  constructor(
    private readonly redis: Redis,
    /** REDIS_PREFIX. */
    private readonly prefix: string,
  ) {}

  async remember(receipt: SendReceipt): Promise<void> {
    const value = JSON.stringify({ chatId: receipt.chatId?.toString() ?? null, messageId: receipt.messageId });
    await this.redis.set(this.key(receipt.id), value, 'EX', KEEP_SECONDS);
  }

  async find(notificationId: string): Promise<SendReceipt | null> {
    const value = await this.redis.get(this.key(notificationId));
    if (value === null) return null;
    const stored = JSON.parse(value) as { chatId: string | null; messageId: number | null };
    return { id: notificationId, chatId: stored.chatId === null ? null : BigInt(stored.chatId), messageId: stored.messageId };
  }

  async forget(notificationId: string): Promise<void> {
    await this.redis.del(this.key(notificationId));
  }

  private key(notificationId: string): string {
    return `${this.prefix}:outbound:unrecorded:${notificationId}`;
  }
}
