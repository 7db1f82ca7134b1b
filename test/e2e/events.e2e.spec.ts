import { getQueueToken } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { CallRecord, SimulatedUser } from '../../standin';
import { QUEUE } from '../../infra/queues/queues';
import { waitUntil } from '../support/eventually';
import { createLinkedPerson, createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Ольга runs education at the demo hospital: she creates a webinar with /event_new (a typo on the way
 * loses nothing), Мария, a nurse, finds it in /events and takes one of its 5 seats; Ольга moves it a day
 * later with /events_admin and Мария is told what changed; the evening before the new date Мария gets
 * her reminder with the webinar's link as a button (worker on, the clock moved by hand).
 */
describe('events: an admin plans, a nurse signs up (ru)', () => {
  let system: RunningSystem;
  let olga: SimulatedUser;
  let maria: SimulatedUser;
  let mariaId: string;
  const last = (user: SimulatedUser) => user.messages().map((m) => m.text ?? '').at(-1) ?? '';
  /**
   * The outbound queue delays a job by the real time until its due moment, while the system lives on a
   * clock set by the test: a job due on the test's clock is promoted, as if real time had caught up.
   */
  async function comeDue(notificationId: string): Promise<void> {
    const outbound = system.worker!.get<Queue>(getQueueToken(QUEUE.outbound), { strict: false });
    const job = await outbound.getJob(notificationId);
    if (job && (await job.isDelayed())) await job.promote();
  }
  const sentTo = (chatId: number, fragment: string) => (c: CallRecord) => c.method === 'sendMessage' && c.chatId === chatId && String(c.params.text).includes(fragment);

  beforeAll(async () => {
    // Tuesday 1 December 2026, 09:00 Moscow.
    system = await startSystem({ now: new Date('2026-12-01T09:00:00+03:00'), worker: true });
    olga = system.standin.user({ id: 8101, first_name: 'Ольга', language_code: 'ru' });
    maria = system.standin.user({ id: 8102, first_name: 'Мария', language_code: 'ru' });
    await createOrgAdmin(system, 8101);
    mariaId = (await createLinkedPerson(system, 8102, { category: 'NURSE' })).id;
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('a nurse cannot use the admin wizard', async () => {
    await maria.sendCommand('/event_new');
    expect(last(maria)).toContain('для администраторов вашей организации');
  });

  it('the admin creates a webinar with /event_new; a wrong date is explained and nothing is lost', async () => {
    await olga.sendCommand('/event_new');
    await olga.sendText('Профилактика ИСМП');
    await olga.pressButton('вебинар');
    await olga.pressButton('мероприятие');
    await olga.sendText('завтра утром');
    expect(last(olga)).toContain('Не понял дату и время');
    await olga.sendText('10.12.2026 10:00');
    await olga.sendText('2');
    await olga.sendText('webinar.example.ru');
    expect(last(olga)).toContain('https://');
    await olga.sendText('https://webinar.example.ru/ismp');
    await olga.sendText('2');
    await olga.sendText('5');
    expect(last(olga)).toContain('10.12.2026 10:00–12:00');
    await olga.pressButton('✅ Создать');
    expect(last(olga)).toContain('Мероприятие создано');
    const event = await system.db.event.findFirstOrThrow({ where: { title: 'Профилактика ИСМП' } });
    expect(event).toMatchObject({ format: 'WEBINAR', kind: 'EVENT', capacity: 5, zet: 2, link: 'https://webinar.example.ru/ismp', startsAt: new Date('2026-12-10T07:00:00Z') });
    expect(await system.db.auditLog.count({ where: { action: 'event.created', subjectId: event.id } })).toBe(1);
  });

  it('the nurse sees it in /events, signs up, and the seats left go down', async () => {
    await maria.sendCommand('/events');
    expect(last(maria)).toContain('Профилактика ИСМП');
    expect(last(maria)).toContain('мест осталось: 5 из 5');
    await maria.pressButton(/Записаться/);
    expect(maria.messages().some((m) => (m.text ?? '').includes('Вы записаны на «Профилактика ИСМП»'))).toBe(true);
    expect(last(maria)).toContain('мест осталось: 4 из 5');
    expect(last(maria)).toContain('✅ Вы записаны');
  });

  it('the admin moves it a day later; the nurse is told old → new, and her reminders follow', async () => {
    await olga.sendCommand('/events_admin');
    expect(last(olga)).toContain('записано: 1/5');
    await olga.pressButton(/Перенести/);
    await olga.sendText('11.12.2026 10:00');
    expect(last(olga)).toContain('перенесено на 11.12.2026 10:00–12:00');
    await comeDue((await system.db.notification.findFirstOrThrow({ where: { personId: mariaId, kind: 'event.changed' } })).id);
    const notice = await system.standin.waitForCall(sentTo(8102, 'изменилось'), { timeoutMs: 15_000 });
    expect(String(notice.params.text)).toContain('Было: 10.12.2026 10:00–12:00');
    expect(String(notice.params.text)).toContain('Стало: 11.12.2026 10:00–12:00');
    const reminders = await system.db.notification.findMany({ where: { personId: mariaId, kind: 'event.tomorrow' }, orderBy: { dueAt: 'asc' } });
    expect(reminders.map((n) => [n.dueAt.toISOString(), n.state])).toEqual([
      ['2026-12-09T15:00:00.000Z', 'CANCELLED'],
      ['2026-12-10T15:00:00.000Z', 'PENDING'],
    ]);
  });

  it('the evening before, the nurse gets the reminder with the link as a button', async () => {
    const reminder = await system.db.notification.findFirstOrThrow({ where: { personId: mariaId, kind: 'event.tomorrow', state: 'PENDING' } });
    // Time passes: the clock reaches 18:00 Moscow on 10 December, and the queue's delayed job comes due.
    system.clock.set(new Date('2026-12-10T18:00:00+03:00'));
    await comeDue(reminder.id);
    const call = await system.standin.waitForCall(sentTo(8102, 'Завтра:'), { timeoutMs: 15_000 });
    expect(String(call.params.text)).toContain('11.12.2026 10:00–12:00');
    expect(JSON.stringify(call.params.reply_markup)).toContain('https://webinar.example.ru/ismp');
    await waitUntil(async () => (await system.db.notification.findUniqueOrThrow({ where: { id: reminder.id } })).state === 'SENT', 'the reminder marked sent');
  });
});
