import type { INestApplication } from '@nestjs/common';
import { json, type Request, type Response } from 'express';
import { webhookCallback } from 'grammy';
import { type Config, required } from '../../infra/config/config';
import type { TelegramBot } from '../telegram-bot';

/**
 * Mounts the webhook at the path of WEBHOOK_URL. grammY compares the secret header and answers 401
 * without it; the update is answered only after it was handled, so a failure makes Telegram redeliver.
 */
export function mountWebhook(app: INestApplication, telegram: TelegramBot, config: Config): void {
  if (config.BOT_MODE !== 'webhook') return;
  const path = new URL(required(config, 'WEBHOOK_URL')).pathname || '/';
  const handle = webhookCallback(telegram.bot, 'express', {
    secretToken: required(config, 'WEBHOOK_SECRET'),
    onTimeout: 'return',
    timeoutMilliseconds: 25_000,
  });
  // Registered before Nest's own body parser exists, so it parses JSON itself.
  const parseJson = json({ limit: '1mb' });
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- Nest's RequestHandler types `next` so
  const route = (req: Request, res: Response, next?: Function) =>
    parseJson(req, res, (err?: unknown) => (err ? next?.(err) : void handle(req, res)));
  app.getHttpAdapter().post(path, route);
}
