import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * The bytes of a file the Bot API told us about. A local Bot API server answers getFile with an
 * absolute path on its own disk (read it there); the cloud API answers a relative path to download.
 */
export async function downloadTelegramFile(apiRoot: string, token: string, filePath: string, maxBytes: number): Promise<Buffer> {
  if (path.isAbsolute(filePath)) return readFile(filePath);
  const response = await fetch(`${apiRoot.replace(/\/+$/, '')}/file/bot${token}/${filePath}`);
  if (!response.ok) throw new Error(`file download failed: ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? 0);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw new FileTooLargeError(declared);
  }
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.length > maxBytes) throw new FileTooLargeError(bytes.length);
  return bytes;
}

/** The file turned out larger than the limit although Telegram reported less (or nothing). */
export class FileTooLargeError extends Error {
  constructor(readonly sizeBytes: number) {
    super(`file of ${sizeBytes} bytes is over the limit`);
    this.name = 'FileTooLargeError';
  }
}
