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
 * her reminder with the webinar's link as a button (worker on, the clock moved by hand). Then Ольга plans a
 * conference for doctors only: Мария does not see it, Пётр (a doctor) does; she opens it to everybody and
 * Мария sees it; turning it into a webinar without a link is refused with the reason, and nothing changes.
 */
describe('events: an admin plans, a nurse signs up (ru)', () => {
  let system: RunningSystem;
  let olga: SimulatedUser;
  let maria: SimulatedUser;
  let mariaId: string;
  let doctor: SimulatedUser;
  const buttons = (user: SimulatedUser) =>
    ((user.messages().at(-1)?.reply_markup as { inline_keyboard?: Array<Array<{ text: string }>> } | undefined)?.inline_keyboard ?? [])
      .flat()
      .map((b) => b.text);
  const last = (user: SimulatedUser) =>
    user
      .messages()
      .map((m) => m.text ?? '')
      .at(-1) ?? '';
  /**
   * The outbound queue delays a job by the real time until its due moment, while the system lives on a
   * clock set by the test: a job due on the test's clock is promoted, as if real time had caught up.
   */
  async function comeDue(notificationId: string): Promise<void> {
    const outbound = system.worker!.get<Queue>(getQueueToken(QUEUE.outbound), { strict: false });
    const job = await outbound.getJob(notificationId);
    if (job && (await job.isDelayed())) await job.promote();
  }
  const sentTo = (chatId: number, fragment: string) => (c: CallRecord) =>
    c.method === 'sendMessage' && c.chatId === chatId && String(c.params.text).includes(fragment);

  beforeAll(async () => {
    // Tuesday 1 December 2026, 09:00 Moscow.
    system = await startSystem({ now: new Date('2026-12-01T09:00:00+03:00'), worker: true });
    olga = system.standin.user({ id: 8101, first_name: 'Ольга', language_code: 'ru' });
    maria = system.standin.user({ id: 8102, first_name: 'Мария', language_code: 'ru' });
    await createOrgAdmin(system, 8101);
    mariaId = (await createLinkedPerson(system, 8102, { category: 'NURSE' })).id;
    doctor = system.standin.user({ id: 8103, first_name: 'Пётр', language_code: 'ru' });
    await createLinkedPerson(system, 8103, { category: 'DOCTOR', fullName: 'Петров Пётр Петрович' });
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
    expect(last(olga)).toContain('Для кого?');
    await olga.pressButton('Далее');
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
    expect(last(olga)).toContain('Для кого: для всех');
    await olga.pressButton('✅ Создать');
    expect(last(olga)).toContain('Мероприятие создано');
    const event = await system.db.event.findFirstOrThrow({ where: { title: 'Профилактика ИСМП' } });
    expect(event).toMatchObject({
      format: 'WEBINAR',
      kind: 'EVENT',
      capacity: 5,
      zet: 2,
      link: 'https://webinar.example.ru/ismp',
      startsAt: new Date('2026-12-10T07:00:00Z'),
    });
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
    const reminders = await system.db.notification.findMany({
      where: { personId: mariaId, kind: 'event.tomorrow' },
      orderBy: { dueAt: 'asc' },
    });
    expect(reminders.map((n) => [n.dueAt.toISOString(), n.state])).toEqual([
      ['2026-12-09T15:00:00.000Z', 'CANCELLED'],
      ['2026-12-10T15:00:00.000Z', 'PENDING'],
    ]);
  });

  it('the evening before, the nurse gets the reminder with the link as a button', async () => {
    const reminder = await system.db.notification.findFirstOrThrow({
      where: { personId: mariaId, kind: 'event.tomorrow', state: 'PENDING' },
    });
    // Time passes: the clock reaches 18:00 Moscow on 10 December, and the queue's delayed job comes due.
    system.clock.set(new Date('2026-12-10T18:00:00+03:00'));
    await comeDue(reminder.id);
    const call = await system.standin.waitForCall(sentTo(8102, 'Завтра:'), { timeoutMs: 15_000 });
    expect(String(call.params.text)).toContain('11.12.2026 10:00–12:00');
    expect(JSON.stringify(call.params.reply_markup)).toContain('https://webinar.example.ru/ismp');
    await waitUntil(
      async () => (await system.db.notification.findUniqueOrThrow({ where: { id: reminder.id } })).state === 'SENT',
      'the reminder marked sent',
    );
  });

  it('the admin creates a conference for doctors only: the nurse does not see it in /events, a doctor does', async () => {
    await olga.sendCommand('/event_new');
    await olga.sendText('Антибиотикорезистентность');
    await olga.pressButton('конференция');
    await olga.pressButton('ПК');
    expect(last(olga)).toContain('Для кого?');
    expect(buttons(olga)).toContain('✅ Для всех');
    await olga.pressButton('Врач');
    await olga.pressButton('Фармацевт');
    await olga.pressButton('✅ Фармацевт');
    expect(buttons(olga)).toEqual(expect.arrayContaining(['✅ Врач', 'Фармацевт', 'Для всех', 'Далее']));
    await olga.sendText('20.12.2026 14:00');
    expect(last(olga)).toContain('кнопк');
    await olga.pressButton('Далее');
    expect(last(olga)).toContain('Для кого: Врач.');
    await olga.sendText('20.12.2026 14:00');
    await olga.sendText('3');
    await olga.sendText('Актовый зал, корпус 2');
    await olga.sendText('3');
    await olga.pressButton('Без ограничения');
    expect(last(olga)).toContain('Для кого: Врач');
    await olga.pressButton('✅ Создать');
    expect(last(olga)).toContain('Мероприятие создано');
    const event = await system.db.event.findFirstOrThrow({ where: { title: 'Антибиотикорезистентность' } });
    expect(event).toMatchObject({ format: 'CONFERENCE', kind: 'PK', categories: ['DOCTOR'], place: 'Актовый зал, корпус 2', link: null });

    await maria.sendCommand('/events');
    expect(last(maria)).not.toContain('Антибиотикорезистентность');
    await doctor.sendCommand('/events');
    expect(last(doctor)).toContain('Антибиотикорезистентность');
  });

  it('the admin opens it to everybody from «✏️ Изменить»; now the nurse sees it', async () => {
    await olga.sendCommand('/events_admin');
    await olga.pressButton(/Изменить: Антибиотико/);
    await olga.pressButton('Для кого');
    expect(last(olga)).toContain('Сейчас: Врач');
    expect(buttons(olga)).toContain('✅ Врач');
    await olga.pressButton('Для всех');
    expect(buttons(olga)).toContain('✅ Для всех');
    await olga.pressButton('Сохранить');
    expect(last(olga)).toBe('✅ «Антибиотикорезистентность» — Для кого: Врач → для всех');
    const event = await system.db.event.findFirstOrThrow({ where: { title: 'Антибиотикорезистентность' } });
    expect(event.categories).toEqual([]);
    const journal = await system.db.auditLog.findFirstOrThrow({ where: { subjectId: event.id, action: 'event.updated' } });
    expect([(journal.before as { categories: string[] }).categories, (journal.after as { categories: string[] }).categories]).toEqual([
      ['DOCTOR'],
      [],
    ]);

    await maria.sendCommand('/events');
    expect(last(maria)).toContain('Антибиотикорезистентность');
  });

  it('turning the conference into a webinar without a link is refused with the reason, nothing changes; the kind changes', async () => {
    await olga.sendCommand('/events_admin');
    await olga.pressButton(/Изменить: Антибиотико/);
    await olga.pressButton('Формат');
    expect(last(olga)).toContain('Сейчас: конференция');
    await olga.pressButton('вебинар');
    expect(last(olga)).toContain('Не сохранено: «Антибиотикорезистентность» осталось как было.');
    expect(last(olga)).toContain('Для вебинара нужна ссылка.');
    expect(last(olga)).toContain('Сначала укажите ссылку');
    expect(buttons(olga)).toEqual(expect.arrayContaining(['✅ конференция', 'вебинар', 'Отмена']));
    expect((await system.db.event.findFirstOrThrow({ where: { title: 'Антибиотикорезистентность' } })).format).toBe('CONFERENCE');
    await olga.pressButton('Отмена');
    expect(last(olga)).toBe('Ничего не изменено.');

    await olga.sendCommand('/events_admin');
    await olga.pressButton(/Изменить: Антибиотико/);
    await olga.pressButton('Вид');
    await olga.pressButton('ИОМ');
    expect(last(olga)).toBe('✅ «Антибиотикорезистентность» — Вид: ПК → ИОМ');
    expect((await system.db.event.findFirstOrThrow({ where: { title: 'Антибиотикорезистентность' } })).kind).toBe('IOM');
  });
});
