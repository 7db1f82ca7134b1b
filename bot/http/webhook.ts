import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import type { Update } from 'grammy/types';
import { type Config, required } from '../../infra/config/config';
import { BodyTooLarge, readBody } from '../../infra/read-body';
import type { TelegramBot } from '../telegram-bot';

/** Telegram's updates are small; a document or photo arrives as a file id. Anything larger is not Telegram. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * Mounts the webhook at the path of WEBHOOK_URL. An update is answered 200 once it is in the update
 * log (durable), not after it was handled: Telegram then sends the next, and a crash from here on
 * loses nothing. A request without the secret header is refused with 401, a body that is not an update
 * with 400, one over 1 MB with 413; when the log is unavailable (Redis away) the answer is 503, so
 * Telegram keeps the update and delivers it again later, and the person is told once that we will
 * answer when the service is back.
 *
 * Every update comes this way, so it is read by Node's own server ahead of Express: its router and body
 * parser cost a tenth of an update's CPU (#14). Every other request goes on to Express as before.
 */
export function mountWebhook(app: INestApplication, telegram: TelegramBot, config: Config): void {
  if (config.BOT_MODE !== 'webhook') return;
  const path = new URL(required(config, 'WEBHOOK_URL')).pathname || '/';
  const secret = Buffer.from(required(config, 'WEBHOOK_SECRET'));

  const receive = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) return answer(req, res, 401, 'secret token is wrong');
    const body = await readWebhookBody(req);
    if (body === 'too large') return answer(req, res, 413, 'too large');
    if (body === undefined) return; // the sender went away mid-request: nobody to answer
    const update = parseUpdate(req, body);
    if (!update) return answer(req, res, 400, 'not an update');
    const intake = telegram.intake;
    if (!intake) return answer(req, res, 503, 'starting');
    try {
      await intake.record([update]);
      answer(req, res, 200, '');
    } catch {
      answer(req, res, 503, 'update log unavailable');
      await intake.notices.tellAbout(update);
    }
  };

  const server = app.getHttpServer() as Server;
  const listeners = server.listeners('request') as Array<(req: IncomingMessage, res: ServerResponse) => void>;
  if (listeners.length !== 1)
    throw new Error(`mountWebhook: expected Express as the server's one request listener, found ${listeners.length}`);
  const [express] = listeners;
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.method === 'POST' && pathOf(req.url) === path) void receive(req, res);
    else express.call(server, req, res);
  });
}

function pathOf(url: string | undefined): string {
  if (!url) return '/';
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

/** The body as text, or `too large`, or undefined when the sender went away before it was read. */
async function readWebhookBody(req: IncomingMessage): Promise<string | 'too large' | undefined> {
  if (Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES) return 'too large';
  try {
    return (await readBody(req, MAX_BODY_BYTES)).toString('utf8');
  } catch (error) {
    return error instanceof BodyTooLarge ? 'too large' : undefined;
  }
}

function parseUpdate(req: IncomingMessage, body: string): Update | undefined {
  if (!/\bjson\b/i.test(String(req.headers['content-type'] ?? ''))) return undefined;
  let update: unknown;
  try {
    update = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!update || typeof update !== 'object' || !Number.isSafeInteger((update as Update).update_id)) return undefined;
  return update as Update;
}

function answer(req: IncomingMessage, res: ServerResponse, status: number, text: string): void {
  if (res.headersSent || res.destroyed) return;
  res.statusCode = status;
  if (text) res.setHeader('content-type', 'text/plain; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  // A refused request's unread body is drained, so the connection can carry the next one.
  if (!req.complete) req.resume();
  res.end(text);
}
