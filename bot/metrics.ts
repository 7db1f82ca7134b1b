import { Counter, Histogram, type Registry } from 'prom-client';

/** What the engineer on call watches for the bot: traffic, failures, latency. */
export class BotMetrics {
  readonly updates: Counter<'type'>;
  readonly duplicates: Counter;
  readonly errors: Counter;
  readonly handlerSeconds: Histogram;

  constructor(registry: Registry) {
    this.updates = new Counter({
      name: 'nmo_bot_updates_total',
      help: 'Updates received, by type',
      labelNames: ['type'],
      registers: [registry],
    });
    this.duplicates = new Counter({
      name: 'nmo_bot_duplicate_updates_total',
      help: 'Updates delivered again and skipped',
      registers: [registry],
    });
    this.errors = new Counter({ name: 'nmo_bot_errors_total', help: 'Updates whose handling failed', registers: [registry] });
    this.handlerSeconds = new Histogram({
      name: 'nmo_bot_update_duration_seconds',
      help: 'Time to handle one update',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
  }
}
