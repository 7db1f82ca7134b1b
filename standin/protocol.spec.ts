/** Wire-level behaviour of the stand-in, spoken to with plain HTTP (no grammY): bodies, getUpdates, limits. */
import { BotApiStandin } from './index';
import { parseHtml } from './html';
import { parseMultipart } from './body';

const TOKEN = '111:PROTO';

async function call(root: string, method: string, body?: unknown, init: RequestInit = {}): Promise<{ status: number; json: any }> {
  const res = await fetch(`${root}/bot${TOKEN}/${method}`, {
    method: 'POST',
    ...(body !== undefined ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : {}),
    ...init,
  });
  return { status: res.status, json: await res.json() };
}

describe('BotApiStandin wire protocol', () => {
  let standin: BotApiStandin;
  let root: string;
  let now: number;

  beforeEach(async () => {
    now = 1_700_000_000_000;
    standin = new BotApiStandin({ token: TOKEN, now: () => now, defaultWaitMs: 1000 });
    ({ apiRoot: root } = await standin.start());
  });

  afterEach(() => standin.stop());

  it('accepts JSON, urlencoded, GET query and curl-style multipart bodies; 401 for another token', async () => {
    standin.user({ id: 1, first_name: 'A' });
    expect((await call(root, 'sendMessage', { chat_id: '1', text: 'json' })).json.result.text).toBe('json');
    const form = await call(root, 'sendMessage', undefined, {
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        chat_id: '1',
        text: '[1] not json',
        reply_markup: JSON.stringify({ inline_keyboard: [[{ text: 'x', callback_data: 'y' }]] }),
      }).toString(),
    });
    expect(form.json.result).toMatchObject({
      text: '[1] not json',
      reply_markup: { inline_keyboard: [[{ text: 'x', callback_data: 'y' }]] },
    });
    const get = await fetch(`${root}/bot${TOKEN}/SENDMESSAGE?chat_id=1&text=get`);
    expect(((await get.json()) as any).result.text).toBe('get');
    expect(standin.calls().map((c) => c.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage']);

    const fd = new FormData();
    fd.set('chat_id', '1');
    fd.set('caption', 'raw upload');
    fd.set('document', new Blob([Buffer.from('%PDF-1.4')]), 'отчёт.pdf');
    const multipart = await call(root, 'sendDocument', undefined, { body: fd });
    expect(multipart.json.result.document).toMatchObject({ file_name: 'отчёт.pdf', mime_type: 'application/pdf', file_size: 8 });
    const file = await call(root, 'getFile', { file_id: multipart.json.result.document.file_id });
    const download = await fetch(`${root}/file/bot${TOKEN}/${file.json.result.file_path}`);
    expect(Buffer.from(await download.arrayBuffer()).toString()).toBe('%PDF-1.4');
    expect((await fetch(`${root}/file/bot${TOKEN}/documents/nope.pdf`)).status).toBe(404);
    expect(await call(root, 'getFile', { file_id: 'nope' })).toEqual({
      status: 400,
      json: { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' },
    });

    const wrong = await fetch(`${root}/bot999:OTHER/getMe`);
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  });

  it('parses grammY-style multipart (lowercase headers, unquoted filename)', () => {
    const b = 'XyZ';
    const body = Buffer.from(
      `--${b}\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n5\r\n--${b}\r\n` +
        `content-disposition:form-data;name="document"\r\n\r\nattach://abc\r\n--${b}\r\n` +
        `content-disposition:form-data;name="abc";filename=my file.txt\r\ncontent-type:application/octet-stream\r\n\r\nline1\r\nline2\r\n--${b}--\r\n`,
    );
    expect(parseMultipart(body, b)).toEqual([
      { name: 'chat_id', filename: undefined, contentType: undefined, data: Buffer.from('5') },
      { name: 'document', filename: undefined, contentType: undefined, data: Buffer.from('attach://abc') },
      { name: 'abc', filename: 'my file.txt', contentType: 'application/octet-stream', data: Buffer.from('line1\r\nline2') },
    ]);
  });

  it('getUpdates: offset confirms, negative offset, limit, long poll wakes up, allowed_updates filters, 409 on a second poller', async () => {
    const user = standin.user({ id: 2, first_name: 'B' });
    const u1 = await user.sendText('one', { wait: false });
    await user.sendText('two', { wait: false });
    await user.sendText('three', { wait: false });
    let r = await call(root, 'getUpdates', { limit: 2 });
    expect(r.json.result.map((u: any) => u.message.text)).toEqual(['one', 'two']);
    r = await call(root, 'getUpdates', { offset: u1.update_id + 1 });
    expect(r.json.result.map((u: any) => u.message.text)).toEqual(['two', 'three']);
    r = await call(root, 'getUpdates', { offset: -1 });
    expect(r.json.result.map((u: any) => u.message.text)).toEqual(['three']);
    const last = r.json.result[0].update_id;

    const poll = call(root, 'getUpdates', { offset: last + 1, timeout: 5 });
    await new Promise((res) => setTimeout(res, 20));
    const handed = await user.sendText('four');
    expect((await poll).json.result.map((u: any) => u.update_id)).toEqual([handed.update_id]);

    const empty = Date.now();
    expect((await call(root, 'getUpdates', { offset: handed.update_id + 1, timeout: 1 })).json.result).toEqual([]);
    expect(Date.now() - empty).toBeGreaterThanOrEqual(900);

    const first = call(root, 'getUpdates', { offset: handed.update_id + 1, timeout: 5 });
    await new Promise((res) => setTimeout(res, 20));
    const second = call(root, 'getUpdates', { offset: handed.update_id + 1, timeout: 0 });
    expect((await first).json).toEqual({
      ok: false,
      error_code: 409,
      description: 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running',
    });
    expect((await second).json.result).toEqual([]);

    await call(root, 'getUpdates', { offset: handed.update_id + 1, allowed_updates: ['callback_query'] });
    const filtered = await user.sendText('not wanted');
    expect(filtered.message?.text).toBe('not wanted');
    expect((await call(root, 'getUpdates', { offset: handed.update_id + 1 })).json.result).toEqual([]);
  });

  it('rate limits per second, per chat and per group minute with retry_after; counts stats', async () => {
    standin.user({ id: 3, first_name: 'C' });
    standin.user({ id: 4, first_name: 'D' });
    const group = standin.group({ id: -1001, title: 'G' });
    standin.setRateLimit({ perSecond: 3, perChatPerSecond: 2, perGroupPerMinute: 2 });
    const send = (chat_id: number) => call(root, 'sendMessage', { chat_id, text: 'x' });
    expect((await send(3)).status).toBe(200);
    now += 100;
    expect((await send(3)).status).toBe(200);
    now += 100;
    const perChat = await send(3);
    expect(perChat.json).toEqual({
      ok: false,
      error_code: 429,
      description: 'Too Many Requests: retry after 1',
      parameters: { retry_after: 1 },
    });
    expect((await send(4)).status).toBe(200);
    const global = await send(4);
    expect(global.status).toBe(429);
    now += 1000;
    expect((await send(group.id)).status).toBe(200);
    now += 1000;
    expect((await send(group.id)).status).toBe(200);
    now += 10_000;
    const perGroup = await send(group.id);
    expect(perGroup.json.parameters.retry_after).toBe(49);
    expect(standin.stats()).toMatchObject({ sent: 5, rateLimited: 3, maxSentPerSecond: 3 });
    standin.setRateLimit(undefined);
    expect((await send(group.id)).status).toBe(200);
  });

  it('403 before a user ever wrote (started: false) and after blockBot, with a my_chat_member update', async () => {
    const user = standin.user({ id: 5, first_name: 'E', started: false });
    expect((await call(root, 'sendMessage', { chat_id: 5, text: 'hi' })).json.description).toBe(
      "Forbidden: bot can't initiate conversation with a user",
    );
    await user.sendText('hello', { wait: false });
    expect((await call(root, 'sendMessage', { chat_id: 5, text: 'hi' })).status).toBe(200);
    await user.blockBot({ wait: false });
    expect((await call(root, 'sendMessage', { chat_id: 5, text: 'hi' })).json).toEqual({
      ok: false,
      error_code: 403,
      description: 'Forbidden: bot was blocked by the user',
    });
    const updates = (await call(root, 'getUpdates', {})).json.result;
    expect(updates[updates.length - 1].my_chat_member).toMatchObject({
      new_chat_member: { status: 'kicked' },
      old_chat_member: { status: 'member' },
    });
    expect((await call(root, 'getChatMember', { chat_id: 5, user_id: standin.botUser.id })).json.result.status).toBe('kicked');
    expect(standin.stats().forbidden).toBe(2);
  });

  it('explains a waitForCall timeout with the recent calls, and failNext counts down', async () => {
    standin.user({ id: 6, first_name: 'F' });
    standin.failNext('sendMessage', { error_code: 502, description: 'Bad Gateway' }, 2);
    expect((await call(root, 'sendMessage', { chat_id: 6, text: 'a' })).status).toBe(502);
    expect((await call(root, 'sendMessage', { chat_id: 6, text: 'b' })).status).toBe(502);
    expect((await call(root, 'sendMessage', { chat_id: 6, text: 'c' })).status).toBe(200);
    const since = standin.callCount();
    await expect(standin.waitForCall('sendMessage', { timeoutMs: 50, since })).rejects.toThrow(
      /waitForCall\(sendMessage\) timed out after 50 ms\. Recent calls:\n {2}#0 .* sendMessage chat=6 text="a" → 502 Bad Gateway/,
    );
    const later = standin.waitForCall((c) => c.method === 'sendChatAction', { since });
    await call(root, 'sendChatAction', { chat_id: 6, action: 'typing' });
    expect((await later).params).toEqual({ chat_id: 6, action: 'typing' });
    expect((await call(root, 'sendChatAction', { chat_id: 6, action: 'dancing' })).json.description).toBe(
      'Bad Request: wrong parameter action in request',
    );
  });
  it("opens Mini Apps over HTTPS only (plain HTTP on this machine, as Telegram's test environment allows)", async () => {
    standin.user({ id: 1, first_name: 'A' });
    const send = (url: string) =>
      call(root, 'sendMessage', { chat_id: 1, text: 'cabinet', reply_markup: { inline_keyboard: [[{ text: 'open', web_app: { url } }]] } });
    expect((await send('https://bot.example.org/cabinet/')).status).toBe(200);
    expect((await send('http://127.0.0.1:3000/cabinet/')).status).toBe(200);
    expect(await send('http://bot.example.org/cabinet/')).toMatchObject({
      status: 400,
      json: {
        description:
          "Bad Request: inline keyboard button Web App URL 'http://bot.example.org/cabinet/' is invalid: Only HTTPS links are allowed",
      },
    });
    const menu = (url: string) => call(root, 'setChatMenuButton', { menu_button: { type: 'web_app', text: 'Кабинет', web_app: { url } } });
    expect((await menu('https://bot.example.org/cabinet/')).status).toBe(200);
    expect(standin.menuButton()).toEqual({ type: 'web_app', text: 'Кабинет', web_app: { url: 'https://bot.example.org/cabinet/' } });
    expect(await menu('ftp://bot.example.org/')).toMatchObject({ status: 400, json: { description: 'Bad Request: BUTTON_URL_INVALID' } });
  });
});

describe('a Bot API outage', () => {
  it('answers every call with the standing fault until the faults are cleared, and counts each', async () => {
    const standin = new BotApiStandin({ token: TOKEN });
    const root = (await standin.start()).apiRoot;
    try {
      standin.user({ id: 7, first_name: 'G' });
      standin.failAlways('*', { error_code: 502, description: 'Bad Gateway' });
      standin.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
      expect((await call(root, 'sendMessage', { chat_id: 7, text: 'a' })).status).toBe(429);
      for (const method of ['sendMessage', 'getMe', 'sendChatAction'])
        expect((await call(root, method, { chat_id: 7, text: 'b', action: 'typing' })).json).toEqual({
          ok: false,
          error_code: 502,
          description: 'Bad Gateway',
        });
      expect(standin.stats()).toMatchObject({ injected: 4, sent: 0 });
      standin.clearFaults();
      expect((await call(root, 'sendMessage', { chat_id: 7, text: 'c' })).status).toBe(200);
    } finally {
      await standin.stop();
    }
  });
});

describe('parseHtml', () => {
  it('turns Telegram HTML into text and UTF-16 entities', () => {
    expect(
      parseHtml(
        '<b>Баллы</b>: 😀 <a href="https://x.org/?a=1&amp;b=2">link</a> <pre><code class="language-ts">x</code></pre><tg-spoiler>s</tg-spoiler>',
      ),
    ).toEqual({
      text: 'Баллы: 😀 link xs',
      entities: [
        { type: 'bold', offset: 0, length: 5 },
        { type: 'text_link', offset: 10, length: 4, url: 'https://x.org/?a=1&b=2' },
        { type: 'pre', offset: 15, length: 1, language: 'ts' },
        { type: 'spoiler', offset: 16, length: 1 },
      ],
    });
    expect(parseHtml('a &lt; b &unknown; &').text).toBe('a < b &unknown; &');
  });

  it('rejects what Telegram rejects', () => {
    expect(() => parseHtml('Привет<br>')).toThrow('Bad Request: can\'t parse entities: Unsupported start tag "br" at byte offset 12');
    expect(() => parseHtml('<b><i>x</b></i>')).toThrow('Unmatched end tag at byte offset 7, expected "</i>", found "</b>"');
    expect(() => parseHtml('a < b')).toThrow('Unsupported start tag "" at byte offset 2');
    expect(() => parseHtml('x</b>')).toThrow('Unexpected end tag at byte offset 1');
    expect(() => parseHtml('<span>x</span>')).toThrow('Tag "span" must have class "tg-spoiler"');
  });
});
