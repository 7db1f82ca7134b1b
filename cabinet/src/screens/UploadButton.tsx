import { useRef } from 'react';
import type { DocumentView } from '../../../bot/http/cabinet/wire';
import { useCabinet } from '../cabinet-context';
import { Outcome, useAction } from '../components/ui';

/**
 * A file from the phone (PDF, JPEG, PNG, HEIC) stored as the chat stores files sent to the bot: type by
 * content, size limit, duplicates recognised. Calls back with the stored document.
 */
export function UploadButton({ label, onUploaded }: { label: string; onUploaded?: (document: DocumentView) => void }) {
  const { api, changed } = useCabinet();
  const input = useRef<HTMLInputElement>(null);
  const action = useAction();
  async function upload(file: File) {
    const result = await action.run(
      () => api.upload<{ message: string; document: DocumentView }>('documents', file),
      (r) => r.message,
    );
    if (input.current) input.current.value = '';
    if (result) {
      changed();
      onUploaded?.(result.document);
    }
  }
  return (
    <div className="upload">
      <label className={action.busy ? 'button secondary busy' : 'button secondary'}>
        📤 {label}
        <input
          ref={input}
          type="file"
          accept="application/pdf,image/jpeg,image/png,image/heic,image/heif,.heic,.heif"
          hidden
          disabled={action.busy}
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file) void upload(file);
          }}
        />
      </label>
      <Outcome outcome={action.outcome} />
    </div>
  );
}
