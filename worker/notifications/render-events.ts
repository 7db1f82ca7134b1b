import { InlineKeyboard } from 'grammy';
import { formatLocalDateTime } from '../../core/events/local-time';
import type { Lang, Translate } from '../../infra/i18n';
import { callbackData } from '../../infra/telegram/callback-data';
import type { RenderedMessage } from './render';

type Payload = Record<string, unknown>;

function escape(value: unknown): string {
  return String(value ?? '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** Start–end in the person's zone (carried in the payload: the zone they had when it was scheduled). */
function when(p: Payload, lang: Lang): string {
  const zone = typeof p.timeZone === 'string' ? p.timeZone : 'Europe/Moscow';
  if (typeof p.startsAt !== 'string' || typeof p.endsAt !== 'string') return '';
  const start = formatLocalDateTime(new Date(p.startsAt), zone, lang);
  const end = formatLocalDateTime(new Date(p.endsAt), zone, lang);
  return start.slice(0, 10) === end.slice(0, 10) ? `${start}–${end.slice(11)}` : `${start} – ${end}`;
}

function where(p: Payload, t: Translate): string {
  return [
    p.place ? t('events.where-place', { place: escape(p.place) }) : '',
    p.link ? t('events.where-link', { link: escape(p.link) }) : '',
  ]
    .filter(Boolean)
    .join('\n');
}

function isHttpLink(value: unknown): value is string {
  return typeof value === 'string' && /^https?:\/\//i.test(value);
}

/** The event notices (#8): the day before, an hour before a webinar (its link as a button), moved, cancelled. */
export function renderEventNotice(kind: string, p: Payload, t: Translate, lang: Lang): RenderedMessage {
  const events = new InlineKeyboard().text(t('events.notice.open-events'), callbackData.eventsList);
  const withLink = isHttpLink(p.link)
    ? new InlineKeyboard().url(t('events.notice.open-link'), p.link).row().text(t('events.notice.open-events'), callbackData.eventsList)
    : events;
  switch (kind) {
    case 'event.tomorrow':
      return {
        text: t('events.notice.tomorrow', { title: escape(p.title), when: when(p, lang), where: where(p, t) }),
        replyMarkup: withLink,
      };
    case 'event.soon':
      return {
        text: t('events.notice.soon', { title: escape(p.title), when: when(p, lang), link: escape(p.link) }),
        replyMarkup: withLink,
      };
    case 'event.changed': {
      const before = (p.before ?? {}) as Payload;
      return {
        text: t('events.notice.changed', {
          title: escape(p.title),
          before: [when(before, lang), where(before, t)].filter(Boolean).join(', '),
          after: [when(p, lang), where(p, t)].filter(Boolean).join(', '),
        }),
        replyMarkup: events,
      };
    }
    default:
      return {
        text: t('events.notice.cancelled', { title: escape(p.title), when: when(p, lang), reason: escape(p.reason) }),
        replyMarkup: events,
      };
  }
}
