import type { DocumentView, Entries, EntryView } from '../../../bot/http/cabinet/wire';
import { useResource } from '../api/use-resource';
import { useCabinet } from '../cabinet-context';
import { Badge, Empty, Loaded, Section } from '../components/ui';
import { useStrings } from '../i18n/strings';
import { UploadButton } from './UploadButton';

/** Entries with their source, state and documents (R-ENTRY, R-DOCS), newest first, as /history lists them. */
export function EntriesScreen() {
  const entries = useResource<Entries>('entries');
  const { t } = useStrings();
  const { open } = useCabinet();
  return (
    <>
      <div className="actions top">
        <button type="button" className="button" onClick={() => open({ kind: 'add-entry' })}>
          {t('entries.add')}
        </button>
      </div>
      <Loaded resource={entries}>
        {(data) => (
          <>
            <Section title={t('entries.title')} testId="entries">
              {data.entries.length === 0 && <Empty>{t('entries.empty')}</Empty>}
              {data.entries.map((entry) => (
                <EntryCard key={entry.id} entry={entry} unit={data.unitLabel} />
              ))}
            </Section>
            <Section title={t('documents.title')} testId="documents">
              <UploadButton label={t('documents.upload')} />
              {data.documents.length === 0 && <Empty>{t('documents.empty')}</Empty>}
              <ul className="documents">
                {data.documents.map((document) => (
                  <li key={document.id}>
                    <DocumentLink document={document} />
                  </li>
                ))}
              </ul>
            </Section>
          </>
        )}
      </Loaded>
    </>
  );
}

const STATE_TONE: Record<string, 'good' | 'warn' | 'bad'> = { VERIFIED: 'good', UNVERIFIED: 'warn', REJECTED: 'bad' };

function EntryCard({ entry, unit }: { entry: EntryView; unit: string }) {
  const { t, n, date } = useStrings();
  const { open } = useCabinet();
  const title = entry.title ?? entry.typeName;
  return (
    <article className="card" data-testid="entry">
      <div className="card-head">
        <span className="card-title">{title}</span>
        <span className="card-amount">
          {n(entry.credits)} {unit}
        </span>
      </div>
      <p className="hint">
        {date(entry.date)} · {entry.typeName} · {entry.quantityLabel}
      </p>
      <p className="badges">
        <Badge>{entry.sourceLabel}</Badge> <Badge tone={STATE_TONE[entry.state] ?? 'neutral'}>{entry.stateLabel}</Badge>
      </p>
      {entry.documents.length > 0 && (
        <ul className="documents">
          {entry.documents.map((document) => (
            <li key={document.id}>
              <DocumentLink document={document} />
            </li>
          ))}
        </ul>
      )}
      <div className="card-actions">
        <button type="button" className="link-button" onClick={() => open({ kind: 'attach', entryId: entry.id, entryTitle: title })}>
          📎 {t('entries.attach')}
        </button>
        {entry.disputable && (
          <button type="button" className="link-button" onClick={() => open({ kind: 'dispute', entryId: entry.id, entryTitle: title })}>
            ⚖️ {t('entries.dispute')}
          </button>
        )}
      </div>
    </article>
  );
}

/** A document opens in the cabinet (pictures and PDF in place, anything else as a download). */
export function DocumentLink({ document }: { document: DocumentView }) {
  const { open } = useCabinet();
  const { date } = useStrings();
  return (
    <button
      type="button"
      className="document-link"
      onClick={() => open({ kind: 'document', id: document.id, name: document.name, mediaType: document.mediaType })}
    >
      📄 {document.name}{' '}
      <span className="hint">
        · {document.kindLabel} · {date(document.uploadedAt)}
      </span>
    </button>
  );
}
