import type { ApiClientOptions } from 'grammy';
import {
  type Agent as HttpAgent,
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request as httpRequest,
} from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { brotliDecompress, gunzip, inflate } from 'node:zlib';

/**
 * The `fetch` grammY's API client calls for every Bot API request, on Node's own `http`/`https` with the
 * keep-alive agent grammY hands over in `baseFetchConfig`. node-fetch (grammY's default on Node) builds
 * WHATWG Headers, Request and Response objects and pipes every body through a PassThrough; this does one
 * `request()`, writes the body, and buffers the answer: a fraction of the CPU per call (README,
 * Performance: `npm run bench -- bot-api-client`).
 *
 * It does what grammY asks of a fetch and no more: a string body (JSON) or a stream/async-iterable body
 * (a multipart upload: read whole and sent with its length up to MAX_HELD_UPLOAD, larger ones sent chunked
 * as they are read, on a new connection), the abort signal (grammY's timeout and shutdown), and an answer
 * whose `json()` rejects when the body is not JSON. Like fetch, an HTTP error status is no rejection:
 * Telegram's `{ok:false,error_code,…}` answers (429 with retry_after, 5xx) reach grammY, its GrammyError
 * and auto-retry as they did. No redirects (the Bot API has none). No `accept-encoding` is sent, so
 * answers come uncompressed (they are small, and inflating each would cost CPU on every call), and
 * `compress` is ignored; a server that compresses anyway is still understood.
 */
export function leanFetch(url: string, init: LeanFetchInit = {}): Promise<LeanResponse> {
  const body = init.body ?? undefined;
  if (body === undefined || typeof body === 'string' || body instanceof Uint8Array || !isStreamable(body)) return fetchOnce(url, init);
  // An upload (grammY's multipart stream) up to MAX_HELD_UPLOAD is read whole first: then it can be sent once
  // more should a kept-alive connection drop under it (a chart, a PDF); a larger one streams as it is read.
  if (init.signal?.aborted) return Promise.reject(abortError());
  return holdUpTo(toReadable(body), MAX_HELD_UPLOAD, init.signal ?? undefined).then((held) => fetchOnce(url, { ...init, body: held }));
}

/** Uploads up to this size are held in memory whole before they are sent (leanFetch): a chart is some 50 KB. */
export const MAX_HELD_UPLOAD = 1_048_576;

function fetchOnce(url: string, init: LeanFetchInit): Promise<LeanResponse> {
  return new Promise<LeanResponse>((resolve, reject) => {
    const signal = init.signal ?? undefined;
    if (signal?.aborted) {
      reject(abortError());
      return;
    }
    const target = new URL(url);
    const send = target.protocol === 'https:' ? httpsRequest : target.protocol === 'http:' ? httpRequest : undefined;
    if (!send) {
      reject(new TypeError(`leanFetch: only http: and https: are supported, not ${target.protocol}`));
      return;
    }
    const body = init.body ?? undefined;
    const headers = headerRecord(init.headers);
    if (typeof body === 'string' || body instanceof Uint8Array) {
      headers['content-length'] = String(typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength);
    } else if (body !== undefined && !isStreamable(body)) {
      reject(new TypeError('leanFetch: the body must be a string, bytes or a stream'));
      return;
    }

    let settled = false;
    const finish = (outcome: () => void): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      outcome();
    };
    const upload = typeof body === 'string' || body instanceof Uint8Array || body === undefined ? undefined : toReadable(body);
    let current: ClientRequest | undefined;
    // Destroying the request frees (closes) its socket; destroying the upload closes the file it reads.
    const fail = (error: Error): void => {
      finish(() => reject(error));
      current?.destroy();
      upload?.destroy();
    };
    function onAbort(): void {
      fail(abortError());
    }
    signal?.addEventListener('abort', onAbort);

    const start = (agent: HttpAgent | false | undefined, again: boolean): void => {
      const request = send(target, { method: init.method ?? 'GET', headers, agent });
      current = request;
      let answered = false;
      // `on`, not `once`: a destroyed request or response may emit a second error, which must not go unhandled.
      request.on('error', (error: NodeJS.ErrnoException) => {
        if (request !== current) return;
        if (!again && !settled && !answered && !upload && request.reusedSocket && DROPPED_KEPT_CONNECTION.has(error.code ?? '')) {
          // A kept-alive connection the server had closed as this request went out on it (its idle timeout,
          // a restart): nothing was answered. Sent once more on a connection of its own, as Node's
          // documentation advises (`request.reusedSocket`); a streamed upload never went on a reused one.
          // Otherwise the bot would take Telegram for away and handle the whole update again, repeating the
          // replies it had already sent.
          request.destroy();
          start(oneOffAgent(init.agent), true);
          return;
        }
        fail(error);
      });
      request.once('response', (response: IncomingMessage) => {
        answered = true;
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.once('end', () => {
          const raw = chunks.length === 1 ? chunks[0] : Buffer.concat(chunks);
          decode(raw, response.headers['content-encoding'], (error, bytes) =>
            finish(() =>
              error
                ? reject(error)
                : resolve(new LeanResponse(response.statusCode ?? 0, response.statusMessage ?? '', response.headers, bytes)),
            ),
          );
        });
      });

      if (upload) {
        // A failing body (an unreadable file) fails the request rather than sending a truncated upload.
        upload.on('error', fail);
        upload.pipe(request);
      } else if (body === undefined) request.end();
      else request.end(body);
    };
    // An upload too large to hold goes on a connection of its own: a kept-alive one the server closed
    // under it could not be answered by sending it once more (its stream is read), and the update would
    // be handled again. One handshake more, for a rare call (a ZIP of a person's data).
    start(upload ? oneOffAgent(init.agent) : init.agent, false);
  });
}

