import { type DynamicModule, Module } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module';
import { QueueBoardModule } from '../admin/queues/queue-board.module';
import { InfraModule, type InfraOptions } from '../infra/nest/infra.module';
import { OrganizationReadJournal } from '../core/reports/organization-reads';
import type { Database } from '../core/shared/database';
import { DATABASE } from '../infra/nest/tokens';
import { AdminController } from './http/cabinet/admin.controller';
import { CabinetAuthGuard } from './http/cabinet/cabinet-auth.guard';
import { StaffActionsController } from './http/cabinet/staff-actions.controller';
import { StaffReadController } from './http/cabinet/staff-read.controller';
import { HealthController } from './http/health.controller';
import { TelegramBot } from './telegram-bot';

/** The bot process: the grammY bot plus HTTP (webhook, health, readiness, metrics, admin API and queue dashboard, the cabinet). */
@Module({})
export class BotModule {
  static forRoot(options: Omit<InfraOptions, 'processName'>): DynamicModule {
    return {
      module: BotModule,
      imports: [InfraModule.forRoot({ ...options, processName: 'bot' }), AdminModule.forRoot(), QueueBoardModule],
      controllers: [HealthController, StaffReadController, StaffActionsController, AdminController],
      providers: [
        TelegramBot,
        CabinetAuthGuard,
        { provide: OrganizationReadJournal, useFactory: (db: Database) => new OrganizationReadJournal(db), inject: [DATABASE] },
      ],
    };
  }
}
