import { InlineKeyboard } from 'grammy';
import type { SupportTicket } from '../../../generated/prisma/client';
import type { Availability } from '../../../core/support/working-hours';
import { moscowDateOf } from '../../../core/calendar/deadline';
import { callbackData } from '../../../infra/telegram/callback-data';
import type { Translate } from '../../../infra/i18n';
import { formatDate } from '../../format';
import { pendingQuestion } from '../../shared/pending-questions';

/** The five stars under «обращение закрыто». */
export function ratingKeyboard(ticket: SupportTicket): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (let rating = 1; rating <= 5; rating += 1) keyboard.text(`${rating} ⭐`, callbackData.supportRate(ticket.id, rating));
  return keyboard;
}

export function openTicketKeyboard(t: Translate, ticket: SupportTicket): InlineKeyboard {
  return new InlineKeyboard().text(t('support.close-button'), callbackData.supportClose(ticket.id));
}

/** «Сейчас нерабочее время…» with the next opening in Moscow time, or nothing while agents are in. */
export function hoursNotice(t: Translate, lang: 'ru' | 'en', availability: Availability): string | null {
  if (availability.open) return null;
  const opensAt = availability.opensAt;
  const time = new Date(opensAt.getTime() + 3 * 60 * 60 * 1000).toISOString().slice(11, 16);
  return t('support.out-of-hours', { date: formatDate(moscowDateOf(opensAt), lang), time });
}

/** «A comment to your rating?»: the next text is the comment to this ticket's rating (its id), for 15 minutes. */
export const ratingComment = pendingQuestion({ inChat: (prefix, chatId) => `${prefix}:support:comment:${chatId}` }, 15 * 60);
