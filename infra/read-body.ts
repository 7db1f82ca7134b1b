import type { IncomingMessage } from 'node:http';

/** A request body over the limit its reader set; the caller answers 413. */
export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`the request body exceeds ${limitBytes} bytes`);
    this.name = 'BodyTooLarge';
  }
}

/**
 * A request's body, read up to `limitBytes`. Past the limit it stops keeping chunks, drains the rest (so
 * the caller's 413 reaches the client on a connection that can carry the next request) and rejects with
 * BodyTooLarge; a request the client abandons rejects too. The one reader of raw bodies: the webhook, a
 * calendar's XML, an admin's upload.
 */
export function readBody(request: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        request.removeAllListeners('data');
        request.resume();
        reject(new BodyTooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks, size)));
    request.on('error', reject);
    request.on('close', () => {
      if (!request.complete) reject(new Error('the request was abandoned before its body was read'));
    });
  });
}
