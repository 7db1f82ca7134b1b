import type { Overlay } from '../cabinet-context';
import { useCabinet } from '../cabinet-context';
import { useStrings } from '../i18n/strings';
import { AddEntryForm } from './forms/AddEntryForm';
import { AppealForm } from './forms/AppealForm';
import { AttachForm } from './forms/AttachForm';
import { DisputeForm } from './forms/DisputeForm';
import { DocumentViewer } from './DocumentViewer';

/** A screen opened over a tab; closed by Telegram's back button or by the page's own «‹ Back». */
export function OverlayScreen({ overlay }: { overlay: Overlay }) {
  const { close } = useCabinet();
  const { t } = useStrings();
  const title =
    overlay.kind === 'document'
      ? overlay.name
      : overlay.kind === 'add-entry'
        ? t('entries.add')
        : overlay.kind === 'attach'
          ? t('attach.title', { entry: overlay.entryTitle })
          : overlay.kind === 'dispute'
            ? t('dispute.title', { entry: overlay.entryTitle })
            : t('appeal.title');
  return (
    <div className="overlay screen" data-testid={`overlay-${overlay.kind}`}>
      <header className="overlay-head">
        <button type="button" className="link-button" onClick={close}>
          ‹ {t('back')}
        </button>
        <h1>{title}</h1>
      </header>
      {overlay.kind === 'document' && <DocumentViewer id={overlay.id} name={overlay.name} mediaType={overlay.mediaType} />}
      {overlay.kind === 'add-entry' && <AddEntryForm />}
      {overlay.kind === 'attach' && <AttachForm entryId={overlay.entryId} />}
      {overlay.kind === 'dispute' && <DisputeForm entryId={overlay.entryId} />}
      {overlay.kind === 'appeal' && <AppealForm disputeId={overlay.disputeId} until={overlay.until} />}
    </div>
  );
}
