import type { Request } from 'express';
import { stripControlCharacters } from '../../../core/shared/text';

export type DocumentUpload = { ok: true; bytes: Buffer; fileName: string | null } | { ok: false; reason: 'too-large' };

/**
 * The page sends a file as the raw request body and its name, URI-encoded, in `X-File-Name` (a name
 * is no business of the URL). Reading stops past the limit: a phone's 200 MB video is refused without
 * being held in memory.
 */
export function readDocumentUpload(request: Request, maxBytes: number): Promise<DocumentUpload> {
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > maxBytes) {
    request.resume();
    return Promise.resolve({ ok: false, reason: 'too-large' });
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let refused = false;
    request.on('data', (chunk: Buffer) => {
      if (refused) return;
      size += chunk.length;
      if (size > maxBytes) {
        refused = true;
        resolve({ ok: false, reason: 'too-large' });
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (!refused) resolve({ ok: true, bytes: Buffer.concat(chunks), fileName: fileNameOf(request.headers['x-file-name']) });
    });
    request.on('error', reject);
  });
}

function fileNameOf(header: string | string[] | undefined): string | null {
  if (typeof header !== 'string' || header === '') return null;
  let name: string;
  try {
    name = decodeURIComponent(header);
  } catch {
    return null;
  }
  // A name is shown back to the person and kept for their export: no control characters, no path.
  const clean = stripControlCharacters(name).split(/[\\/]/).pop()!.trim();
  return clean ? clean.slice(0, 255) : null;
}
