import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

/** What the engineer on call watches for the bot: traffic, failures, latency, the update log. */
export class BotMetrics {
  readonly updates: Counter<'type'>;
  readonly duplicates: Counter;
  readonly errors: Counter;
  readonly postponed: Counter<'dependency'>;
  readonly handlerSeconds: Histogram;
  readonly intake: Counter<'outcome'>;
  readonly lagSeconds: Histogram;
  readonly backlog: Gauge;
  readonly shards: Gauge;
  /** The update log, read when /metrics is scraped (set once the intake runs). */
  probe?: { backlog(): Promise<number>; shardsOwned(): number };

  constructor(registry: Registry) {
    this.updates = new Counter({
      name: 'nmo_bot_updates_total',
      help: 'Updates handled, by type',
      labelNames: ['type'],
      registers: [registry],
    });
    this.duplicates = new Counter({
      name: 'nmo_bot_duplicate_updates_total',
      help: 'Updates delivered or replayed again whose effects were already applied: skipped',
      registers: [registry],
    });
    this.errors = new Counter({ name: 'nmo_bot_errors_total', help: 'Updates whose handling failed', registers: [registry] });
    this.postponed = new Counter({
      name: 'nmo_bot_postponed_updates_total',
      help: 'Handlings put off because a service was unavailable, by service',
      labelNames: ['dependency'],
      registers: [registry],
    });
    this.handlerSeconds = new Histogram({
      name: 'nmo_bot_update_duration_seconds',
      help: 'Time to handle one update',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    });
    this.intake = new Counter({
      name: 'nmo_bot_intake_total',
      help: 'Updates offered to the update log: recorded, duplicate (already recorded), refused (the log was unavailable)',
      labelNames: ['outcome'],
      registers: [registry],
    });
    this.lagSeconds = new Histogram({
      name: 'nmo_bot_update_lag_seconds',
      help: 'From recording an update to finishing it',
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 15, 60],
      registers: [registry],
    });
    const probe = () => this.probe;
    this.backlog = new Gauge({
      name: 'nmo_bot_update_log_backlog',
      help: 'Updates recorded and not yet finished (all shards)',
      registers: [registry],
      async collect() {
        const p = probe();
        if (p) this.set(await p.backlog().catch(() => NaN));
      },
    });
    this.shards = new Gauge({
      name: 'nmo_bot_update_log_shards_owned',
      help: 'Shards of the update log this process consumes',
      registers: [registry],
      collect() {
        const p = probe();
        if (p) this.set(p.shardsOwned());
      },
    });
  }
}
