import { useState } from 'react';
import type { AdminEvents, EventPeople } from '../../../bot/http/cabinet/wire';
import { useResource } from '../api/use-resource';
import { Badge, Empty, Loaded, Section } from '../components/ui';
import { useStrings } from '../i18n/strings';

/** Events (newest first) with seats taken; one opened shows who signed up and who claimed attendance. */
export function EventsView() {
  const { t, dateTime, n } = useStrings();
  const events = useResource<AdminEvents>('admin/events');
  const [opened, setOpened] = useState<string | null>(null);
  return (
    <Loaded resource={events}>
      {(data) => (
        <>
          <Section title={t('admin.events.title')} testId="admin-events">
            {data.events.length === 0 && <Empty>{t('admin.events.empty')}</Empty>}
            {data.events.map((event) => (
              <article key={event.id} className="card" data-testid="admin-event">
                <div className="card-head">
                  <button type="button" className="link-button card-title" onClick={() => setOpened(opened === event.id ? null : event.id)}>
                    {event.title}
                  </button>
                  {event.cancelled && <Badge tone="bad">{t('admin.events.cancelled')}</Badge>}
                </div>
                <p className="hint">
                  {dateTime(event.startsAt)} · {event.formatLabel} · {event.kindLabel} · {t('events.zet', { zet: n(event.zet) })}
                  {event.program && ` · ${event.program}`}
                </p>
                <p className="hint">
                  {event.capacity === null
                    ? t('admin.events.signed-up-unlimited', { taken: event.seatsTaken })
                    : t('admin.events.signed-up', { taken: event.seatsTaken, capacity: event.capacity })}
                </p>
                {opened === event.id && <People eventId={event.id} />}
              </article>
            ))}
          </Section>
          <Section title={t('admin.programs.title')} testId="admin-programs">
            {data.programs.length === 0 && <Empty>{t('admin.programs.empty')}</Empty>}
            {data.programs.map((program) => (
              <div key={program.id} className="row">
                <span>
                  {program.title} {program.archived && <Badge>{t('admin.programs.archived')}</Badge>}
                </span>
                <span className="hint">
                  {t('admin.programs.events', { count: program.events })}
                  {program.budget !== null && ` · ${t('admin.programs.budget', { budget: n(program.budget) })}`}
                </span>
              </div>
            ))}
          </Section>
        </>
      )}
    </Loaded>
  );
}

function People({ eventId }: { eventId: string }) {
  const { t, dateTime, n } = useStrings();
  const people = useResource<EventPeople>(`admin/events/${eventId}`);
  return (
    <Loaded resource={people}>
      {(data) => (
        <div className="nested" data-testid="event-people">
          <p className="section-subtitle">
            {t('admin.events.registrations', { count: data.registrations.filter((r) => !r.cancelledAt).length })}
          </p>
          {data.registrations.length === 0 && <Empty>{t('admin.events.nobody')}</Empty>}
          <ul>
            {data.registrations.map((r) => (
              <li key={`${r.fullName}-${r.signedUpAt}`}>
                {r.fullName} <span className="hint">· {r.categoryLabel}</span>
                {r.cancelledAt && <Badge>{t('admin.events.sign-up-cancelled')}</Badge>}
              </li>
            ))}
          </ul>
          <p className="section-subtitle">{t('admin.events.attendance', { count: data.claims.length })}</p>
          {data.claims.length === 0 && <Empty>{t('admin.events.no-claims')}</Empty>}
          <ul>
            {data.claims.map((c) => (
              <li key={`${c.fullName}-${c.claimedAt}`}>
                {c.fullName} <span className="hint">· {dateTime(c.claimedAt)}</span>
                {c.quantity !== null && <span className="hint"> · {t('events.zet', { zet: n(c.quantity) })}</span>}
              </li>
            ))}
          </ul>
        </div>
      )}
    </Loaded>
  );
}
