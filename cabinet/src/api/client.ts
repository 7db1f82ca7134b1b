import type { ApiError } from '../../../bot/http/cabinet/wire';

/** A refusal or a failure, with a sentence the page can show as it is. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export interface Api {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** Sends a file as the raw request body, its name in a header (never in the URL). */
  upload<T>(path: string, file: File): Promise<T>;
  /** Bytes of a document (GET), or of an export asked for with a body (POST), for the page to show or save. */
  blob(path: string, body?: unknown): Promise<Blob>;
}

/**
 * The cabinet's only way to the server: every request carries the initData Telegram signed for this launch
 * in the Authorization header (`tma …`), never in the URL. A failure carries the server's sentence, in the
 * person's language; a network or server failure the page's own.
 */
export function createApi(initData: string, messages: { network: string; server: string }): Api {
  const base = `${import.meta.env.BASE_URL}api/`;
  async function send(method: string, path: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<Response> {
    let response: Response;
    try {
      response = await fetch(base + path, {
        method,
        body,
        headers: { Authorization: `tma ${initData}`, ...headers },
        cache: 'no-store',
        credentials: 'omit',
      });
    } catch {
      throw new ApiFailure(0, 'network', messages.network);
    }
    if (response.ok) return response;
    // A failure of the server (or of the proxy in front of it) has no sentence for a person: the page's own.
    if (response.status >= 500 && response.status !== 502) throw new ApiFailure(response.status, 'server', messages.server);
    const refusal = (await response.json().catch(() => null)) as Partial<ApiError> | null;
    throw new ApiFailure(response.status, refusal?.error ?? 'failed', refusal?.message ?? messages.server);
  }
  const json = async <T>(response: Promise<Response>): Promise<T> => (await response).json() as Promise<T>;
  return {
    get: (path) => json(send('GET', path)),
    post: (path, body) => json(send('POST', path, JSON.stringify(body ?? {}), { 'Content-Type': 'application/json' })),
    delete: (path) => json(send('DELETE', path)),
    upload: (path, file) =>
      json(
        send('POST', path, file, {
          'Content-Type': 'application/octet-stream',
          'X-File-Name': encodeURIComponent(file.name),
        }),
      ),
    blob: async (path, body) =>
      (body === undefined
        ? await send('GET', path)
        : await send('POST', path, JSON.stringify(body), { 'Content-Type': 'application/json' })
      ).blob(),
  };
}
