import { timingSafeEqual } from 'node:crypto';
import type { INestApplication } from '@nestjs/common';
import { json, type Request, type Response } from 'express';
import type { Update } from 'grammy/types';
import { type Config, required } from '../../infra/config/config';
import type { TelegramBot } from '../telegram-bot';

/**
 * Mounts the webhook at the path of WEBHOOK_URL. An update is answered 200 once it is in the update
 * log (durable), not after it was handled: Telegram then sends the next, and a crash from here on
 * loses nothing. A request without the secret header is refused with 401; when the log is
 * unavailable (Redis away) the answer is 503, so Telegram keeps the update and delivers it again
 * later, and the person is told once that we will answer when the service is back.
 */
export function mountWebhook(app: INestApplication, telegram: TelegramBot, config: Config): void {
  if (config.BOT_MODE !== 'webhook') return;
  const path = new URL(required(config, 'WEBHOOK_URL')).pathname || '/';
  const secret = Buffer.from(required(config, 'WEBHOOK_SECRET'));
  const parseJson = json({ limit: '1mb' });

  const receive = async (req: Request, res: Response): Promise<void> => {
    const given = Buffer.from(String(req.headers['x-telegram-bot-api-secret-token'] ?? ''));
    if (given.length !== secret.length || !timingSafeEqual(given, secret)) {
      res.status(401).send('secret token is wrong');
      return;
    }
    const update = req.body as Update;
    if (!update || typeof update !== 'object' || !Number.isSafeInteger(update.update_id)) {
      res.status(400).send('not an update');
      return;
    }
    const intake = telegram.intake;
    if (!intake) {
      res.status(503).send('starting');
      return;
    }
    try {
      await intake.record([update]);
      res.status(200).end();
    } catch {
      res.status(503).send('update log unavailable');
      await intake.notices.tellAbout(update);
    }
  };

  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's RequestHandler types `next` so
  const route = (req: Request, res: Response, next?: Function) =>
    parseJson(req, res, (err?: unknown) => (err ? next?.(err) : void receive(req, res)));
  app.getHttpAdapter().post(path, route);
}
