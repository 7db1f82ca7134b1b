import type { Event, Person } from '../../generated/prisma/client';
import { addDays } from '../shared/dates';
import type { NotificationRequest } from '../notifications/notifications.service';
import { instantAtLocal } from '../shared/local-date';
import { localDateOf } from '../shared/local-date';

/** Notice kinds of events the worker renders (worker/notifications/render.ts). */
export const EVENT_REMINDER_KINDS = ['event.tomorrow', 'event.soon'] as const;
export const EVENT_NOTICE_KINDS = [...EVENT_REMINDER_KINDS, 'event.changed', 'event.cancelled'] as const;

/** The day-before reminder goes at 18:00 of the person's day: after a shift, early enough to plan. */
export const DAY_BEFORE_HOUR = 18;
const HOUR = 60 * 60 * 1000;

type Recipient = Pick<Person, 'id' | 'timeZone'>;

/** What a notice shows about an event: values, never sentences (the worker translates). */
export function eventPayload(event: Event, timeZone: string): Record<string, unknown> {
  return {
    eventId: event.id,
    title: event.title,
    format: event.format,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    place: event.place,
    link: event.link,
    timeZone,
  };
}

/**
 * The reminders of one sign-up: the evening before (every format), and an hour before a webinar with
 * its link. Keys carry the event's start, so a moved event gets reminders of its own and the old ones
 * (cancelled by the move) are not resurrected. Reminders already in the past are not scheduled.
 */
export function remindersOf(event: Event, person: Recipient, now: Date): NotificationRequest[] {
  const start = event.startsAt.toISOString();
  const requests: NotificationRequest[] = [];
  const dayBefore = instantAtLocal(addDays(localDateOf(event.startsAt, person.timeZone), -1), DAY_BEFORE_HOUR, person.timeZone);
  if (dayBefore > now) {
    requests.push({
      personId: person.id,
      kind: 'event.tomorrow',
      subjectId: event.id,
      dueAt: dayBefore,
      idempotencyKey: `event.tomorrow:${event.id}:${person.id}:${start}`,
      payload: eventPayload(event, person.timeZone),
    });
  }
  const hourBefore = new Date(event.startsAt.getTime() - HOUR);
  if (event.format === 'WEBINAR' && hourBefore > now) {
    requests.push({
      personId: person.id,
      kind: 'event.soon',
      subjectId: event.id,
      dueAt: hourBefore,
      idempotencyKey: `event.soon:${event.id}:${person.id}:${start}`,
      payload: eventPayload(event, person.timeZone),
      // A webinar at 08:30 has its notice at 07:30, inside the default quiet hours (22:00–08:00): held
      // until 08:00, the link would arrive after the start. The person asked for it by signing up.
      ignoreQuietHours: true,
    });
  }
  return requests;
}
