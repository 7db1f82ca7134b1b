import { useEffect, useState } from 'react';
import { ApiFailure } from '../api/client';
import { useCabinet } from '../cabinet-context';
import { Failure, Loading } from '../components/ui';
import { useStrings } from '../i18n/strings';

/**
 * A person's document opened in the cabinet: its bytes are fetched with the initData header (never a URL
 * that would carry it) and shown from a blob: URL — pictures as pictures, PDF in the browser's viewer,
 * and always a button to save it (HEIC, and phones whose webview shows no PDF).
 */
export function DocumentViewer({ id, name, mediaType }: { id: string; name: string; mediaType: string }) {
  const { api } = useCabinet();
  const { t } = useStrings();
  const [url, setUrl] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);

  useEffect(() => {
    let objectUrl: string | null = null;
    let current = true;
    api.blob(`documents/${id}`).then(
      (blob) => {
        if (!current) return;
        objectUrl = URL.createObjectURL(new Blob([blob], { type: mediaType }));
        setUrl(objectUrl);
      },
      (error: unknown) => current && setFailure(error instanceof ApiFailure ? error.message : String(error)),
    );
    return () => {
      current = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, id, mediaType]);

  if (failure) return <Failure message={failure} />;
  if (!url) return <Loading label={t('loading')} />;
  const picture = mediaType === 'image/jpeg' || mediaType === 'image/png';
  return (
    <div className="viewer" data-testid="document-viewer">
      {picture && <img src={url} alt={name} className="viewer-image" />}
      {mediaType === 'application/pdf' && <iframe src={url} title={name} className="viewer-frame" />}
      {!picture && mediaType !== 'application/pdf' && <p className="hint">{t('documents.no-preview')}</p>}
      <a className="button secondary" href={url} download={name}>
        {t('documents.save')}
      </a>
    </div>
  );
}
