import { Queue } from 'bullmq';
import { runCommand } from '../cli/commands';
import type { AdminServices } from '../services';
import { FailedNotifications } from '../../core/notifications/failed-notifications';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { QUEUE, QueueOutboundDispatch, redisConnectionOptions } from '../../infra/queues/queues';
import { waitUntil } from '../../test/support/eventually';
import { createLinkedPerson } from '../../test/support/people';
import { startSystem, type RunningSystem } from '../../test/support/system';

const ADMIN_TOKEN = 'admin-token-for-the-queue-board-0123456789';

/**
 * The engineer on call's view, on the whole product (bot, worker, PostgreSQL, Redis, the Bot API
 * stand-in): the queue dashboard under /admin/queues behind the admin token, the retry of FAILED
 * notifications (dashboard button, admin API, CLI), and the queue figures of /metrics.
 */
describe('the queue dashboard and the retry of failed notifications', () => {
  let system: RunningSystem;
  const queues: Queue[] = [];
  const url = (path: string) => `${system.baseUrl}${path}`;
  const queue = (name: string) => {
    const q = new Queue(name, { connection: redisConnectionOptions(system.config.REDIS_URL!), prefix: system.config.REDIS_PREFIX });
    queues.push(q);
    return q;
  };
  /** A liveness bound only: the machine may be loaded. */
  const until = (check: () => Promise<boolean> | boolean, what: string) => waitUntil(check, what, 60_000);

  async function signIn(): Promise<string> {
    const response = await fetch(url('/admin/queues/login'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Origin: system.baseUrl },
      body: new URLSearchParams({ token: ADMIN_TOKEN }).toString(),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get('location')).toBe('/admin/queues/');
    const cookie = response.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^nmo_queue_board=\d+\.[A-Za-z0-9_-]{43}; Max-Age=1800; Path=\/admin\/queues; HttpOnly; SameSite=Strict$/);
    expect(cookie).not.toContain(ADMIN_TOKEN);
    return cookie.split(';')[0];
  }

  beforeAll(async () => {
    system = await startSystem({ worker: true, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
  });

  afterAll(async () => {
    for (const q of queues) await q.close();
    await system?.stop();
  });

  it('refuses without the admin token: no listing, a sign-in page, a wrong or forged credential refused', async () => {
    const api = await fetch(url('/admin/queues/api/queues'));
    expect(api.status).toBe(401);
    expect(await api.text()).not.toContain('evaluation');

    const page = await fetch(url('/admin/queues/'), { redirect: 'manual', headers: { Accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/admin/queues/login');
    const login = await fetch(url('/admin/queues/login'));
    expect(await login.text()).toContain('<input type="password" name="token"');

    const wrong = await fetch(url('/admin/queues/login'), {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'token=not-the-admin-token-at-all-0000000000',
    });
    expect(wrong.status).toBe(401);
    expect(wrong.headers.get('set-cookie')).toBeNull();

    const forged = await fetch(url('/admin/queues/api/queues'), { headers: { Cookie: `nmo_queue_board=99999999999.${'A'.repeat(43)}` } });
    expect(forged.status).toBe(401);
    // The token in a URL opens nothing.
    expect((await fetch(url(`/admin/queues/api/queues?token=${ADMIN_TOKEN}`))).status).toBe(401);
    expect((await fetch(url('/admin/queues/api/queues'), { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await fetch(url('/admin/notifications/failed'))).status).toBe(401);
  });

  it('with the token lists outbound, evaluation, maintenance and sync, and a failed job with its reason', async () => {
    // A re-evaluation of a person id that is no UUID fails in the real worker with the database's reason.
    const evaluation = queue(QUEUE.evaluation);
    const job = await evaluation.add('evaluate', { personId: 'not-a-person-id', reason: 'board test' }, { attempts: 1 });
    await until(async () => (await job.getState()) === 'failed', 'the evaluation job to fail');

    const cookie = await signIn();
    const listing = await fetch(url('/admin/queues/api/queues?activeQueue=evaluation&status=failed&page=1&jobsPerPage=10'), {
      headers: { Cookie: cookie },
    });
    expect(listing.status).toBe(200);
    const body = (await listing.json()) as {
      queues: Array<{ name: string; readOnlyMode: boolean; jobs: Array<{ id: string; failedReason?: string }> }>;
    };
    expect(body.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['outbound', 'evaluation', 'maintenance', 'sync']));
    const failed = body.queues.find((q) => q.name === 'evaluation')!.jobs.find((j) => j.id === job.id);
    expect(failed?.failedReason).toBeTruthy();
    expect(failed?.failedReason).toBe((await evaluation.getJob(job.id!))?.failedReason);
    expect(body.queues.find((q) => q.name === 'outbound')!.readOnlyMode).toBe(true);

    // The page itself, and the same listing for a script with the Bearer header.
    const page = await fetch(url('/admin/queues/'), { headers: { Cookie: cookie, Accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    const scripted = await fetch(url('/admin/queues/api/queues'), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    expect(scripted.status).toBe(200);

    // A change asked from another site is refused even with the cookie.
    const crossSite = await fetch(url(`/admin/queues/api/queues/evaluation/${job.id}/retry`), {
      method: 'PUT',
      headers: { Cookie: cookie, Origin: 'https://evil.example' },
    });
    expect(crossSite.status).toBe(403);
    expect(await evaluation.getJobState(job.id!)).toBe('failed');
  });

  it('retries a FAILED notification that did not reach Telegram once, and the stand-in then delivers it', async () => {
    const person = await createLinkedPerson(system, 8701, { fullName: 'Иванова Мария Петровна', category: 'NURSE' });
    const maria = system.standin.user({ id: 8701, first_name: 'Мария', language_code: 'ru' });
    // Telegram refuses the first send with a 400: the sender records it FAILED at once (no retry).
    system.standin.failNext('sendMessage', { error_code: 400, description: 'Bad Request: injected by the test' });
    const notifications = system.bot.get(NotificationsService);
    const { notification } = await notifications.schedule({
      personId: person.id,
      kind: 'credits.met',
      subjectId: 'retry-test',
      dueAt: system.clock.now(),
      payload: { total: 144, required: 144 },
      ignoreQuietHours: true,
    });
    const stateOf = async () => (await system.db.notification.findUniqueOrThrow({ where: { id: notification.id } })).state;
    await until(async () => (await stateOf()) === 'FAILED', 'the notification to end FAILED');
    const delivered = () => maria.messages().filter((m) => m.text?.includes('требование по баллам НМО выполнено')).length;
    expect(delivered()).toBe(0);

    const listed = await fetch(url('/admin/notifications/failed'), { headers: { Authorization: `Bearer ${ADMIN_TOKEN}` } });
    const { notifications: failed } = (await listed.json()) as {
      notifications: Array<{ id: string; retryable: boolean; lastError: string }>;
    };
    expect(failed).toContainEqual(
      expect.objectContaining({ id: notification.id, retryable: true, lastError: 'Bad Request: injected by the test' }),
    );

    // The dashboard's button.
    const cookie = await signIn();
    const pressed = await fetch(url('/admin/queues/notifications/retry'), {
      method: 'POST',
      headers: { Cookie: cookie, Origin: system.baseUrl },
    });
    expect(pressed.status).toBe(200);
    expect(await pressed.text()).toContain('Queued again: 1.');
    await until(async () => (await stateOf()) === 'SENT', 'the retried notification to be sent');
    await until(() => delivered() === 1, 'the message in the chat');

    // Again, by the admin API and by the CLI: nothing FAILED is left to queue, nothing is sent twice.
    const again = await fetch(url('/admin/notifications/retry-failed'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: [notification.id] }),
    });
    expect(await again.json()).toEqual({ requeued: 0, ids: [], held: 0 });
    const lines: string[] = [];
    await runCommand(['notifications:retry', notification.id], {
      // notifications:retry reads nothing else of the admin services.
      services: {} as AdminServices,
      out: (line) => lines.push(line),
      err: (line) => lines.push(`! ${line}`),
      readFile: () => Promise.reject(new Error('no files here')),
      botUsername: async () => 'nmo_test_bot',
      failedNotifications: new FailedNotifications(system.db, new QueueOutboundDispatch(queue(QUEUE.outbound))),
    });
    expect(lines).toEqual([expect.stringMatching(/^! Queued again: 0\. Still FAILED and left alone/)]);
    expect(await stateOf()).toBe('SENT');
    expect(delivered()).toBe(1);
    expect(await system.db.auditLog.count({ where: { action: 'notification.retried', subjectId: notification.id } })).toBe(1);

    const badIds = await fetch(url('/admin/notifications/retry-failed'), {
      method: 'POST',
      headers: { Authorization: `Bearer ${ADMIN_TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids: ['1; DROP TABLE'] }),
    });
    expect(badIds.status).toBe(400);
  });

  it('/metrics shows queue depth, the oldest waiting job age per queue, and notifications by state', async () => {
    // Jobs no worker takes while the queue is paused (BullMQ 6 keeps them waiting): two, the oldest 90 s old.
    const sync = queue(QUEUE.sync);
    await sync.pause();
    try {
      await sync.add('metrics-probe', {}, { timestamp: Date.now() - 90_000 });
      await sync.add('metrics-probe', {});
      const response = await fetch(url('/metrics'), { headers: { Authorization: `Bearer ${system.config.METRICS_TOKEN}` } });
      expect(response.status).toBe(200);
      const text = await response.text();
      const value = (name: string, labels: string) => Number(new RegExp(`^${name}\\{[^}]*${labels}[^}]*\\} (\\S+)$`, 'm').exec(text)?.[1]);
      expect(value('nmo_queue_depth', 'queue="sync"')).toBe(2);
      expect(value('nmo_queue_jobs', 'queue="sync",state="waiting"')).toBe(2);
      expect(value('nmo_queue_oldest_waiting_age_seconds', 'queue="sync"')).toBeGreaterThanOrEqual(90);
      for (const name of ['outbound', 'evaluation', 'maintenance', 'reminders']) {
        expect(value('nmo_queue_depth', `queue="${name}"`)).toBeGreaterThanOrEqual(0);
        expect(value('nmo_queue_oldest_waiting_age_seconds', `queue="${name}"`)).toBeGreaterThanOrEqual(0);
      }
      expect(value('nmo_queue_jobs', 'queue="evaluation",state="failed"')).toBeGreaterThanOrEqual(1);
      const sent = await system.db.notification.count({ where: { state: 'SENT' } });
      expect(value('nmo_notifications', 'state="SENT"')).toBe(sent);
      expect(value('nmo_notifications', 'state="FAILED"')).toBe(await system.db.notification.count({ where: { state: 'FAILED' } }));
      expect(sent).toBeGreaterThanOrEqual(1);
    } finally {
      await sync.obliterate({ force: true });
    }
  });
});
