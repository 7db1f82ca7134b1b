import { BullModule, getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { DestinationStream } from 'pino';
import { collectDefaultMetrics, Registry } from 'prom-client';
import { ApplicationsService } from '../../core/applications/applications.service';
import { CalendarRepository } from '../../core/calendar/calendar.repository';
import { CalendarYearsService } from '../../core/calendar/calendar-years.service';
import { WorkingDayDeadlines } from '../../core/calendar/working-day-deadlines';
import { CreditsService } from '../../core/credits/credits.service';
import { DisputesService } from '../../core/disputes/disputes.service';
import { ProvisionalDeadlines } from '../../core/disputes/provisional-deadlines';
import { DocumentsService } from '../../core/documents/documents.service';
import { IdentityService } from '../../core/identity/identity.service';
import { ReevaluationService } from '../../core/credits/reevaluation.service';
import { OnboardingService } from '../../core/linking/onboarding.service';
import { PlanService } from '../../core/plan/plan.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { ErasureService } from '../../core/privacy/erasure.service';
import { PersonalDataExportService } from '../../core/privacy/export.service';
import { PrivacyService } from '../../core/privacy/privacy.service';
import { SettingsService } from '../../core/settings/settings.service';
import { SupportService } from '../../core/support/support.service';
import { PortfolioService } from '../../core/portfolio/portfolio.service';
import { parseSupportHours } from '../../core/support/working-hours';
import { CannedRepliesService } from '../../core/support/canned-replies';
import { OrgAdminsService } from '../../core/organizations/org-admins.service';
import { AttendanceService } from '../../core/attendance/attendance.service';
import { EventsService } from '../../core/events/events.service';
import { AnnouncementsService } from '../../core/announcements/announcements.service';
import { ComplianceReportService } from '../../core/reports/compliance-report.service';
import { ProgramReportService } from '../../core/reports/program-report.service';
import { SupportEscalation } from '../../core/support/escalation';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { type Clock, systemClock } from '../../core/shared/clock';
import { createDatabase, type Database, PROCESS_POOL } from '../../core/shared/database';
import { type Config, required } from '../config/config';
import { createI18n } from '../i18n';
import { createLogger, type Logger } from '../logger';
import { personalDataKey } from '../personal-data-key';
import { createDocumentStorage } from '../storage/create-storage';
import { QUEUE, QueueEvaluationRequests, QueueOutboundDispatch, redisConnectionOptions } from '../queues/queues';
import { CIPHER, CLOCK, CONFIG, DATABASE, I18N, LOGGER, METRICS, REDIS } from './tokens';
import { createRedisClient } from '../redis-client';

/** The queues every process registers (the worker adds its own: reminders, sync). */
export const INFRA_QUEUES = [QUEUE.evaluation, QUEUE.outbound, QUEUE.maintenance] as const;

export interface InfraOptions {
  config: Config;
  /** Names the process in logs and metrics: 'bot' or 'worker'. */
  processName: string;
  /** Tests pass a clock they move by hand. */
  clock?: Clock;
  /** Where the log goes instead of stdout (tests: the spec's log file, test/support/spec-log.ts). */
  logDestination?: DestinationStream;
}

/** Closes what this module opened, after Nest has stopped everything that used it. */
class ConnectionCloser implements OnApplicationShutdown {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.db.$disconnect();
    this.redis.disconnect();
  }
}

/**
 * How often the event-loop delay histogram (`nodejs_eventloop_lag_p99_seconds` and the rest) samples the
 * loop. prom-client's default, 10 ms, is a timer waking an idle process 100 times a second: 7 ms of CPU
 * a second doing nothing, and a wake-up between most updates at 100 a second (bench: inbound). A stall
 * still shows in full (the sample due during it comes late by its length); a delay shorter than this
 * is seen in part, and `nodejs_eventloop_lag_seconds` is measured at each scrape as before.
 */
const EVENT_LOOP_SAMPLE_MS = 100;

/**
 * Infrastructure both processes share: configuration, logger, database, Redis, queues, translations,
 * metrics, and the core services wired to them. core/ stays free of Nest: its classes are built here.
 */
