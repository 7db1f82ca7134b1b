import { useState } from 'react';
import { useStrings } from '../i18n/strings';
import { AnnouncementsView } from './AnnouncementsView';
import { ComplianceView } from './ComplianceView';
import { EventsView } from './EventsView';

type Part = 'compliance' | 'events' | 'announcements';

/**
 * The education department's screens (R-ORG): loaded only when an admin opens them. Everything shown is
 * read through the same core services as the chat's /report, /events_admin and /announce_status, for the
 * admin's own organization, and every read is journaled by the server.
 */
export default function AdminScreen() {
  const { t } = useStrings();
  const [part, setPart] = useState<Part>('compliance');
  return (
    <>
      <div className="subtabs" role="tablist">
        {(['compliance', 'events', 'announcements'] as const).map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            aria-selected={name === part}
            className={name === part ? 'active' : ''}
            onClick={() => setPart(name)}
          >
            {t(`admin.parts.${name}`)}
          </button>
        ))}
      </div>
      {part === 'compliance' && <ComplianceView />}
      {part === 'events' && <EventsView />}
      {part === 'announcements' && <AnnouncementsView />}
    </>
  );
}
