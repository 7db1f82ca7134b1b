import { useState } from 'react';
import type { ActionResult } from '../../../../bot/http/cabinet/wire';
import { useCabinet } from '../../cabinet-context';
import { Outcome, useAction } from '../../components/ui';
import { useStrings } from '../../i18n/strings';

/** An appeal of a rejected dispute inside its 5-working-day window (R-APPEAL); its decision is final. */
export function AppealForm({ disputeId, until }: { disputeId: string; until: string }) {
  const { t, day } = useStrings();
  const { api, changed } = useCabinet();
  const action = useAction();
  const [reason, setReason] = useState('');
  const [filed, setFiled] = useState(false);
  async function submit() {
    const result = await action.run(
      () => api.post<ActionResult>(`disputes/${disputeId}/appeal`, { reason }),
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
      <p className="hint">{t('appeal.until', { date: day(until) })}</p>
      <label>
        {t('appeal.reason')}
        <textarea name="reason" rows={4} maxLength={2000} value={reason} onChange={(event) => setReason(event.target.value)} />
      </label>
      <button type="submit" className="button" disabled={action.busy}>
        {t('appeal.submit')}
      </button>
      <Outcome outcome={action.outcome} />
    </form>
  );
}