/** How a kept-alive connection closed by the server under a request shows (`socket hang up` is ECONNRESET). */
const DROPPED_KEPT_CONNECTION = new Set(['ECONNRESET', 'EPIPE']);

/**
 * An agent for one connection with `agent`'s settings (a TLS agent's trusted certificates among them),
 * kept alive by nobody; Node's own one-off agent where none was given.
 */
function oneOffAgent(agent: HttpAgent | undefined): HttpAgent | false {
  if (!agent) return false;
  const Agent = agent.constructor as new (options: object) => HttpAgent;
  // `options`: what the agent was made with (Node keeps it on the agent, untyped).
  return new Agent({ ...(agent as HttpAgent & { options?: object }).options, keepAlive: false });
}

/**
 * leanFetch as grammY's client option (`client: { fetch: grammyFetch }`). grammY types the option as
 * node-fetch's whole fetch; it calls only what LeanFetchInit and LeanResponse cover.
 */
export const grammyFetch = leanFetch as unknown as NonNullable<ApiClientOptions['fetch']>;

/** What grammY's client passes (`baseFetchConfig` merged with the call's method, headers, body, signal). */
export interface LeanFetchInit {
  method?: string;
  headers?: Record<string, string> | Iterable<[string, string]>;
  body?: string | Uint8Array | Readable | AsyncIterable<Uint8Array> | null;
  signal?: AbortSignalLike | null;
  /** grammY's keep-alive agent for this API root (`baseFetchConfig`); Node's global agent otherwise. */
  agent?: HttpAgent;
  /** node-fetch's option; ignored (see leanFetch). */
  compress?: boolean;
}

/** grammY's signals come from the `abort-controller` package, not Node's own: only this much is used. */
export interface AbortSignalLike {
  readonly aborted: boolean;
  addEventListener(type: 'abort', listener: () => void): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

/** The answer, already read in full: grammY reads every answer at once anyway. */
export class LeanResponse {
  constructor(
    readonly status: number,
    readonly statusText: string,
    readonly headers: IncomingHttpHeaders,
    private readonly bytes: Buffer,
  ) {}

  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  text(): Promise<string> {
    return Promise.resolve(this.bytes.toString('utf8'));
  }

  /**
   * Rejects when the body is not JSON (a proxy's 502 page): grammY makes that an HttpError, whose
   * message then carries this status (it reads `status` and `statusText` off the error). The message
   * never holds the URL, which holds the bot token.
   */
  json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(this.bytes.toString('utf8')));
    } catch {
      return Promise.reject(new NotJsonAnswer(this.status, this.statusText, this.headers['content-type'], this.bytes.length));
    }
  }
}

export class NotJsonAnswer extends Error {
  constructor(
    readonly status: number,
    readonly statusText: string,
    contentType: string | undefined,
    length: number,
  ) {
    super(`Bot API answered HTTP ${status} with a body that is not JSON (${contentType ?? 'no content-type'}, ${length} bytes)`);
    this.name = 'NotJsonAnswer';
  }
}

function abortError(): Error {
  const error = new Error('The Bot API request was aborted');
  error.name = 'AbortError';
  return error;
}

function headerRecord(headers: LeanFetchInit['headers']): Record<string, string> {
  const record: Record<string, string> = {};
  if (!headers) return record;
  const entries = Symbol.iterator in headers ? headers : Object.entries(headers);
  for (const [name, value] of entries) record[name.toLowerCase()] = value;
  return record;
}

function toReadable(body: Readable | AsyncIterable<Uint8Array>): Readable {
  return body instanceof Readable ? body : Readable.from(body, { objectMode: false });
}

/**
 * The stream whole, when it ends within `max` bytes; otherwise a stream of what was read and the rest. An
 * abort or a failing source (an unreadable file) rejects; the source is closed with the stream given back.
 */
async function holdUpTo(source: Readable, max: number, signal: AbortSignalLike | undefined): Promise<Buffer | Readable> {
  const chunks: Buffer[] = [];
  let size = 0;
  const chunksOfSource = source[Symbol.asyncIterator]() as AsyncIterator<Uint8Array | string>;
  const onAbort = () => source.destroy(abortError());
  signal?.addEventListener('abort', onAbort);
  try {
    for (;;) {
      const next = await chunksOfSource.next();
      if (next.done) return chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size);
      const chunk =
        typeof next.value === 'string'
          ? Buffer.from(next.value)
          : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength);
      chunks.push(chunk);
      size += chunk.length;
      if (size > max) return Readable.from(continuing(chunks, chunksOfSource), { objectMode: false });
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
  }
}

async function* continuing(read: Buffer[], rest: AsyncIterator<Uint8Array | string>): AsyncGenerator<Uint8Array | string> {
  try {
    yield* read;
    for (;;) {
      const next = await rest.next();
      if (next.done) return;
      yield next.value;
    }
  } finally {
    await rest.return?.();
  }
}

function isStreamable(body: unknown): body is Readable | AsyncIterable<Uint8Array> {
  return body instanceof Readable || (typeof body === 'object' && body !== null && Symbol.asyncIterator in body);
}

function decode(bytes: Buffer, encoding: string | undefined, done: (error: Error | null, bytes: Buffer) => void): void {
  const coding = encoding?.trim().toLowerCase();
  if (!coding || coding === 'identity') done(null, bytes);
  else if (coding === 'gzip' || coding === 'x-gzip') gunzip(bytes, done);
  else if (coding === 'deflate') inflate(bytes, done);
  else if (coding === 'br') brotliDecompress(bytes, done);
  else done(new Error(`Bot API answered in an unknown content-encoding: ${coding}`), bytes);
}
