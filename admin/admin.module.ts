import { getQueueToken } from '@nestjs/bullmq';
import { type DynamicModule, Module } from '@nestjs/common';
import type { Queue } from 'bullmq';
import type { PersonalDataCipher } from '../core/people/personal-data';
import { RuleSetRepository } from '../core/rules/rule-set.repository';
import type { Clock } from '../core/shared/clock';
import type { Database } from '../core/shared/database';
import type { Config } from '../infra/config/config';
import { CIPHER, CLOCK, CONFIG, DATABASE } from '../infra/nest/tokens';
import { QUEUE, QueueEvaluationRequests, QueueOutboundDispatch } from '../infra/queues/queues';
import { FailedNotifications } from '../core/notifications/failed-notifications';
import { FailedNotificationsController } from './notifications/failed-notifications.controller';
import { botUsernameFromTelegram } from './bot-username';
import { CalendarController } from './calendar/calendar.controller';
import { CasesController } from './cases/cases.controller';
import { AdminTokenGuard } from './http/admin-token.guard';
import { IdentityController } from './identity/identity.controller';
import { OrganizationsController } from './http/organizations.controller';
import { OrgAdminsController } from './http/org-admins.controller';
import { OrgAdminsService } from '../core/organizations/org-admins.service';
import { RuleSetsController } from './http/rule-sets.controller';
import { AttendanceController } from './attendance/attendance.controller';
import { createAdminServices } from './services';
import { CannedRepliesController } from './support/canned-replies.controller';
import { CannedRepliesService } from '../core/support/canned-replies';
import { EventsService } from '../core/events/events.service';
import { NotificationsService } from '../core/notifications/notifications.service';
import { EventsController } from './events/events.controller';
import { ReportsController } from './reports/reports.controller';
import { AnnouncementsController } from './announcements/announcements.controller';
import { ComplianceReportService } from '../core/reports/compliance-report.service';
import { ProgramReportService } from '../core/reports/program-report.service';
import { AnnouncementsService } from '../core/announcements/announcements.service';
import { ADMIN_SERVICES, BOT_USERNAME } from './tokens';

export interface AdminModuleOptions {
  /** The bot's username for invite links; by default asked of the Bot API with TELEGRAM_BOT_TOKEN. */
  botUsername?: string;
}

/**
 * The HTTP admin API under /admin (organization admins: organizations, rule sets, imports, invite
 * codes). Hosted by the bot process; relies on the global InfraModule for the database, the cipher,
 * the clock, the configuration and the evaluation queue.
 */
@Module({})
export class AdminModule {
  static forRoot(options: AdminModuleOptions = {}): DynamicModule {
    return {
      module: AdminModule,
      controllers: [
        RuleSetsController,
        OrganizationsController,
        CalendarController,
        CasesController,
        IdentityController,
        CannedRepliesController,
        OrgAdminsController,
        ReportsController,
        AnnouncementsController,
        AttendanceController,
        EventsController,
        FailedNotificationsController,
      ],
      providers: [
        AdminTokenGuard,
        // Built here from the database and the clock, so admin test harnesses need not provide it.
        {
          provide: OrgAdminsService,
          useFactory: (db: Database, clock: Clock) => new OrgAdminsService(db, clock),
          inject: [DATABASE, CLOCK],
        },
        // Built here from the database (stateless), so admin test harnesses need not provide it.
        { provide: CannedRepliesService, useFactory: (db: Database) => new CannedRepliesService(db), inject: [DATABASE] },
        // Notices of moved and cancelled events go through the process's NotificationsService (outbound queue).
        {
          provide: EventsService,
          useFactory: (db: Database, notifications: NotificationsService, clock: Clock) => new EventsService(db, notifications, clock),
          inject: [DATABASE, NotificationsService, CLOCK],
        },
        // Reports are read straight from the database with the engine; announcements go through the
        // process's NotificationsService (the outbound queue).
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
        {
          provide: AnnouncementsService,
          useFactory: (db: Database, notifications: NotificationsService, clock: Clock) =>
            new AnnouncementsService(db, notifications, clock),
          inject: [DATABASE, NotificationsService, CLOCK],
        },
        // A retry removes the ended job of each notification and queues it again on the outbound queue.
        {
          provide: FailedNotifications,
          useFactory: (db: Database, outbound: Queue) => new FailedNotifications(db, new QueueOutboundDispatch(outbound)),
          inject: [DATABASE, getQueueToken(QUEUE.outbound)],
        },
        {
          provide: ADMIN_SERVICES,
          useFactory: (db: Database, cipher: PersonalDataCipher, clock: Clock, ruleSets: RuleSetRepository, queue: Queue) =>
            createAdminServices({ db, cipher, clock, ruleSets, evaluations: new QueueEvaluationRequests(queue) }),
          inject: [DATABASE, CIPHER, CLOCK, RuleSetRepository, getQueueToken(QUEUE.evaluation)],
        },
        {
          provide: BOT_USERNAME,
          useFactory: (config: Config) => {
            if (options.botUsername) {
              const username = options.botUsername;
              return async () => username;
            }
            if (!config.TELEGRAM_BOT_TOKEN) {
              return async () => {
                throw new Error('TELEGRAM_BOT_TOKEN is not set');
              };
            }
            return botUsernameFromTelegram(config.TELEGRAM_BOT_TOKEN, config.TELEGRAM_API_ROOT);
          },
          inject: [CONFIG],
        },
      ],
    };
  }
}
