import { useState } from 'react';
import type { ActionResult, Entries } from '../../../../bot/http/cabinet/wire';
import { useResource } from '../../api/use-resource';
import { useCabinet } from '../../cabinet-context';
import { Empty, Loaded, Outcome, useAction } from '../../components/ui';
import { useStrings } from '../../i18n/strings';
import { UploadButton } from '../UploadButton';

/** Attaches one of the person's documents (or a new upload) to an entry, as /documents does in the chat. */
export function AttachForm({ entryId }: { entryId: string }) {
  const entries = useResource<Entries>('entries');
  const { t } = useStrings();
  const { api, changed } = useCabinet();
  const action = useAction();
  const [chosen, setChosen] = useState<string | null>(null);
  async function attach(documentId: string) {
    const result = await action.run(
      () => api.post<ActionResult>(`entries/${entryId}/documents`, { documentId }),
      (r) => r.message,
    );
    if (result) changed();
  }
  return (
    <div className="form">
      <UploadButton label={t('attach.upload')} onUploaded={(document) => void attach(document.id)} />
      <Loaded resource={entries}>
        {(data) => (
          <>
            <p className="section-subtitle">{t('attach.choose')}</p>
            {data.documents.length === 0 && <Empty>{t('documents.empty')}</Empty>}
            {data.documents.map((document) => (
              <label key={document.id} className="choice">
                <input type="radio" name="document" checked={chosen === document.id} onChange={() => setChosen(document.id)} />
                {document.name} <span className="hint">· {document.kindLabel}</span>
              </label>
            ))}
            <button type="button" className="button" disabled={!chosen || action.busy} onClick={() => chosen && void attach(chosen)}>
              {t('attach.submit')}
            </button>
          </>
        )}
      </Loaded>
      <Outcome outcome={action.outcome} />
    </div>
  );
}
