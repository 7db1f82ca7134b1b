import { setTimeout as sleep } from 'node:timers/promises';
import { AnnouncementsService } from '../../core/announcements/announcements.service';
import { systemClock } from '../../core/shared/clock';
import { freePort } from '../../scripts/services/free-port';
import { OutboundHarness } from '../failure/outbound-harness';
import { tallyDeliveries } from './deliveries';
import { OwnServers } from './own-servers';
import { reportFault } from './report';
import { FAULT_METRICS_TOKEN, workerMetric } from './worker-metrics';

/**
 * A hospital announces to its ~1,200 staff; a quarter of the way through, PostgreSQL is stopped for
 * 10 s (FAULT_PG_OUTAGE_SECONDS) and started again. The worker runs as its own process against servers
 * of this test's own. Messages sent while the database was away are recorded when it is back, not sent
 * again; the rest wait and go out once. Bound on doubled: 0 — a second send is possible only after a
 * worker crash between a send and its record, and the worker does not crash here.
 */
const PEOPLE = 1200;
const OUTAGE_SECONDS = Number(process.env.FAULT_PG_OUTAGE_SECONDS ?? 10);
const DOUBLED_BOUND = 0;

describe('fault: PostgreSQL stopped during an announcement', () => {
  let servers: OwnServers;
  let harness: OutboundHarness;
  let metricsPort: number;

  beforeAll(async () => {
    servers = await OwnServers.start();
    metricsPort = await freePort();
    harness = new OutboundHarness({
      databaseUrl: servers.databaseUrl,
      redisUrl: servers.redisUrl,
      env: { OUTBOUND_RATE_PER_SECOND: '100', WORKER_METRICS_PORT: String(metricsPort), METRICS_TOKEN: FAULT_METRICS_TOKEN },
    });
    await harness.start();
    // Telegram takes a moment to answer: sends are under way, between the call and the record, when the database goes.
    harness.standin.setLatency(30);
  });

  afterAll(async () => {
    await harness?.stop();
    await servers?.stop();
  });

  it(`delivers every message once through a ${OUTAGE_SECONDS} s database outage`, async () => {
    const organization = await harness.db.organization.create({ data: { code: 'CITY1', name: 'Городская больница № 1' } });
    const people = await harness.createPeople(PEOPLE, 800_000);
    await harness.db.person.updateMany({ data: { organizationId: organization.id, category: 'NURSE' } });
    const announcements = new AnnouncementsService(harness.db, harness.notifications, systemClock);
    const outcome = await announcements.send(
      organization.id,
      { text: 'Плановая проверка документов до 1 декабря' },
      { type: 'admin', id: 'fault-suite' },
    );
    if (!outcome.ok) throw new Error(`announcement refused: ${outcome.reason}`);

    const worker = harness.startWorkerChild();
    await harness.waitUntil(() => harness.totalSent() >= PEOPLE / 4, 120_000, 'a quarter of the announcement sent');
    await servers.stopPostgres();
    const sentAtStop = harness.totalSent();
    await sleep(OUTAGE_SECONDS * 1000);
    const sentDuringOutage = harness.totalSent() - sentAtStop;
    await servers.startPostgres();

    const pending = () =>
      harness.db.notification.count({ where: { subjectId: outcome.announcement.id, state: 'PENDING' } }).catch(() => Number.NaN);
    await harness.waitUntil(async () => (await pending()) === 0, 240_000, 'every message recorded');
    await harness.waitUntil(async () => (await queueIdle(harness)) && (await pending()) === 0, 60_000, 'the outbound queue idle');

    const { applied, lost, doubled } = tallyDeliveries(people, harness.sentPerChat);
    const row = reportFault({
      fault: `PostgreSQL stopped ${OUTAGE_SECONDS} s during an announcement`,
      sent: PEOPLE,
      applied,
      lost,
      doubled,
      doubledBound: DOUBLED_BOUND,
    });
    const pauses = await workerMetric(metricsPort, 'nmo_outbound_outage_pauses_total', { cause: 'database' });
    const recordedLate = await workerMetric(metricsPort, 'nmo_outbound_recorded_late_total');
    const possibleDuplicates = await workerMetric(metricsPort, 'nmo_outbound_possible_duplicates_total');
    process.stdout.write(
      `fault: postgres: ${sentAtStop} sent before the stop, ${sentDuringOutage} during it; worker: ${pauses} database pauses, ` +
        `${recordedLate} sends recorded late, ${possibleDuplicates} possible duplicates\n`,
    );

    expect(worker.exitCode).toBeNull();
    expect(row.lost).toBe(0);
    expect(row.doubled).toBeLessThanOrEqual(DOUBLED_BOUND);
    expect(await harness.db.notification.count({ where: { subjectId: outcome.announcement.id, state: 'SENT' } })).toBe(PEOPLE);
    // The outage was met: the worker paused for it, or held sends until it could record them.
    expect(pauses + recordedLate).toBeGreaterThan(0);
  });
});

async function queueIdle(harness: OutboundHarness): Promise<boolean> {
  const counts = await harness.queue.getJobCounts('active', 'waiting', 'delayed', 'prioritized');
  return Object.values(counts).every((n) => n === 0);
}
