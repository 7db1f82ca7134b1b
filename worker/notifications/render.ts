import { readableNumber } from '../../core/shared/intl-formats';
import { InlineKeyboard } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Notification } from '../../generated/prisma/client';
import type { Lang, Translate } from '../../infra/i18n';
import { callbackData } from '../../infra/telegram/callback-data';
import { renderEventNotice } from './render-events';
import { CALENDAR_YEAR_MISSING_KIND } from '../../core/calendar/working-day-deadlines';
import { DEADLINE_MOVED_KIND, type SettledDeadline } from '../../core/disputes/provisional-deadlines';
import type { ReviewDueItem } from '../../core/reminders/reminders.service';
import { provisionalNote } from '../../infra/provisional-note';

export interface RenderedMessage {
  text: string;
  replyMarkup?: InlineKeyboardMarkup;
}

type Payload = Record<string, unknown>;

function n(value: unknown, lang: Lang): string {
  return typeof value === 'number' ? readableNumber(value, lang) : String(value ?? '');
}

function d(value: unknown, lang: Lang): string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return String(value ?? '');
  const [y, m, day] = value.split('-');
  return lang === 'ru' ? `${day}.${m}.${y}` : `${day}/${m}/${y}`;
}

function escape(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

function commentLine(t: Translate, comment: unknown): string {
  return typeof comment === 'string' && comment.trim() ? t('notifications.comment', { comment: escape(comment.trim()) }) : '';
}

// Built once: an Intl formatter costs far more to build than to use.
const MOSCOW_DAY = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow', year: 'numeric', month: '2-digit', day: '2-digit' });
const MOSCOW_TIME = new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Moscow', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });

/** The pace nudge worded by how far behind (PaceLag); a row written before the payload had `lag` reads as slightly. */
function behindPaceKey(lag: unknown): string {
  if (lag === 'well') return 'notifications.credits-behind-pace-well';
  if (lag === 'at-risk') return 'notifications.credits-behind-pace-at-risk';
  return 'notifications.credits-behind-pace';
}

/** An instant (ISO) as the Moscow calendar day people read deadlines in. */
function moscowDate(value: unknown, lang: Lang): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return '';
  const day = MOSCOW_DAY.format(new Date(value));
  return d(day, lang);
}

/**
 * Turns a notification row into the message a person reads: translated, saying what happened and
 * what to do next, with a button that does it. The payload carries numbers, never sentences.
 */
export function renderNotification(notification: Notification, t: Translate, lang: Lang): RenderedMessage {
  const p = notification.payload as Payload;
  const values = {
    total: n(p.total, lang),
    required: n(p.required, lang),
    remaining: n(p.remaining, lang),
    periodEnd: d(p.periodEnd, lang),
    daysLeft: p.daysLeft,
    count: typeof p.daysLeft === 'number' ? p.daysLeft : 0,
    milestone: p.milestone,
  };
  const showCredits = new InlineKeyboard().text(t('notifications.open-credits'), callbackData.showCredits);
  const addCredits = new InlineKeyboard()
    .text(t('credits.add-button'), callbackData.addStart)
    .text(t('notifications.open-credits'), callbackData.showCredits);
  switch (notification.kind) {
    case 'credits.met':
      return { text: t('notifications.credits-met', values), replyMarkup: showCredits };
    case 'credits.behind-pace':
      return { text: t(behindPaceKey(p.lag), values), replyMarkup: addCredits };
    case 'credits.period-end':
      return { text: t('notifications.credits-period-end', values), replyMarkup: addCredits };
    case 'application.status':
      return {
        text: t('notifications.application-status', {
          title: escape(p.title),
          status: t(`applications.status.${String(p.status)}`),
          comment: commentLine(t, p.comment),
        }),
        replyMarkup: new InlineKeyboard().text(t('notifications.open-application'), callbackData.applicationCard(String(p.applicationId))),
      };
    case 'dispute.decided':
      if (p.decision === 'APPROVED') return { text: t('notifications.dispute-approved', { comment: commentLine(t, p.comment) }) };
      return {
        text: t('notifications.dispute-rejected', {
          comment: commentLine(t, p.comment),
          until: moscowDate(p.appealUntil, lang),
          provisional: provisionalNote(t, p.appealUntilFallbackYear),
        }),
        replyMarkup: new InlineKeyboard().text(t('notifications.appeal-button'), callbackData.appealStart(String(p.disputeId))),
      };
    case 'appeal.decided':
      return {
        text: t(p.decision === 'APPROVED' ? 'notifications.appeal-approved' : 'notifications.appeal-rejected', {
          comment: commentLine(t, p.comment),
        }),
      };
    case 'identity.decided':
      if (p.decision === 'SUCCESS') {
        return {
          text: t('notifications.identity-success', { until: moscowDate(p.expiresAt, lang) }),
          replyMarkup: new InlineKeyboard().text(t('identity.show-button'), callbackData.identity),
        };
      }
      return {
        text: t('notifications.identity-rejected', {
          reason: t(`identity.error.${String(p.errorCode)}`, { defaultValue: escape(p.errorCode) }),
          recommendation: escape(p.recommendation),
        }),
        replyMarkup: new InlineKeyboard().text(t('identity.upload-again-button'), callbackData.identityUpload),
      };
    case 'appeal.window-closing':
      return {
        text: t('notifications.appeal-window-closing', {
          until: moscowDate(p.until, lang),
          provisional: provisionalNote(t, p.fallbackYear),
        }),
        replyMarkup: new InlineKeyboard().text(t('notifications.appeal-button'), callbackData.appealStart(String(p.disputeId))),
      };
    case 'identity.expiring':
      return {
        text: t('notifications.identity-expiring', { until: moscowDate(p.expiresAt, lang) }),
        replyMarkup: new InlineKeyboard().text(t('identity.upload-again-button'), callbackData.identityUpload),
      };
    case 'review.due':
      return renderReviewDue(p, t, lang);
    case 'plan.starts':
      return {
        text: t('plan.notice-starts', { title: escape(p.title), startsOn: d(p.startsOn, lang), endsOn: d(p.endsOn, lang) }),
        replyMarkup: new InlineKeyboard().text(t('notifications.open-plan'), callbackData.planShow),
      };
    case 'plan.deadline':
      return {
        text: t('plan.notice-deadline', { title: escape(p.title), deadline: d(p.deadline, lang) }),
        replyMarkup: new InlineKeyboard().text(t('notifications.open-plan'), callbackData.planShow),
      };
    case 'event.tomorrow':
    case 'event.soon':
    case 'event.changed':
    case 'event.cancelled':
      return renderEventNotice(notification.kind, p, t, lang);
    case 'sync.late':
      return {
        text: t(p.neverSucceeded ? 'notifications.sync-late-never' : 'notifications.sync-late', {
          since: moscowDateTime(p.since, lang),
          source: escape(p.source),
        }),
      };
    case CALENDAR_YEAR_MISSING_KIND:
      return { text: t('notifications.calendar-year-missing', { year: String(p.year ?? '') }) };
    case DEADLINE_MOVED_KIND:
      return renderDeadlineMoved(p, t, lang);
    case 'announcement':
      return { text: t('announcements.notice', { organization: escape(p.organizationName), text: escape(p.text) }) };
    default:
      return { text: t(`notifications.${notification.kind}`, { ...p, defaultValue: t('notifications.generic') }) };
  }
}

