import { getQueueToken } from '@nestjs/bullmq';
import { Global, type INestApplication, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AdminModule } from '../../admin/admin.module';
import { ApplicationsService } from '../../core/applications/applications.service';
import { CalendarRepository } from '../../core/calendar/calendar.repository';
import { CalendarYearsService } from '../../core/calendar/calendar-years.service';
import { DisputesService } from '../../core/disputes/disputes.service';
import { IdentityService } from '../../core/identity/identity.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import type { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { FixedClock } from '../../core/shared/clock';
import type { Database } from '../../core/shared/database';
import { loadConfig } from '../../infra/config/config';
import { CIPHER, CLOCK, CONFIG, DATABASE } from '../../infra/nest/tokens';
import { QUEUE } from '../../infra/queues/queues';
import { disputeServices } from './case-fixtures';

export interface AdminTestApp {
  app: INestApplication;
  url: string;
  /** Jobs the admin API put on the evaluation queue. */
  queued: Array<{ name: string; data: unknown }>;
  /** Notification ids the admin API handed to the outbound queue (rows are in the database). */
  dispatched: string[];
  clock: FixedClock;
}

/**
 * The admin module as the bot process hosts it, over a test database, with a queue that records jobs.
 * Services of controllers a test does not exercise are empty stand-ins: a new admin controller adds
 * its service here once, not in every spec.
 */
export async function startAdminTestApp(db: Database, cipher: PersonalDataCipher, adminToken: string | undefined): Promise<AdminTestApp> {
  const queued: AdminTestApp['queued'] = [];
  const dispatched: string[] = [];
  const clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));
  const calendar = new CalendarRepository(db, { clock });
  const providers = [
    {
      provide: CONFIG,
      useValue: loadConfig({ DATABASE_URL: 'postgresql://unused', ...(adminToken ? { ADMIN_API_TOKEN: adminToken } : {}) }),
    },
    { provide: DATABASE, useValue: db },
    { provide: CIPHER, useValue: cipher },
    { provide: CLOCK, useValue: clock },
    { provide: RuleSetRepository, useValue: new RuleSetRepository(db) },
    {
      provide: getQueueToken(QUEUE.evaluation),
      useValue: { add: async (name: string, data: unknown) => void queued.push({ name, data }) },
    },
    // FAILED notifications' retry (its own integration test runs the whole bot on a real queue).
    {
      provide: getQueueToken(QUEUE.outbound),
      useValue: {
        getJob: async () => undefined,
        addBulk: async (jobs: Array<{ data: { notificationId: string } }>) =>
          void dispatched.push(...jobs.map((job) => job.data.notificationId)),
      },
    },
    { provide: CalendarRepository, useValue: calendar },
    { provide: CalendarYearsService, useValue: disputeServices(db, clock, { calendar }).years },
    { provide: ApplicationsService, useValue: {} },
    { provide: DisputesService, useValue: {} },
    { provide: IdentityService, useValue: {} },
    {
      provide: NotificationsService,
      useValue: new NotificationsService(db, { dispatch: async (id: string) => void dispatched.push(id) }, clock),
    },
  ];
  @Global()
  @Module({ providers, exports: providers.map((p) => p.provide) })
  class TestInfraModule {}
  @Module({ imports: [TestInfraModule, AdminModule.forRoot({ botUsername: 'nmo_test_bot' })] })
  class TestAppModule {}
  const app = await NestFactory.create(TestAppModule, { logger: false, abortOnError: false });
  await app.listen(0, '127.0.0.1');
  return { app, url: (await app.getUrl()).replace('[::1]', '127.0.0.1'), queued, dispatched, clock };
}
