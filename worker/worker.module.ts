import path from 'node:path';
import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { Registry } from 'prom-client';
import { ApplicationsService } from '../core/applications/applications.service';
import { CalendarRepository } from '../core/calendar/calendar.repository';
import { ProvisionalDeadlines } from '../core/disputes/provisional-deadlines';
import { CreditImportService } from '../core/credits/credit-import.service';
import { NotificationsService } from '../core/notifications/notifications.service';
import type { PersonalDataCipher } from '../core/people/personal-data';
import { FileRegistrySource } from '../core/registry/file-registry-source';
import { ReferenceRefreshService } from '../core/registry/reference-refresh.service';
import { RegistrySyncService } from '../core/registry/registry-sync.service';
import { RemindersService } from '../core/reminders/reminders.service';
import { RuleSetRepository } from '../core/rules/rule-set.repository';
import type { Clock } from '../core/shared/clock';
import type { Database } from '../core/shared/database';
import { type Config, required } from '../infra/config/config';
import type { Logger } from '../infra/logger';
import { InfraModule, type InfraOptions } from '../infra/nest/infra.module';
import { CIPHER, CLOCK, CONFIG, DATABASE, LOGGER, METRICS, REDIS } from '../infra/nest/tokens';
import { SendBudget, workerBudgetLimit } from '../infra/telegram/send-budget';
import type { Redis } from 'ioredis';
import { QUEUE, QueueEvaluationRequests } from '../infra/queues/queues';
import { readTableInThread } from '../infra/tabular';
import { RemindersProcessor } from './processors/reminders.processor';
import { SyncProcessor } from './processors/sync.processor';
import { EvaluationProcessor } from './processors/evaluation.processor';
import { SweepProcessor } from './processors/sweep.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { OutboundProcessor } from './processors/outbound.processor';
import { ReviewDelivery } from './notifications/review-delivery';
import { SupportDelivery } from './notifications/support-delivery';
import { createTelegramApi, TelegramApi } from './telegram-api';
import { WorkerMetricsServer } from './metrics-server';
import { OutboundMetrics } from './outbound/outbound-metrics';

/** The worker process: BullMQ processors and schedulers, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(options: Omit<InfraOptions, 'processName'>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [
        InfraModule.forRoot({ ...options, processName: 'worker' }),
        BullModule.registerQueue({ name: QUEUE.reminders }, { name: QUEUE.sync }, { name: QUEUE.sweep }),
      ],
      providers: [
        {
          provide: RemindersService,
          useFactory: (db: Database, calendar: CalendarRepository, notifications: NotificationsService, clock: Clock, config: Config) =>
            new RemindersService(db, calendar, notifications, clock, { supportChatId: config.SUPPORT_CHAT_ID }),
          inject: [DATABASE, CalendarRepository, NotificationsService, CLOCK, CONFIG],
        },
        {
          provide: RegistrySyncService,
          useFactory: (
            db: Database,
            applications: ApplicationsService,
            notifications: NotificationsService,
            cipher: PersonalDataCipher,
            ruleSets: RuleSetRepository,
            queue: Queue,
            clock: Clock,
            config: Config,
          ) =>
            new RegistrySyncService(
              db,
              new FileRegistrySource(config.REGISTRY_DIR ?? path.join(config.DATA_DIR, 'registry'), (bytes) => readTableInThread(bytes)),
              applications,
              new CreditImportService(db, cipher, ruleSets, new QueueEvaluationRequests(queue), clock),
              notifications,
              clock,
              { supportChatId: config.SUPPORT_CHAT_ID },
            ),
          inject: [
            DATABASE,
            ApplicationsService,
            NotificationsService,
            CIPHER,
            RuleSetRepository,
            getQueueToken(QUEUE.evaluation),
            CLOCK,
            CONFIG,
          ],
        },
        {
          provide: ReferenceRefreshService,
          useFactory: (
            db: Database,
            calendar: CalendarRepository,
            provisional: ProvisionalDeadlines,
            ruleSets: RuleSetRepository,
            queue: Queue,
            clock: Clock,
          ) => new ReferenceRefreshService(db, calendar, provisional, ruleSets, new QueueEvaluationRequests(queue), clock),
          inject: [DATABASE, CalendarRepository, ProvisionalDeadlines, RuleSetRepository, getQueueToken(QUEUE.evaluation), CLOCK],
        },
        RemindersProcessor,
        SyncProcessor,
        {
          provide: TelegramApi,
          // Every notice takes its place in the global budget the bot's replies share (send-budget.ts).
          useFactory: (config: Config, logger: Logger, redis: Redis) =>
            createTelegramApi(
              required(config, 'TELEGRAM_BOT_TOKEN'),
              config.TELEGRAM_API_ROOT,
              logger,
              new SendBudget(redis, config.REDIS_PREFIX, workerBudgetLimit(config.TELEGRAM_RATE_LIMIT)),
            ),
          inject: [CONFIG, LOGGER, REDIS],
        },
        EvaluationProcessor,
        SweepProcessor,
        SupportDelivery,
        ReviewDelivery,
        {
          provide: OutboundMetrics,
          useFactory: (registry: Registry, notifications: NotificationsService) => new OutboundMetrics(registry, notifications),
          inject: [METRICS, NotificationsService],
        },
        OutboundProcessor,
        MaintenanceProcessor,
        WorkerMetricsServer,
      ],
    };
  }
}
