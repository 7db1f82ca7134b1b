import { useMemo, useState } from 'react';
import type { EventView, Plan, PlanItemView } from '../../../bot/http/cabinet/wire';
import { useResource } from '../api/use-resource';
import { useCabinet } from '../cabinet-context';
import { Badge, Empty, Loaded, Outcome, Section, useAction } from '../components/ui';
import { useStrings } from '../i18n/strings';

/** The study plan as a calendar and a list, with the projection and the events to sign up for (R-PLAN, R-ORG). */
export function PlanScreen() {
  const plan = useResource<Plan>('plan');
  return <Loaded resource={plan}>{(data) => <PlanView plan={data} />}</Loaded>;
}

function PlanView({ plan }: { plan: Plan }) {
  const { t, date, n } = useStrings();
  return (
    <>
      <Section title={t('plan.calendar')}>
        <MonthCalendar plan={plan} />
      </Section>
      <Section title={t('plan.items')} testId="plan-items">
        {plan.items.length === 0 && <Empty>{t('plan.empty')}</Empty>}
        {plan.items.map((item) => (
          <article key={item.id} className="card" data-testid="plan-item">
            <div className="card-head">
              <span className="card-title">{item.title}</span>
              {item.overlapping && <Badge tone="warn">{t('plan.overlap')}</Badge>}
            </div>
            <p className="hint">
              {item.startsOn === item.endsOn ? date(item.startsOn) : `${date(item.startsOn)} — ${date(item.endsOn)}`} · {item.typeName} ·{' '}
              {t('plan.hours', { hours: n(item.hours) })}
              {item.provider && ` · ${item.provider}`}
            </p>
            {item.deadline && <p className="hint">{t('plan.deadline', { date: date(item.deadline) })}</p>}
          </article>
        ))}
        <p className={plan.projection.met ? 'pace good' : 'pace warn'}>{plan.projection.sentence}</p>
        {plan.projection.groups.map((line) => (
          <p key={line} className="hint">
            {line}
          </p>
        ))}
        <p className="hint">{t('plan.add-in-chat')}</p>
      </Section>
      <Section title={t('events.title')} testId="events">
        {plan.events.length === 0 && <Empty>{t('events.empty')}</Empty>}
        {plan.events.map((event) => (
          <EventCard key={event.id} event={event} timeZone={plan.timeZone} />
        ))}
      </Section>
    </>
  );
}

function EventCard({ event, timeZone }: { event: EventView; timeZone: string }) {
  const { t, dateTime, n } = useStrings();
  const { api, changed } = useCabinet();
  const action = useAction();
  const full = event.capacity !== null && event.seatsTaken >= event.capacity;
  const seats =
    event.capacity === null
      ? t('events.unlimited')
      : full
        ? t('events.full')
        : t('events.seats-left', { left: event.capacity - event.seatsTaken, capacity: event.capacity });
  async function toggle() {
    const done = await action.run(
      () =>
        event.signedUp
          ? api.delete<{ message: string }>(`events/${event.id}/sign-up`)
          : api.post<{ message: string }>(`events/${event.id}/sign-up`),
      (result) => result.message,
    );
    if (done) changed();
  }
  return (
    <article className="card" data-testid="event">
      <div className="card-head">
        <span className="card-title">{event.title}</span>
        {event.signedUp && <Badge tone="good">{t('events.signed-up')}</Badge>}
      </div>
      <p className="hint">
        {dateTime(event.startsAt, timeZone)} · {event.formatLabel} · {event.kindLabel} · {t('events.zet', { zet: n(event.zet) })}
      </p>
      <p className="hint">{seats}</p>
      {event.place && <p>📍 {event.place}</p>}
      {event.link && event.signedUp && (
        <p>
          🔗{' '}
          <a href={event.link} target="_blank" rel="noopener noreferrer">
            {event.link}
          </a>
        </p>
      )}
      {(event.signedUp || !full) && (
        <button
          type="button"
          className={event.signedUp ? 'button secondary' : 'button'}
          disabled={action.busy}
          onClick={() => void toggle()}
        >
          {event.signedUp ? t('events.cancel') : t('events.sign-up')}
        </button>
      )}
      <Outcome outcome={action.outcome} />
    </article>
  );
}

const MONDAY_FIRST = [1, 2, 3, 4, 5, 6, 0];

function monthKey(iso: string): string {
  return iso.slice(0, 7);
}

function shiftMonth(key: string, by: number): string {
  const [year, month] = key.split('-').map(Number);
  const date = new Date(Date.UTC(year, month - 1 + by, 1));
  return date.toISOString().slice(0, 7);
}

/** A month at a time, Monday first: days of plan items, overlaps and events marked, today outlined. */
function MonthCalendar({ plan }: { plan: Plan }) {
  const { lang, t } = useStrings();
  const [month, setMonth] = useState(() => monthKey(plan.today));
  const eventDays = useMemo(
    () => new Set(plan.events.map((e) => new Intl.DateTimeFormat('en-CA', { timeZone: plan.timeZone }).format(new Date(e.startsAt)))),
    [plan],
  );
  const [year, monthNumber] = month.split('-').map(Number);
  const first = new Date(Date.UTC(year, monthNumber - 1, 1));
  const daysInMonth = new Date(Date.UTC(year, monthNumber, 0)).getUTCDate();
  const blanks = MONDAY_FIRST.indexOf(first.getUTCDay());
  const itemsOn = (day: string): PlanItemView[] => plan.items.filter((item) => item.startsOn <= day && day <= item.endsOn);
  const weekdays = MONDAY_FIRST.map((d) =>
    new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { weekday: 'short', timeZone: 'UTC' }).format(
      new Date(Date.UTC(2024, 0, 7 + d)),
    ),
  );
  const title = new Intl.DateTimeFormat(lang === 'ru' ? 'ru-RU' : 'en-GB', { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(
    first,
  );
  return (
    <div className="calendar" data-testid="plan-calendar">
      <div className="calendar-head">
        <button
          type="button"
          className="link-button"
          aria-label={t('plan.previous-month')}
          onClick={() => setMonth((m) => shiftMonth(m, -1))}
        >
          ‹
        </button>
        <span className="calendar-title">{title}</span>
        <button type="button" className="link-button" aria-label={t('plan.next-month')} onClick={() => setMonth((m) => shiftMonth(m, 1))}>
          ›
        </button>
      </div>
      <div className="calendar-grid">
        {weekdays.map((name) => (
          <span key={name} className="calendar-weekday">
            {name}
          </span>
        ))}
        {Array.from({ length: blanks }, (_, i) => (
          <span key={`blank-${i}`} />
        ))}
        {Array.from({ length: daysInMonth }, (_, i) => {
          const day = `${month}-${String(i + 1).padStart(2, '0')}`;
          const items = itemsOn(day);
          const classes = ['calendar-day'];
          if (items.length > 0) classes.push('planned');
          if (items.length > 1) classes.push('overlap');
          if (eventDays.has(day)) classes.push('event');
          if (day === plan.today) classes.push('today');
          return (
            <span key={day} className={classes.join(' ')} title={items.map((item) => item.title).join(', ')}>
              {i + 1}
            </span>
          );
        })}
      </div>
      <p className="hint calendar-legend">
        <span className="legend planned" /> {t('plan.legend-planned')} <span className="legend overlap" /> {t('plan.legend-overlap')}{' '}
        <span className="legend event" /> {t('plan.legend-event')}
      </p>
    </div>
  );
}
