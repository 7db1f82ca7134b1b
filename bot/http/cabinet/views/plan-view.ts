import type { StaffEvent } from '../../../../core/events/events.service';
import type { PlanOverview } from '../../../../core/plan/plan.service';
import { isoDateOfDbDate } from '../../../../core/shared/local-date';
import type { Event } from '../../../../generated/prisma/client';
import type { Lang, Translate } from '../../../../infra/i18n';
import { projectionGroups, projectionSentence, typeName } from '../../../features/plan/plan-text';
import type { EventView, Plan } from '../wire';
import { plain } from './cycle-view';

/** The study plan with its projection (worded as /plan words it) and the events the person may sign up for. */
export function planView(
  overview: PlanOverview,
  events: StaffEvent[],
  person: { today: string; timeZone: string },
  t: Translate,
  lang: Lang,
): Plan {
  return {
    period: overview.period,
    items: overview.items.map((item) => ({
      id: item.id,
      title: item.title,
      provider: item.provider,
      typeCode: item.creditTypeCode,
      typeName: typeName(overview.ruleSet, item.creditTypeCode, lang),
      startsOn: isoDateOfDbDate(item.startsOn),
      endsOn: isoDateOfDbDate(item.endsOn),
      hours: item.hours,
      deadline: item.deadline ? isoDateOfDbDate(item.deadline) : null,
      overlapping: overview.overlapping.has(item.id),
    })),
    projection: {
      met: overview.projection.met,
      sentence: plain(projectionSentence(t, lang, overview)),
      groups: projectionGroups(t, lang, overview).map(plain),
    },
    events: events.map((event) => eventView(event, t)),
    today: person.today,
    timeZone: person.timeZone,
  };
}

export function eventView(event: Event & { seatsTaken: number; signedUp?: boolean }, t: Translate): EventView {
  return {
    id: event.id,
    title: event.title,
    startsAt: event.startsAt.toISOString(),
    endsAt: event.endsAt.toISOString(),
    format: event.format,
    formatLabel: t(`events.format.${event.format}`),
    kindLabel: t(`events.kind.${event.kind}`),
    zet: event.zet,
    place: event.place,
    link: event.link,
    capacity: event.capacity,
    seatsTaken: event.seatsTaken,
    signedUp: event.signedUp ?? false,
  };
}
