import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { INestApplication } from '@nestjs/common';
import type { DestinationStream } from 'pino';
import type { Clock } from '../core/shared/clock';
import type { Config } from '../infra/config/config';
import { INFRA_QUEUES } from '../infra/nest/infra.module';
import { watchQueues } from '../infra/nest/watch-queues';
import { FailedNotifications } from '../core/notifications/failed-notifications';
import { ALL_QUEUES, READ_ONLY_QUEUES } from '../admin/queues/queue-board.module';
import { mountQueueBoard } from '../admin/queues/mount-queue-board';
import { BotModule } from './bot.module';
import { mountCabinet } from './http/cabinet/mount-cabinet';
import { mountWebhook } from './http/webhook';
import { TelegramBot } from './telegram-bot';

/** Creates and starts the bot process's application; the caller decides when to close it. */
export async function startBotApp(
  config: Config,
  options: { clock?: Clock; port?: number; logDestination?: DestinationStream } = {},
): Promise<INestApplication> {
  const app = await NestFactory.create(BotModule.forRoot({ config, clock: options.clock, logDestination: options.logDestination }), {
    logger: ['error', 'warn'],
    abortOnError: false,
    // Keep-alive connections (Telegram's, a proxy's) must not hold a deploy's shutdown open.
    forceCloseConnections: true,
  });
  app.enableShutdownHooks();
  watchQueues(app, [...INFRA_QUEUES, ...READ_ONLY_QUEUES]);
  // The route must exist before the first update arrives, i.e. before the bot registers its webhook.
  mountWebhook(app, app.get(TelegramBot), config);
  mountCabinet(app);
  mountQueueBoard(app, { adminToken: config.ADMIN_API_TOKEN, queues: app.get(ALL_QUEUES), failed: app.get(FailedNotifications) });
  await app.listen(options.port ?? config.HTTP_PORT, config.HTTP_HOST);
  return app;
}
