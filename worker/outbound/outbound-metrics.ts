import { Counter, Gauge, type Registry } from 'prom-client';
import type { NotificationsService } from '../../core/notifications/notifications.service';

/** A scrape must answer during a database outage too, when these metrics matter most: it shows the last counts. */
const COUNT_TIMEOUT_MS = 2000;

/** What the engineer on call watches for proactive messages: outages ridden out, and what they may have cost. */
export class OutboundMetrics {
  readonly possibleDuplicates: Counter;
  readonly outagePauses: Counter<'cause'>;
  readonly recordedLate: Counter;

  constructor(registry: Registry, notifications: NotificationsService) {
    this.possibleDuplicates = new Counter({
      name: 'nmo_outbound_possible_duplicates_total',
      help: 'Notifications sent again after a run that ended between its Telegram call and its record (a crash): each may have arrived twice',
      registers: [registry],
    });
    this.outagePauses = new Counter({
      name: 'nmo_outbound_outage_pauses_total',
      help: 'Pauses of the outbound queue because Telegram (5xx, no answer) or the database was unavailable',
      labelNames: ['cause'],
      registers: [registry],
    });
    this.recordedLate = new Counter({
      name: 'nmo_outbound_recorded_late_total',
      help: 'Sends recorded after the database came back, or from Redis by a later run, instead of being sent again',
      registers: [registry],
    });
    new Gauge({
      name: 'nmo_notifications_unsent',
      help: 'Pending notifications: waiting (not handed to Telegram yet) and sending (intent written, no record yet)',
      labelNames: ['stage'],
      registers: [registry],
      async collect() {
        const counts = await Promise.race([
          notifications.unsentCounts(),
          new Promise<null>((resolve) => setTimeout(() => resolve(null), COUNT_TIMEOUT_MS).unref()),
        ]).catch(() => null);
        if (!counts) return;
        this.set({ stage: 'waiting' }, counts.waiting);
        this.set({ stage: 'sending' }, counts.sending);
      },
    });
  }
}
