import type { AnnouncementView } from '../../../bot/http/cabinet/wire';
import { useResource } from '../api/use-resource';
import { Empty, Loaded, Section } from '../components/ui';
import { useStrings } from '../i18n/strings';

/** Announcements the department sent, with how many were delivered, blocked or failed (as /announce_status). */
export function AnnouncementsView() {
  const { t, dateTime } = useStrings();
  const announcements = useResource<AnnouncementView[]>('admin/announcements');
  return (
    <Section title={t('admin.announcements.title')} testId="admin-announcements">
      <Loaded resource={announcements}>
        {(list) => (
          <>
            {list.length === 0 && <Empty>{t('admin.announcements.empty')}</Empty>}
            {list.map((a) => (
              <article key={a.id} className="card" data-testid="announcement">
                <p className="hint">
                  {dateTime(a.createdAt)} · {a.categoryLabel} · {t('admin.announcements.recipients', { count: a.recipients })}
                </p>
                <p>{a.text}</p>
                <p data-testid="announcement-counts">
                  {t('admin.announcements.counts', { delivered: a.delivered, blocked: a.blocked, failed: a.failed, pending: a.pending })}
                </p>
              </article>
            ))}
            <p className="hint">{t('admin.announcements.send-in-chat')}</p>
          </>
        )}
      </Loaded>
    </Section>
  );
}
