import { InlineKeyboard } from 'grammy';
import type { ClaimOutcome } from '../../core/attendance/attendance.service';
import { localDateOf } from '../../core/shared/local-date';
import { callbackData } from '../callback-data/callback-data';
import type { BotContext } from '../context';
import { formatDate, formatNumber } from '../format';
import { timeOf } from './time-of-day';

/**
 * A person claims an attendance code and is answered with the ЗЕТ credited or the reason why not:
 * from /code and the `code_` deep link (attendance feature), and right after linking (start feature).
 */

/** The code of a `code_` deep link opened before linking, claimed as soon as linking succeeded. */
export async function claimAfterLinking(ctx: BotContext, code: string): Promise<void> {
  await ctx.reply(ctx.t('attendance.claim-after-linking'));
  await claimAndAnswer(ctx, code);
}

export async function claimAndAnswer(ctx: BotContext, typed: string): Promise<void> {
  ctx.session.attendanceCode = undefined;
  const outcome = await ctx.services.attendance.claim(ctx.person!, typed, BigInt(ctx.from!.id));
  if (outcome.ok) {
    ctx.log.info({ person_id: ctx.person!.id, event_id: outcome.event.id }, 'attendance claimed');
    await ctx.reply(ctx.t('attendance.claimed', { zet: formatNumber(outcome.entry.quantity, ctx.lang), title: outcome.event.title }), {
      reply_markup: new InlineKeyboard().text(ctx.t('credits.show-button'), callbackData.showCredits),
    });
    return;
  }
  // A mistyped code may simply be typed again, without /code.
  if (outcome.reason === 'malformed' || (outcome.reason === 'wrong-code' && outcome.attemptsLeft > 0))
    ctx.session.attendanceCode = { awaiting: true };
  await ctx.reply(refusalText(ctx, outcome));
}

function refusalText(ctx: BotContext, outcome: Exclude<ClaimOutcome, { ok: true }>): string {
  const zone = ctx.person!.timeZone;
  switch (outcome.reason) {
    case 'malformed':
    case 'not-linked':
      return ctx.t(`attendance.refused.${outcome.reason}`);
    case 'wrong-code':
      return outcome.attemptsLeft > 0
        ? ctx.t('attendance.refused.wrong-code', { left: outcome.attemptsLeft })
        : ctx.t('attendance.refused.wrong-code-last');
    case 'throttled': {
      const minutes = Math.max(1, Math.ceil((outcome.retryAt.getTime() - ctx.services.clock.now().getTime()) / 60_000));
      return ctx.t('attendance.refused.throttled', { time: timeOf(outcome.retryAt, zone), minutes });
    }
    case 'already-claimed':
      return ctx.t('attendance.refused.already-claimed', {
        title: outcome.event.title,
        date: formatDate(localDateOf(outcome.claimedAt, zone), ctx.lang),
      });
    case 'event-not-started':
      return ctx.t('attendance.refused.event-not-started', {
        title: outcome.event.title,
        date: formatDate(localDateOf(outcome.event.startsAt, zone), ctx.lang),
      });
    case 'not-creditable':
      return ctx.t(
        `attendance.refused.not-creditable-${outcome.problem.code === 'unknown-type' ? 'type' : outcome.problem.code.startsWith('quantity') ? 'quantity' : 'date'}`,
        {
          title: outcome.event.title,
          zet: formatNumber(outcome.event.zet, ctx.lang),
        },
      );
    default:
      return ctx.t(`attendance.refused.${outcome.reason}`, { title: outcome.event.title });
  }
}
