import { type DynamicModule, Module } from '@nestjs/common';
import { type Config, required } from '../infra/config/config';
import { InfraModule, type InfraOptions } from '../infra/nest/infra.module';
import { CONFIG } from '../infra/nest/tokens';
import { EvaluationProcessor } from './processors/evaluation.processor';
import { MaintenanceProcessor } from './processors/maintenance.processor';
import { OutboundProcessor } from './processors/outbound.processor';
import { createTelegramApi, TelegramApi } from './telegram-api';

/** The worker process: BullMQ processors and schedulers, no HTTP. */
@Module({})
export class WorkerModule {
  static forRoot(options: Omit<InfraOptions, 'processName'>): DynamicModule {
    return {
      module: WorkerModule,
      imports: [InfraModule.forRoot({ ...options, processName: 'worker' })],
      providers: [
        {
          provide: TelegramApi,
          useFactory: (config: Config) => createTelegramApi(required(config, 'TELEGRAM_BOT_TOKEN'), config.TELEGRAM_API_ROOT),
          inject: [CONFIG],
        },
        EvaluationProcessor,
        OutboundProcessor,
        MaintenanceProcessor,
      ],
    };
  }
}
