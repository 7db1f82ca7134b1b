import { Controller, Get, Header, HttpException, HttpStatus, Inject, UseGuards } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import type { Database } from '../../core/shared/database';
import { DATABASE, METRICS, REDIS } from '../../infra/nest/tokens';
import { TelegramBot } from '../telegram-bot';
import { MetricsTokenGuard } from './metrics-token.guard';

/** Liveness and readiness (public, for orchestrators) and metrics (behind METRICS_TOKEN) for the engineer on call. */
@Controller()
export class HealthController {
  constructor(
    @Inject(DATABASE) private readonly db: Database,
    @Inject(REDIS) private readonly redis: Redis,
    @Inject(METRICS) private readonly registry: Registry,
    private readonly telegram: TelegramBot,
  ) {}

  /** The process is up and serving HTTP. */
  @Get('health')
  health() {
    return { status: 'ok' };
  }

  /** Ready for traffic: PostgreSQL and Redis answer and the bot is started. */
  @Get('ready')
  async ready() {
    const checks = {
      database: await probe(() => this.db.$queryRaw`SELECT 1`),
      redis: await probe(() => this.redis.ping()),
      bot: this.telegram.started ? 'ok' : 'starting',
    };
    const ready = Object.values(checks).every((v) => v === 'ok');
    if (!ready) throw new HttpException({ status: 'not-ready', checks }, HttpStatus.SERVICE_UNAVAILABLE);
    return { status: 'ready', checks };
  }

  @Get('metrics')
  @UseGuards(MetricsTokenGuard)
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metrics(): Promise<string> {
    return this.registry.metrics();
  }
}

async function probe(check: () => Promise<unknown>): Promise<string> {
  try {
    await Promise.race([check(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref())]);
    return 'ok';
  } catch (error) {
    return `failed: ${(error as Error).message}`;
  }
}
