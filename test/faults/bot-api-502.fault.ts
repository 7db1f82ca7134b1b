import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from '../../scripts/services/free-port';
import { OutboundHarness } from '../failure/outbound-harness';
import { TELEGRAM_OUTAGE_PAUSE } from '../../worker/outbound/outage';
import { tallyDeliveries } from './deliveries';
import { OwnServers } from './own-servers';
import { reportFault } from './report';
import { FAULT_METRICS_TOKEN, workerMetric } from './worker-metrics';

/**
 * The Bot API answers 502 Bad Gateway to every call for 200 s (FAULT_502_SECONDS, shorter for a quick
 * run) while 20 reminders are due. The worker runs as its own process against servers of this test's
 * own. The outbound queue slows down (pauses of 1 s, 2 s, … 30 s between tries) instead of spending
 * every message's retries, nothing ends FAILED, and all 20 go out once when Telegram is back. Bound on
 * doubled: 0 — Telegram's 502 says the message was not sent.
 */
const COUNT = 20;
const OUTAGE_SECONDS = Number(process.env.FAULT_502_SECONDS ?? 200);
const CONCURRENCY = 8;
const DOUBLED_BOUND = 0;

describe('fault: the Bot API answers 502 for minutes', () => {
  let servers: OwnServers;
  let harness: OutboundHarness;
  let metricsPort: number;

  beforeAll(async () => {
    servers = await OwnServers.start();
    metricsPort = await freePort();
    harness = new OutboundHarness({
      databaseUrl: servers.databaseUrl,
      redisUrl: servers.redisUrl,
      env: { OUTBOUND_CONCURRENCY: String(CONCURRENCY), WORKER_METRICS_PORT: String(metricsPort), METRICS_TOKEN: FAULT_METRICS_TOKEN },
    });
    await harness.start();
  });

  afterAll(async () => {
    await harness?.stop();
    await servers?.stop();
  });

  it(`sends every reminder once after a ${OUTAGE_SECONDS} s outage, none FAILED`, async () => {
    const people = await harness.createPeople(COUNT, 900_000);
    harness.standin.failAlways('*', { error_code: 502, description: 'Bad Gateway' });
    await harness.scheduleReminders(people);
    const worker = harness.startWorkerChild();
    await sleep(OUTAGE_SECONDS * 1000);
    const triedDuringOutage = harness.standin.calls('sendMessage').length;
    const failedDuringOutage = await harness.db.notification.count({ where: { state: 'FAILED' } });
    harness.standin.clearFaults();

    await harness.waitUntil(
      async () => (await harness.db.notification.count({ where: { state: 'PENDING' } })) === 0,
      // After the outage the queue may still wait out its last pause (at most 30 s) before trying again.
      120_000,
      'every reminder handled',
    );
    const { applied, lost, doubled } = tallyDeliveries(people, harness.sentPerChat);
    const row = reportFault({
      fault: `Bot API answering 502 for ${OUTAGE_SECONDS} s`,
      sent: COUNT,
      applied,
      lost,
      doubled,
      doubledBound: DOUBLED_BOUND,
    });
    const pauses = await workerMetric(metricsPort, 'nmo_outbound_outage_pauses_total', { cause: 'telegram' });
    process.stdout.write(`fault: 502: ${triedDuringOutage} sendMessage calls during the outage, ${pauses} outage pauses\n`);

    expect(worker.exitCode).toBeNull();
    expect(row.lost).toBe(0);
    expect(row.doubled).toBeLessThanOrEqual(DOUBLED_BOUND);
    expect(failedDuringOutage).toBe(0);
    expect(await harness.db.notification.count({ where: { state: 'SENT' } })).toBe(COUNT);
    // The queue slowed down: at most one round of concurrent jobs per pause, and the pauses grow to 30 s.
    expect(pauses).toBeGreaterThan(0);
    expect(triedDuringOutage).toBeLessThanOrEqual(CONCURRENCY * (pausesWithin(OUTAGE_SECONDS * 1000) + 1));
  });
});

/** How many pauses of the outage schedule (1 s, 2 s, … capped) begin within `ms`. */
function pausesWithin(ms: number): number {
  let count = 0;
  for (let elapsed = 0; elapsed < ms; count++) elapsed += Math.min(TELEGRAM_OUTAGE_PAUSE.maxMs, TELEGRAM_OUTAGE_PAUSE.firstMs * 2 ** count);
  return count;
}
