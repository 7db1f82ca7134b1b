import { useState } from 'react';
import type { ActionResult, Entries, NewDispute } from '../../../../bot/http/cabinet/wire';
import { useResource } from '../../api/use-resource';
import { useCabinet } from '../../cabinet-context';
import { Loaded, Outcome, useAction } from '../../components/ui';
import { useStrings } from '../../i18n/strings';
import { UploadButton } from '../UploadButton';

/**
 * «Оспорить запись» (R-DISPUTE): the reason, the right quantity if the person knows it, and evidence — at
 * least one own document, as in the chat; the server files it with its 10-working-day deadline.
 */
export function DisputeForm({ entryId }: { entryId: string }) {
  const entries = useResource<Entries>('entries');
  const { t } = useStrings();
  const { api, changed } = useCabinet();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [requestedValue, setRequestedValue] = useState('');
  const [evidence, setEvidence] = useState<string[]>([]);
  const [filed, setFiled] = useState(false);
  const toggle = (id: string) => setEvidence((chosen) => (chosen.includes(id) ? chosen.filter((c) => c !== id) : [...chosen, id]));

  async function submit() {
    const dispute: NewDispute = {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entryId,
      reason,
      ...(requestedValue.trim() ? { requestedValue: requestedValue.trim() } : {}),
      documentIds: evidence,
    };
    const result = await action.run(
      () => api.post<ActionResult>('disputes', dispute),
      (r) => r.message,
    );
    if (result) {
      setFiled(true);
      changed();
    }
  }
  if (filed) return <Outcome outcome={action.outcome} />;
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('dispute.reason')}
        <textarea name="reason" rows={4} maxLength={2000} value={reason} onChange={(event) => setReason(event.target.value)} />
      </label>
      <label>
        {t('dispute.requested-value')}
        <input
          name="requestedValue"
          inputMode="decimal"
          value={requestedValue}
          onChange={(event) => setRequestedValue(event.target.value)}
        />
      </label>
      <p className="section-subtitle">{t('dispute.evidence')}</p>
      <UploadButton label={t('attach.upload')} onUploaded={(document) => setEvidence((chosen) => [...chosen, document.id])} />
      <Loaded resource={entries}>
        {(data) => (
          <>
            {data.documents.map((document) => (
              <label key={document.id} className="choice">
                <input type="checkbox" checked={evidence.includes(document.id)} onChange={() => toggle(document.id)} />
                {document.name} <span className="hint">· {document.kindLabel}</span>
              </label>
            ))}
          </>
        )}
      </Loaded>
      <button type="submit" className="button" disabled={action.busy}>
        {t('dispute.submit')}
      </button>
      <Outcome outcome={action.outcome} />
    </form>
  );
}
