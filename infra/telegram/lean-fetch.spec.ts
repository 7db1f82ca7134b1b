import { execFileSync } from 'node:child_process';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Agent as HttpsAgent, createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { autoRetry } from '@grammyjs/auto-retry';
import { Api, GrammyError, HttpError, InputFile } from 'grammy';
import { BotApiStandin } from '../../standin';
import { unavailableDependency } from '../transient-errors';
import { grammyFetch, leanFetch, type LeanFetchInit, MAX_HELD_UPLOAD } from './lean-fetch';

const TOKEN = '123456:LEAN-secret-token';

/**
 * The bot's and the worker's Bot API calls go through grammyFetch instead of node-fetch: grammY over it
 * against the stand-in (real HTTP), and against bare servers where the stand-in cannot misbehave enough
 * (a proxy's HTML 502, an answer that never comes, a gzip body).
 */
describe('grammY over the lean fetch', () => {
  let standin: BotApiStandin;
  let apiRoot: string;
  let api: Api;

  beforeAll(async () => {
    standin = new BotApiStandin({ token: TOKEN });
    ({ apiRoot } = await standin.start());
    api = new Api(TOKEN, { apiRoot, fetch: grammyFetch });
  });

  afterEach(() => standin.clearFaults());

  afterAll(async () => {
    await standin.stop();
  });

  it('a JSON call arrives whole (multi-byte text, markup) and its result comes back', async () => {
    const user = standin.user({ id: 51, first_name: 'Анна' });
    const text = 'Баллы НМО: 36 из 50 🩺 — «ещё 14»';
    const sent = await api.sendMessage(51, text, { reply_markup: { inline_keyboard: [[{ text: 'Ещё', callback_data: 'more' }]] } });
    expect(sent.text).toBe(text);
    expect(user.messages().map((m) => m.text)).toEqual([text]);
    expect(user.messages()[0].reply_markup).toEqual({ inline_keyboard: [[{ text: 'Ещё', callback_data: 'more' }]] });
  });

  it('uploads reach the stand-in byte for byte: a chart from memory, a document read from disk', async () => {
    standin.user({ id: 52, first_name: 'Борис' });
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), randomBytes(300_000)]);
    const photo = await api.sendPhoto(52, new InputFile(png, 'chart.png'), { caption: 'Баллы за цикл' });
    expect(standin.fileOf(photo.photo!.at(-1)!.file_id).equals(png)).toBe(true);
    expect(photo.caption).toBe('Баллы за цикл');

    const folder = mkdtempSync(join(tmpdir(), 'lean-fetch-'));
    try {
      const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(1_500_000)]);
      const path = join(folder, 'справка.pdf');
      writeFileSync(path, pdf);
      const document = await api.sendDocument(52, new InputFile(path));
      expect(standin.fileOf(document.document!.file_id).equals(pdf)).toBe(true);
      expect(document.document!.file_name).toBe('справка.pdf');
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a Telegram error answer (400, 502 in JSON) is a GrammyError with its code, as with node-fetch', async () => {
    await expect(api.sendMessage(999_999, 'кому?')).rejects.toMatchObject({ name: 'GrammyError', error_code: 400 });
    standin.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' });
    standin.user({ id: 53, first_name: 'Вера' });
    const error = await api.sendMessage(53, 'текст').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GrammyError);
    expect((error as GrammyError).error_code).toBe(502);
    expect(unavailableDependency(error)).toBe('telegram');
  });

  it('a 429 with retry_after reaches auto-retry, which sends again after the pause', async () => {
    const retrying = new Api(TOKEN, { apiRoot, fetch: grammyFetch });
    retrying.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5, rethrowHttpErrors: true }));
    const user = standin.user({ id: 54, first_name: 'Глеб' });
    standin.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    const before = standin.calls('sendMessage').length;
    await retrying.sendMessage(54, 'после паузы');
    const calls = standin.calls('sendMessage').slice(before);
    expect(calls.map((c) => c.error?.error_code ?? 'ok')).toEqual([429, 'ok']);
    expect(user.messages().map((m) => m.text)).toEqual(['после паузы']);
  });

  it('a connection the Bot API drops under a call, and again under the call sent once more, is an HttpError, an outage of Telegram', async () => {
    const user = standin.user({ id: 55, first_name: 'Дарья' });
    // Two: the first may go out on a kept-alive connection, and then the call is sent once more (below).
    standin.failNext('sendMessage', { reset: true }, 2);
    const error = await api.sendMessage(55, 'текст').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect(unavailableDependency(error)).toBe('telegram');
    standin.clearFaults();
    // The dropped socket is not reused: the next call goes through.
    await expect(api.sendMessage(55, 'ещё раз')).resolves.toMatchObject({ text: 'ещё раз' });
    expect(user.messages().map((m) => m.text)).toEqual(['ещё раз']);
  });

  it('a refused connection (the Bot API gone) is an HttpError carrying ECONNREFUSED, and no token', async () => {
    const closed = await listen((_req, res) => res.end());
    const root = closed.root;
    await new Promise<void>((resolve) => closed.server.close(() => resolve()));
    const error = await new Api(TOKEN, { apiRoot: root, fetch: grammyFetch }).sendMessage(1, 'x').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(unavailableDependency(error)).toBe('telegram');
    expect(String((error as HttpError).message)).not.toContain('LEAN-secret');
  });

  describe('against a bare server', () => {
    const open: Server[] = [];
    afterEach(async () => {
      for (const s of open) s.closeAllConnections(); // the client's keep-alive sockets too
      await Promise.all(open.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    });
    const serve = async (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const bare = await listen(handler);
      open.push(bare.server);
      return bare;
    };

    it("a proxy's HTML 502 is an HttpError that names the status and never the token", async () => {
      const { root } = await serve((_req, res) => {
        res.writeHead(502, 'Bad Gateway', { 'content-type': 'text/html' });
        res.end('<html><body>502 Bad Gateway</body></html>');
      });
      const error = await new Api(TOKEN, { apiRoot: root, fetch: grammyFetch }).sendMessage(1, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).message).toBe("Network request for 'sendMessage' failed! (502: Bad Gateway)");
      expect(String((error as HttpError).error)).toContain('not JSON (text/html');
      expect(String((error as HttpError).error)).not.toContain('LEAN-secret');
      expect(unavailableDependency(error)).toBe('telegram');
    });

    it('an answer cut short (the connection drops mid-body) is an HttpError, never half a JSON', async () => {
      const { root } = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-length': '200' });
        res.write('{"ok":true,"result":{"message_id":');
        setImmediate(() => res.socket?.destroy());
      });
      const error = await new Api(TOKEN, { apiRoot: root, fetch: grammyFetch }).sendMessage(1, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).error).toMatchObject({ code: 'ECONNRESET' });
    });

    it('a call that gets no answer is aborted at the timeout: rejected, and its connection closed', async () => {
      let closed!: () => void;
      const connectionClosed = new Promise<void>((resolve) => (closed = resolve));
      const { root } = await serve((req) => req.socket.once('close', closed)); // never answers
      const hanging = new Api(TOKEN, { apiRoot: root, fetch: grammyFetch, timeoutSeconds: 0.2 });
      const error = await hanging.sendMessage(1, 'x').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(String((error as HttpError).error)).toContain("Request to 'sendMessage' timed out");
      await connectionClosed;
    });

    it("a call aborted by its caller's signal (shutdown) is rejected, its upload stopped and its connection closed", async () => {
      const size = 24_000_000;
      let received = 0;
      let upload!: IncomingMessage;
      let requestArrived!: () => void;
      const arrived = new Promise<void>((resolve) => (requestArrived = resolve));
      const { root } = await serve((req) => {
        // Not read yet: the upload fills the socket's buffers and is still streaming when the abort comes.
        req.pause();
        upload = req;
        requestArrived();
      });
      const controller = new AbortController();
      const client = new Api(TOKEN, { apiRoot: root, fetch: grammyFetch });
      const settled = client
        // grammY types the signal as the abort-controller package's; it takes any with addEventListener.
        .sendDocument(1, new InputFile(randomBytes(size), 'big.pdf'), undefined, controller.signal as never)
        .catch((e: unknown) => e);
      await arrived;
      controller.abort();
      const error = await settled;
      expect(error).toBeInstanceOf(HttpError);
      expect(((error as HttpError).error as Error).name).toBe('AbortError');
      // Read what the sockets held: the connection then ends (closed by the client) before the upload did.
      const connectionClosed = new Promise<void>((resolve) => upload.socket.once('close', () => resolve()));
      upload.on('data', (chunk: Buffer) => (received += chunk.length));
      upload.on('error', () => undefined);
      upload.resume();
      await connectionClosed;
      expect(received).toBeLessThan(size);
    });

    /**
     * A server that answers the first request of each connection and, from `dropFrom` on, drops the
     * connection under a request instead of answering it, as one closing an idle kept-alive connection
     * does when the next request is already on its way. `seen`: each request as «its number on its
     * connection: method».
     */
    const dropping = async (dropFrom: () => number) => {
      const seen: string[] = [];
      const counts = new WeakMap<object, number>();
      const { root } = await serve((req, res) => {
        const n = (counts.get(req.socket) ?? 0) + 1;
        counts.set(req.socket, n);
        req.resume();
        req.on('end', () => {
          seen.push(`${n}:${req.url!.split('/').pop()}`);
          if (n >= dropFrom()) return void req.socket.destroy();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, result: true }));
        });
      });
      return { seen, client: new Api(TOKEN, { apiRoot: root, fetch: grammyFetch }) };
    };

    it('a kept-alive connection dropped under a call, unanswered: the call is sent once more, on a connection of its own', async () => {
      const { seen, client } = await dropping(() => 2);
      await expect(client.deleteMessage(1, 1)).resolves.toBe(true);
      await expect(client.deleteMessage(1, 2)).resolves.toBe(true);
      expect(seen).toEqual(['1:deleteMessage', '2:deleteMessage', '1:deleteMessage']);
    });

    it('is an HttpError when the connection was new, or is dropped again: a call is sent twice at most', async () => {
      let dropFrom = 1;
      const { seen, client } = await dropping(() => dropFrom);
      const fresh = await client.deleteMessage(1, 1).catch((e: unknown) => e);
      expect(fresh).toBeInstanceOf(HttpError);
      expect((fresh as HttpError).error).toMatchObject({ code: 'ECONNRESET' });
      expect(seen).toEqual(['1:deleteMessage']);

      dropFrom = 2;
      await expect(client.deleteMessage(1, 2)).resolves.toBe(true);
      dropFrom = 1;
      const again = await client.deleteMessage(1, 3).catch((e: unknown) => e);
      expect(again).toBeInstanceOf(HttpError);
      expect(unavailableDependency(again)).toBe('telegram');
      expect(seen).toEqual(['1:deleteMessage', '1:deleteMessage', '2:deleteMessage', '1:deleteMessage']);
    });

    it('sends an upload it could hold whole once more, with its length; one too large to hold goes on a new connection', async () => {
      const small = await dropping(() => 2);
      await expect(small.client.deleteMessage(1, 1)).resolves.toBe(true);
      await expect(small.client.sendDocument(1, new InputFile(Buffer.from('%PDF-1.4 справка'), 'справка.pdf'))).resolves.toBe(true);
      expect(small.seen).toEqual(['1:deleteMessage', '2:sendDocument', '1:sendDocument']);

      // A kept-alive connection is open and would drop the next call on it: the large upload never takes it.
      const large = await dropping(() => 2);
      await expect(large.client.deleteMessage(1, 1)).resolves.toBe(true);
      await expect(large.client.sendDocument(1, new InputFile(randomBytes(MAX_HELD_UPLOAD + 1), 'большой.pdf'))).resolves.toBe(true);
      expect(large.seen).toEqual(['1:deleteMessage', '1:sendDocument']);

      // Dropped on its own connection too, it is an HttpError, sent once: its stream was read.
      const dropped = await dropping(() => 1);
      const error = await dropped.client
        .sendDocument(1, new InputFile(randomBytes(MAX_HELD_UPLOAD + 1), 'большой.pdf'))
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect(dropped.seen).toEqual(['1:sendDocument']);
    });

    it('reads an upload that ends within the limit whole, and streams a larger one byte for byte', async () => {
      const bodies: Array<{ length: string | undefined; chunked: boolean; bytes: number }> = [];
      const { root } = await serve((req, res) => {
        let bytes = 0;
        req.on('data', (chunk: Buffer) => (bytes += chunk.length));
        req.on('end', () => {
          bodies.push({ length: req.headers['content-length'], chunked: req.headers['transfer-encoding'] === 'chunked', bytes });
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, result: true }));
        });
      });
      const client = new Api(TOKEN, { apiRoot: root, fetch: grammyFetch });
      await client.sendDocument(1, new InputFile(randomBytes(1000), 'a.pdf'));
      await client.sendDocument(1, new InputFile(randomBytes(MAX_HELD_UPLOAD * 2), 'b.pdf'));
      expect(bodies[0]).toMatchObject({ length: String(bodies[0].bytes), chunked: false });
      expect(bodies[1]).toMatchObject({ length: undefined, chunked: true });
      expect(bodies[1].bytes).toBeGreaterThan(MAX_HELD_UPLOAD * 2);
    });

    it('sends nothing of an upload whose file cannot be read: an HttpError', async () => {
      const { seen, client } = await dropping(() => 99);
      const error = await client.sendDocument(1, new InputFile(join(tmpdir(), 'нет-такой-справки.pdf'))).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(HttpError);
      expect((error as HttpError).error).toMatchObject({ code: 'ENOENT' });
      expect(seen).toEqual([]);
    });

    it('calls in a row share one keep-alive connection', async () => {
      let connections = 0;
      const { server, root } = await serve((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result: true }));
      });
      server.on('connection', () => connections++);
      const client = new Api(TOKEN, { apiRoot: root, fetch: grammyFetch });
      for (let i = 0; i < 5; i++) await client.deleteMessage(1, i + 1);
      expect(connections).toBe(1);
    });

    it('over https (as to the real Telegram, where grammY asks `compress`): answered uncompressed, on one kept-alive TLS connection', async () => {
      const { key, cert } = selfSignedCertificate();
      const encodings: (string | undefined)[] = [];
      let connections = 0;
      const server = createHttpsServer({ key, cert }, (req, res) => {
        encodings.push(req.headers['accept-encoding']);
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: true, result: true }));
      });
      server.on('secureConnection', () => connections++);
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      open.push(server);
      const agent = new HttpsAgent({ keepAlive: true, ca: cert });
      const compress: unknown[] = [];
      const client = new Api(TOKEN, {
        apiRoot: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        fetch: ((url: string, init: LeanFetchInit) => {
          compress.push(init.compress);
          return leanFetch(url, init);
        }) as unknown as typeof grammyFetch,
        baseFetchConfig: { agent },
      });
      await expect(client.deleteMessage(1, 1)).resolves.toBe(true);
      await expect(client.deleteMessage(1, 2)).resolves.toBe(true);
      expect(compress).toEqual([true, true]); // what grammY asks of an https root
      expect(encodings).toEqual([undefined, undefined]);
      expect(connections).toBe(1);
      agent.destroy();
    });

    it('over https, sends a call dropped on a kept-alive TLS connection once more with the same trust (its own certificate)', async () => {
      const { key, cert } = selfSignedCertificate();
      const seen: number[] = [];
      const counts = new WeakMap<object, number>();
      const server = createHttpsServer({ key, cert }, (req, res) => {
        const n = (counts.get(req.socket) ?? 0) + 1;
        counts.set(req.socket, n);
        seen.push(n);
        req.resume();
        req.on('end', () => {
          if (n >= 2) return void req.socket.destroy();
          res.writeHead(200, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ ok: true, result: true }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      open.push(server);
      const agent = new HttpsAgent({ keepAlive: true, ca: cert });
      const client = new Api(TOKEN, {
        apiRoot: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
        fetch: grammyFetch,
        baseFetchConfig: { agent },
      });
      await expect(client.deleteMessage(1, 1)).resolves.toBe(true);
      await expect(client.deleteMessage(1, 2)).resolves.toBe(true);
      expect(seen).toEqual([1, 2, 1]);
      agent.destroy();
    });

    it('asks for no compression, and still reads a gzip answer a server sends anyway', async () => {
      let acceptEncoding: string | undefined = 'not asked yet';
      const { root } = await serve((req, res) => {
        acceptEncoding = req.headers['accept-encoding'];
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync(JSON.stringify({ ok: true, result: { id: 1, is_bot: true, first_name: 'НМО', username: 'nmo_bot' } })));
      });
      const me = await new Api(TOKEN, { apiRoot: root, fetch: grammyFetch }).getMe();
      expect(me.username).toBe('nmo_bot');
      expect(acceptEncoding).toBeUndefined();
    });
  });
});

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; root: string }> {
  const server = createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, root: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** A certificate for 127.0.0.1 that only a test's own agent trusts (made by openssl, read into memory). */
function selfSignedCertificate(): { key: Buffer; cert: Buffer } {
  const folder = mkdtempSync(join(tmpdir(), 'lean-fetch-tls-'));
  try {
    const [key, cert] = [join(folder, 'key.pem'), join(folder, 'cert.pem')];
    const subject = ['-days', '1', '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1'];
    execFileSync(
      'openssl',
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-keyout', key, '-out', cert, ...subject],
      {
        stdio: 'ignore',
      },
    );
    return { key: readFileSync(key), cert: readFileSync(cert) };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}
