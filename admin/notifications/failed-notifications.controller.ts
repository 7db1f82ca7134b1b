import { Body, Controller, Get, HttpCode, HttpStatus, Inject, Post, Query, UseGuards } from '@nestjs/common';
import { z } from 'zod';
import { type FailedNotification, FailedNotifications } from '../../core/notifications/failed-notifications';
import { ADMIN_ACTOR } from '../http/actor';
import { AdminTokenGuard } from '../http/admin-token.guard';
import { parseBody } from '../http/errors';

const kind = z.string().trim().min(1).max(100);
const retryBody = z
  .object({
    /** Only these notifications (ids from GET /admin/notifications/failed). */
    ids: z.array(z.uuid()).min(1).max(10_000).optional(),
    /** Only this kind, e.g. "announcement". */
    kind: kind.optional(),
  })
  .strict();

/**
 * FAILED notifications for the engineer on call (platform admin token only): which, why, and a retry of
 * those that did not reach Telegram. The same as the queue dashboard's page and the CLI's
 * `notifications:failed` / `notifications:retry`.
 */
@Controller('admin/notifications')
@UseGuards(AdminTokenGuard)
export class FailedNotificationsController {
  constructor(@Inject(FailedNotifications) private readonly failed: FailedNotifications) {}

  /** The newest FAILED notifications (at most 200), each with `retryable` and, when not, why (`held`). */
  @Get('failed')
  async list(@Query('kind') kindFilter?: string): Promise<{ notifications: FailedNotification[] }> {
    const filter = kindFilter === undefined ? {} : { kind: parseBody(kind, kindFilter) };
    return { notifications: await this.failed.list(filter) };
  }

  /**
   * Puts the retryable FAILED notifications (all, or those of `ids` / `kind`) back on the outbound queue,
   * once each: a repeat finds them PENDING and queues nothing. `held` counts FAILED ones left alone
   * (perhaps delivered, or their person blocked the bot or was deleted).
   */
  @Post('retry-failed')
  @HttpCode(HttpStatus.OK)
  async retry(@Body() body: unknown): Promise<{ requeued: number; ids: string[]; held: number }> {
    const filter = parseBody(retryBody, body);
    const outcome = await this.failed.retry(filter, ADMIN_ACTOR);
    return { requeued: outcome.requeued.length, ids: outcome.requeued, held: outcome.held };
  }
}