/** The support group's line about a ticket nearing its first-response limit (Moscow date and time). */
export function renderEscalation(t: Translate, ticketNumber: number, deadline: Date, fallbackYear: number | null = null): string {
  const moscow = new Date(deadline.getTime() + 3 * 60 * 60 * 1000).toISOString();
  return t('support.group.escalated', {
    number: ticketNumber,
    date: d(moscow.slice(0, 10), 'ru'),
    time: moscow.slice(11, 16),
    provisional: provisionalNote(t, fallbackYear),
  });
}

/** An instant (ISO) as Moscow date and time, for operators. */
function moscowDateTime(value: unknown, lang: Lang): string {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) return '';
  const time = MOSCOW_TIME.format(new Date(value));
  return `${moscowDate(value, lang)} ${time}`;
}

/** Buttons open at most this many cases: a longer list is read in the review topic's queue. */
const REVIEW_DUE_BUTTONS = 10;

/** Reviewers' list of disputes and appeals due by the end of the next working day, each with an «open» button. */
function renderReviewDue(p: Payload, t: Translate, lang: Lang): RenderedMessage {
  const items = Array.isArray(p.items) ? (p.items as ReviewDueItem[]) : [];
  const lines = items.map((item) =>
    t('notifications.review-due-item', {
      type: t(`notifications.review-due-type.${item.type}`),
      id: item.id.slice(0, 8),
      due: moscowDateTime(item.dueAt, lang),
      provisional: provisionalNote(t, item.fallbackYear),
    }),
  );
  const keyboard = new InlineKeyboard();
  for (const item of items.slice(0, REVIEW_DUE_BUTTONS)) {
    keyboard
      .text(
        t('notifications.review-due-open', { type: t(`notifications.review-due-type.${item.type}`), id: item.id.slice(0, 8) }),
        callbackData.reviewOpen(item.type === 'dispute' ? 'd' : 'a', item.id),
      )
      .row();
  }
  return {
    text: t('notifications.review-due', { total: items.length, list: lines.join('\n') }),
    replyMarkup: items.length > 0 ? keyboard : undefined,
  };
}

/** A date given to the person that moved when its year's calendar was loaded; the appeal window comes with its button. */
function renderDeadlineMoved(p: Payload, t: Translate, lang: Lang): RenderedMessage {
  const deadline: SettledDeadline = p.deadline === 'appeal-window' || p.deadline === 'appeal-due' ? p.deadline : 'dispute-due';
  const text = t(`notifications.deadline-moved.${deadline}`, {
    year: String(p.calendarYear ?? ''),
    after: moscowDate(p.after, lang),
    before: moscowDate(p.before, lang),
    provisional: provisionalNote(t, p.fallbackYear),
  });
  if (deadline !== 'appeal-window') return { text };
  return { text, replyMarkup: new InlineKeyboard().text(t('notifications.appeal-button'), callbackData.appealStart(String(p.disputeId))) };
}