@Global()
@Module({})
export class InfraModule {
  static forRoot(options: InfraOptions): DynamicModule {
    const { config } = options;
    const redisUrl = required(config, 'REDIS_URL');
    const queues = INFRA_QUEUES;
    const providers = [
      { provide: CONFIG, useValue: config },
      { provide: CLOCK, useValue: options.clock ?? systemClock },
      { provide: LOGGER, useFactory: () => createLogger(config, options.processName, options.logDestination) },
      {
        provide: METRICS,
        useFactory: () => {
          const registry = new Registry();
          registry.setDefaultLabels({ process: options.processName });
          collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: EVENT_LOOP_SAMPLE_MS });
          return registry;
        },
      },
      { provide: DATABASE, useFactory: () => createDatabase(required(config, 'DATABASE_URL'), PROCESS_POOL) },
      {
        provide: REDIS,
        useFactory: (logger: Logger) => createRedisClient(redisUrl, logger, options.processName),
        inject: [LOGGER],
      },
      { provide: I18N, useFactory: createI18n },
      { provide: CIPHER, useFactory: (logger: Logger) => new PersonalDataCipher(personalDataKey(config, logger)), inject: [LOGGER] },
      { provide: RuleSetRepository, useFactory: (db: Database) => new RuleSetRepository(db), inject: [DATABASE] },
      {
        provide: NotificationsService,
        useFactory: (db: Database, queue: Queue, clock: Clock) => new NotificationsService(db, new QueueOutboundDispatch(queue), clock),
        inject: [DATABASE, getQueueToken(QUEUE.outbound), CLOCK],
      },
      {
        provide: CreditsService,
        useFactory: (db: Database, ruleSets: RuleSetRepository, queue: Queue, clock: Clock) =>
          new CreditsService(db, ruleSets, new QueueEvaluationRequests(queue), clock),
        inject: [DATABASE, RuleSetRepository, getQueueToken(QUEUE.evaluation), CLOCK],
      },
      {
        provide: ReevaluationService,
        useFactory: (db: Database, ruleSets: RuleSetRepository, notifications: NotificationsService, clock: Clock) =>
          new ReevaluationService(db, ruleSets, notifications, clock),
        inject: [DATABASE, RuleSetRepository, NotificationsService, CLOCK],
      },
      {
        provide: OnboardingService,
        useFactory: (db: Database, cipher: PersonalDataCipher, clock: Clock) => new OnboardingService(db, cipher, clock),
        inject: [DATABASE, CIPHER, CLOCK],
      },
      { provide: SettingsService, useFactory: (db: Database) => new SettingsService(db), inject: [DATABASE] },
      { provide: PrivacyService, useFactory: (db: Database, clock: Clock) => new PrivacyService(db, clock), inject: [DATABASE, CLOCK] },
      {
        provide: PersonalDataExportService,
        useFactory: (db: Database, cipher: PersonalDataCipher, clock: Clock) =>
          new PersonalDataExportService(db, cipher, createDocumentStorage(config), clock),
        inject: [DATABASE, CIPHER, CLOCK],
      },
      {
        provide: ErasureService,
        useFactory: (db: Database, cipher: PersonalDataCipher, clock: Clock) =>
          new ErasureService(db, cipher, createDocumentStorage(config), clock),
        inject: [DATABASE, CIPHER, CLOCK],
      },
      {
        provide: DocumentsService,
        useFactory: (db: Database, clock: Clock, applications: ApplicationsService) =>
          new DocumentsService(db, createDocumentStorage(config), clock, {
            maxBytes: config.DOCUMENT_MAX_BYTES,
            afterAttach: async (person, subject) =>
              subject.type === 'APPLICATION' ? applications.afterDocumentsChanged(person, subject.id) : undefined,
          }),
        inject: [DATABASE, CLOCK, ApplicationsService],
      },
      {
        provide: ApplicationsService,
        useFactory: (db: Database, notifications: NotificationsService, clock: Clock) => new ApplicationsService(db, notifications, clock),
        inject: [DATABASE, NotificationsService, CLOCK],
      },
      {
        // One calendar per process: a year an admin loads reaches disputes and the admin API at once.
        provide: CalendarRepository,
        useFactory: (db: Database, clock: Clock, logger: Logger) =>
          new CalendarRepository(db, {
            clock,
            onMissingYear: (year: number) =>
              logger.warn(
                { year },
                'no production calendar for this year: counting the holidays of ТК РФ ст. 112 alone; load it with POST /admin/calendar/years',
              ),
          }),
        inject: [DATABASE, CLOCK, LOGGER],
      },
      {
        // Deadlines falling in a year without a calendar are provisional; the support group hears of the year once.
        provide: WorkingDayDeadlines,
        useFactory: (calendar: CalendarRepository, notifications: NotificationsService, clock: Clock, logger: Logger) =>
          new WorkingDayDeadlines(calendar, notifications, clock, {
            supportChatId: config.SUPPORT_CHAT_ID,
            warn: (fields, message) => logger.warn(fields, message),
          }),
        inject: [CalendarRepository, NotificationsService, CLOCK, LOGGER],
      },
      {
        provide: DisputesService,
        useFactory: (
          db: Database,
          deadlines: WorkingDayDeadlines,
          credits: CreditsService,
          notifications: NotificationsService,
          queue: Queue,
          clock: Clock,
        ) => new DisputesService(db, deadlines, credits, notifications, new QueueEvaluationRequests(queue), clock),
        inject: [DATABASE, WorkingDayDeadlines, CreditsService, NotificationsService, getQueueToken(QUEUE.evaluation), CLOCK],
      },
      {
        provide: ProvisionalDeadlines,
        useFactory: (db: Database, deadlines: WorkingDayDeadlines, notifications: NotificationsService, clock: Clock) =>
          new ProvisionalDeadlines(db, deadlines, notifications, clock),
        inject: [DATABASE, WorkingDayDeadlines, NotificationsService, CLOCK],
      },
      {
        // Loading a year (admin API) settles the dates counted without it in the same request.
        provide: CalendarYearsService,
        useFactory: (calendar: CalendarRepository, provisional: ProvisionalDeadlines) => new CalendarYearsService(calendar, provisional),
        inject: [CalendarRepository, ProvisionalDeadlines],
      },
      {
        provide: SupportService,
        useFactory: (db: Database, calendar: CalendarRepository, clock: Clock) =>
          new SupportService(db, calendar, clock, parseSupportHours(config.SUPPORT_HOURS)!),
        inject: [DATABASE, CalendarRepository, CLOCK],
      },
      {
        provide: IdentityService,
        useFactory: (db: Database, documents: DocumentsService, notifications: NotificationsService, clock: Clock) =>
          new IdentityService(db, documents, notifications, clock),
        inject: [DATABASE, DocumentsService, NotificationsService, CLOCK],
      },
      { provide: CannedRepliesService, useFactory: (db: Database) => new CannedRepliesService(db), inject: [DATABASE] },
      { provide: OrgAdminsService, useFactory: (db: Database, clock: Clock) => new OrgAdminsService(db, clock), inject: [DATABASE, CLOCK] },
      {
        provide: AttendanceService,
        useFactory: (db: Database, cipher: PersonalDataCipher, ruleSets: RuleSetRepository, queue: Queue, clock: Clock) =>
          new AttendanceService(db, cipher, ruleSets, new QueueEvaluationRequests(queue), clock),
        inject: [DATABASE, CIPHER, RuleSetRepository, getQueueToken(QUEUE.evaluation), CLOCK],
      },
      {
        provide: EventsService,
        useFactory: (db: Database, notifications: NotificationsService, clock: Clock) => new EventsService(db, notifications, clock),
        inject: [DATABASE, NotificationsService, CLOCK],
      },
      {
        provide: SupportEscalation,
        useFactory: (db: Database, calendar: CalendarRepository, clock: Clock) =>
          new SupportEscalation(db, calendar, clock, parseSupportHours(config.SUPPORT_HOURS)!),
        inject: [DATABASE, CalendarRepository, CLOCK],
      },
      {
        provide: PlanService,
        useFactory: (db: Database, credits: CreditsService, notifications: NotificationsService, clock: Clock) =>
          new PlanService(db, credits, notifications, clock),
        inject: [DATABASE, CreditsService, NotificationsService, CLOCK],
      },
      {
        provide: PortfolioService,
        useFactory: (db: Database, credits: CreditsService, documents: DocumentsService) => new PortfolioService(db, credits, documents),
        inject: [DATABASE, CreditsService, DocumentsService],
      },
      {
        provide: AnnouncementsService,
        useFactory: (db: Database, notifications: NotificationsService, clock: Clock) => new AnnouncementsService(db, notifications, clock),
        inject: [DATABASE, NotificationsService, CLOCK],
      },
      {
        provide: ComplianceReportService,
        useFactory: (db: Database, ruleSets: RuleSetRepository, clock: Clock) => new ComplianceReportService(db, ruleSets, clock),
        inject: [DATABASE, RuleSetRepository, CLOCK],
      },
      {
        provide: ProgramReportService,
        useFactory: (db: Database, clock: Clock) => new ProgramReportService(db, clock),
        inject: [DATABASE, CLOCK],
      },
      ConnectionCloser,
    ];
    const bullQueues = BullModule.registerQueue(...queues.map((name) => ({ name })));
    return {
      module: InfraModule,
      imports: [BullModule.forRoot({ connection: redisConnectionOptions(redisUrl), prefix: config.REDIS_PREFIX }), bullQueues],
      providers,
      exports: [...providers.filter((p) => p !== ConnectionCloser), bullQueues],
    };
  }
}
