import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot } from '../../core/calendar/calendar-loader';
import { createI18n } from '../../infra/i18n';
import type { SimulatedUser } from '../../standin';
import { renderNotification } from '../../worker/notifications/render';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Monday 21 December 2026, and nobody has loaded the 2027 production calendar yet. Мария disputes a
 * record; its review runs into January, so the bot counts it by ТК РФ ст. 112 (1–8 January off) and says
 * the date is provisional; the support group is told once that 2027 is missing; the admin API shows the
 * same mark. On 11 January the admin loads 2027 (a test calendar that also gives 11 January off): the
 * date is recomputed and journaled, and Мария is told it moved from 13 to 14 January.
 *
 * The notices are checked as the outbound queue holds them (rows, rendered as the worker renders them):
 * the queue delays a job until its due time by the real clock, and this story's clock is ahead of it.
 */
const GROUP_ID = -1001234567890;
const TOKEN = 'admin-token-for-provisional-e2e-0123456789';
const NOTE = '(предварительно: календарь на 2027 год ещё не загружен)';

describe('a deadline across a year without a production calendar, then the year loaded (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let disputeId: string;
  let rejectedId: string;

  const last = () => {
    const message = maria.messages().at(-1);
    return message?.text ?? message?.caption ?? '';
  };
  const t = createI18n().getFixedT('ru');
  const admin = async (method: 'GET' | 'POST', path: string, body?: string | object) => {
    const json = typeof body === 'object';
    const response = await fetch(`${system.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': json ? 'application/json' : 'application/xml' } : {}) },
      body: json ? JSON.stringify(body) : body,
    });
    return { status: response.status, body: (await response.json()) as any };
  };

  beforeAll(async () => {
    system = await startSystem({
      now: new Date('2026-12-21T10:00:00+03:00'),
      env: { SUPPORT_CHAT_ID: String(GROUP_ID), ADMIN_API_TOKEN: TOKEN },
    });
    maria = system.standin.user({ id: 7301, first_name: 'Мария', language_code: 'ru' });
    const person = await createLinkedPerson(system, 7301, { fullName: 'Иванова Мария Петровна' });
    await system.db.creditEntry.create({
      data: {
        personId: person.id,
        creditTypeCode: 'pk',
        quantity: 36,
        occurredOn: new Date('2026-10-01T00:00:00Z'),
        title: 'Сестринское дело',
        source: 'IMPORT',
      },
    });
    await system.db.document.create({
      data: {
        personId: person.id,
        kind: 'CERTIFICATE',
        sha256: 'sha-7301',
        mediaType: 'application/pdf',
        sizeBytes: 1000,
        storageKey: 'k/7301',
        originalName: 'udostoverenie.pdf',
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('Мария files a dispute on 21.12.2026 and is told it is due 13.01.2027, provisionally', async () => {
    await maria.sendCommand('/dispute');
    await maria.pressButton('Запись о баллах');
    await maria.pressButton(/Сестринское дело · 36/);
    await maria.sendText('В удостоверении 72 часа, а засчитано 36');
    await maria.sendText('72');
    await maria.pressButton(/udostoverenie\.pdf/);
    await maria.pressButton('Готово');
    await maria.pressButton('✅ Отправить');
    // 22–25 and 28–30 December; 31 December (2026 calendar) and 1–8 January (ст. 112) off; 11–13 January.
    expect(last()).toBe(`Спор отправлен. Рассмотрение до 13.01.2027 ${NOTE}. Решение придёт сюда, в чат.`);
    disputeId = (await system.db.dispute.findFirstOrThrow()).id;
  });

  it('the support group is told once that there is no calendar for 2027 and how to load it', async () => {
    const notices = await system.db.notification.findMany({ where: { kind: 'calendar.year-missing' } });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ chatId: BigInt(GROUP_ID), state: 'PENDING' });
    const text = renderNotification(notices[0], t, 'ru').text;
    expect(text).toMatch(/^⚠️ Нет производственного календаря на 2027 год\./);
    expect(text).toContain('POST /admin/calendar/years');

    // A second deadline in 2027 says nothing new to the group.
    await maria.sendCommand('/dispute');
    await maria.pressButton('Данные профиля');
    await maria.pressButton('Специальность');
    await maria.sendText('Специальность указана неверно');
    await maria.pressButton(/udostoverenie\.pdf/);
    await maria.pressButton('Готово');
    await maria.pressButton('✅ Отправить');
    expect(last()).toBe(`Спор отправлен. Рассмотрение до 13.01.2027 ${NOTE}. Решение придёт сюда, в чат.`);
    expect(await system.db.notification.count({ where: { kind: 'calendar.year-missing' } })).toBe(1);
    rejectedId = (await system.db.dispute.findFirstOrThrow({ where: { subjectType: 'PROFILE_FIELD' } })).id;
  });

  it('the admin API marks the due date provisional, and the appeal window of a rejection on 30.12.2026', async () => {
    const listed = await admin('GET', '/admin/disputes');
    expect(listed.body.disputes).toContainEqual(
      expect.objectContaining({ id: disputeId, dueDate: '2027-01-13', provisional: true, dueFallbackYear: 2027 }),
    );
    system.clock.set(new Date('2026-12-30T12:00:00+03:00'));
    const rejected = await admin('POST', `/admin/disputes/${rejectedId}/decision`, { decision: 'REJECTED', comment: 'Нет оснований' });
    expect(rejected.body.dispute.appealWindow).toMatchObject({ endDate: '2027-01-15', provisional: true, fallbackYear: 2027 });
  });

  it('/appeal tells Мария until when she may appeal, provisionally', async () => {
    await maria.sendCommand('/appeal');
    expect(last()).toContain(`можно обжаловать до 15.01.2027 включительно ${NOTE}`);
  });

  it('on 11.01.2027 the admin loads 2027: the dates are recomputed, journaled, and Мария is told hers moved to 14.01', async () => {
    system.clock.set(new Date('2027-01-11T10:00:00+03:00'));
    const xml = readFileSync(join(findProjectRoot(), 'test/fixtures/production-calendar-2027.xml'), 'utf8');
    const loaded = await admin('POST', '/admin/calendar/years', xml);
    // Both review dates moved to 14.01 (11 January is a day off in this calendar), the appeal window to
    // 16.01 (Saturday 16 January is a working day). Мария is told of the open dispute and of the window.
    expect(loaded).toEqual({ status: 201, body: { year: 2027, replaced: false, deadlines: { recomputed: 3, moved: 3, told: 2 } } });

    const journal = await system.db.auditLog.findFirstOrThrow({ where: { action: 'deadline.recomputed', subjectId: disputeId } });
    expect(journal).toMatchObject({
      actorType: 'admin',
      actorId: 'http',
      before: { deadline: 'dispute-due', at: '2027-01-13T20:59:59.999Z', fallbackYear: 2027 },
      after: { deadline: 'dispute-due', at: '2027-01-14T20:59:59.999Z', fallbackYear: null, calendarYear: 2027 },
    });
    const told = await system.db.notification.findFirstOrThrow({ where: { kind: 'deadline.moved', subjectId: disputeId } });
    expect(told).toMatchObject({ personId: (await system.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).personId });
    expect(renderNotification(told, t, 'ru').text).toBe(
      '📅 Загружен производственный календарь на 2027 год, и срок рассмотрения вашего спора пересчитан: теперь до 14.01.2027 (было до 13.01.2027).',
    );

    const window = await system.db.notification.findFirstOrThrow({ where: { kind: 'deadline.moved', subjectId: rejectedId } });
    expect(renderNotification(window, t, 'ru').text).toBe(
      '📅 Загружен производственный календарь на 2027 год: подать апелляцию на решение по вашему спору можно до 16.01.2027 включительно (было до 15.01.2027).',
    );
    await maria.sendCommand('/appeal');
    expect(last()).toContain('можно обжаловать до 16.01.2027 включительно');
    expect(last()).not.toContain('предварительно');

    const listed = await admin('GET', '/admin/disputes');
    expect(listed.body.disputes).toContainEqual(
      expect.objectContaining({ id: disputeId, dueDate: '2027-01-14', provisional: false, dueFallbackYear: null }),
    );
    // Loading the same year again finds nothing provisional left to move.
    expect((await admin('POST', '/admin/calendar/years', xml)).body).toEqual({
      year: 2027,
      replaced: true,
      deadlines: { recomputed: 0, moved: 0, told: 0 },
    });
  });

  it('after the load, a new dispute is counted on the loaded calendar and shown without the mark', async () => {
    await maria.sendCommand('/dispute');
    await maria.pressButton('Данные профиля');
    await maria.pressButton('ФИО');
    await maria.sendText('Фамилия с ошибкой');
    await maria.pressButton(/udostoverenie\.pdf/);
    await maria.pressButton('Готово');
    await maria.pressButton('✅ Отправить');
    // Counted from 12 January: 12–15, Saturday 16 (a working day in this calendar) and 18–22 January.
    expect(last()).toBe('Спор отправлен. Рассмотрение до 22.01.2027. Решение придёт сюда, в чат.');
  });
});
