import { useState } from 'react';
import type { ActionResult, Cycle, NewEntry } from '../../../../bot/http/cabinet/wire';
import { useResource } from '../../api/use-resource';
import { useCabinet } from '../../cabinet-context';
import { Loaded, Outcome, useAction } from '../../components/ui';
import { useStrings } from '../../i18n/strings';

/**
 * The /add wizard as one form: type, quantity within the type's range, date (not in the future, inside the
 * cycle), an optional title. The server checks it with the same rules as the chat and words any refusal.
 */
export function AddEntryForm() {
  const cycle = useResource<Cycle>('cycle');
  return <Loaded resource={cycle}>{(data) => <Form cycle={data} />}</Loaded>;
}

function Form({ cycle }: { cycle: Cycle }) {
  const { t } = useStrings();
  const { api, changed, close } = useCabinet();
  const action = useAction();
  const [typeCode, setTypeCode] = useState(cycle.creditTypes[0]?.code ?? '');
  const [quantity, setQuantity] = useState('');
  const [date, setDate] = useState(cycle.asOf);
  const [title, setTitle] = useState('');
  const [saved, setSaved] = useState(false);
  const type = cycle.creditTypes.find((ct) => ct.code === typeCode);

  async function submit() {
    const entry: NewEntry = {
      typeCode,
      quantity: Number(quantity.replace(',', '.')),
      date,
      ...(title.trim() ? { title: title.trim() } : {}),
    };
    const result = await action.run(
      () => api.post<ActionResult>('entries', entry),
      (r) => r.message,
    );
    if (result) {
      setSaved(true);
      changed();
    }
  }

  if (saved)
    return (
      <div className="form">
        <Outcome outcome={action.outcome} />
        <button type="button" className="button" onClick={close}>
          {t('done')}
        </button>
      </div>
    );
  return (
    <form
      className="form"
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('add.type')}
        <select name="type" value={typeCode} onChange={(event) => setTypeCode(event.target.value)}>
          {cycle.creditTypes.map((ct) => (
            <option key={ct.code} value={ct.code}>
              {ct.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('add.quantity', { unit: type?.quantity.unitLabel ?? '' })}
        <input
          name="quantity"
          inputMode="decimal"
          required
          value={quantity}
          placeholder={type ? `${type.quantity.min}–${type.quantity.max}` : ''}
          onChange={(event) => setQuantity(event.target.value)}
        />
      </label>
      <label>
        {t('add.date')}
        <input name="date" type="date" required value={date} max={cycle.asOf} onChange={(event) => setDate(event.target.value)} />
      </label>
      <label>
        {t('add.title')}
        <input name="title" maxLength={200} value={title} onChange={(event) => setTitle(event.target.value)} />
      </label>
      <button type="submit" className="button" disabled={action.busy}>
        {t('add.save')}
      </button>
      <Outcome outcome={action.outcome} />
    </form>
  );
}
