import { CalendarRepository } from '../../core/calendar/calendar.repository';
import { deadlineAfter, moscowDateOf } from '../../core/calendar/deadline';
import type { SimulatedUser } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Мария disputes an imported record (36 hours where her certificate says 72), the reviewer rejects it,
 * she appeals within 5 working days and the appeal is approved: the record becomes 72. Every date she is
 * shown is checked against the production calendar. Пётр, whose rejection is older, is told the window
 * has closed and when; Мария pressing a crafted button with Пётр's dispute learns nothing.
 */
const TOKEN = 'admin-token-for-disputes-e2e-0123456789';
const ru = (iso: string) => iso.split('-').reverse().join('.');

describe('dispute → rejection → appeal → approval (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let petr: SimulatedUser;
  let calendar: CalendarRepository;
  let entryId: string;
  let petrDisputeId: string;
  let mariaDisputeId: string;

  const texts = (user: SimulatedUser) => user.messages().map((m) => m.text ?? m.caption ?? '');
  const last = (user: SimulatedUser) => texts(user).at(-1) ?? '';
  const admin = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const dueDay = async (event: Date, workingDays: number) => ru(moscowDateOf(deadlineAfter(await calendar.current(), event, workingDays)));

  async function linkedPerson(telegramUserId: number, fullName: string) {
    const person = await createLinkedPerson(system, telegramUserId, { fullName });
    const entry = await system.db.creditEntry.create({
      data: {
        personId: person.id,
        creditTypeCode: 'pk',
        quantity: 36,
        occurredOn: new Date('2025-10-01T00:00:00Z'),
        title: 'Сестринское дело',
        source: 'IMPORT',
      },
    });
    await system.db.document.create({
      data: {
        personId: person.id,
        kind: 'CERTIFICATE',
        sha256: `sha-${telegramUserId}`,
        mediaType: 'application/pdf',
        sizeBytes: 1000,
        storageKey: `k/${telegramUserId}`,
        originalName: 'udostoverenie.pdf',
      },
    });
    return { person, entry };
  }

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2025-12-26T10:00:00+03:00'), env: { ADMIN_API_TOKEN: TOKEN }, worker: true });
    calendar = new CalendarRepository(system.db);
    maria = system.standin.user({ id: 7001, first_name: 'Мария', language_code: 'ru' });
    petr = system.standin.user({ id: 7002, first_name: 'Пётр', language_code: 'ru' });
    entryId = (await linkedPerson(7001, 'Иванова Мария Петровна')).entry.id;
    const p = await linkedPerson(7002, 'Петров Пётр Петрович');
    const document = await system.db.document.findFirstOrThrow({ where: { personId: p.person.id } });
    const dispute = await system.db.dispute.create({
      data: {
        personId: p.person.id,
        subjectType: 'CREDIT_ENTRY',
        subjectId: p.entry.id,
        reason: 'неверно',
        requestedValue: '40',
        dueAt: new Date('2026-01-21T20:59:59.999Z'),
        filedAt: system.clock.now(),
      },
    });
    await system.db.documentLink.create({ data: { documentId: document.id, subjectType: 'DISPUTE', subjectId: dispute.id } });
    petrDisputeId = dispute.id;
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('files a dispute with evidence on Friday 26.12.2025 and is told the review ends 21.01.2026', async () => {
    await maria.sendCommand('/dispute');
    expect(last(maria)).toBe('Что неверно?');
    await maria.pressButton('Запись о баллах');
    await maria.pressButton(/Сестринское дело · 36/);
    expect(last(maria)).toContain('Опишите, что не так');
    await maria.sendText('В удостоверении 72 часа, а засчитано 36');
    expect(last(maria)).toContain('Сколько должно быть');
    await maria.sendText('72');
    expect(last(maria)).toContain('Выберите документы');
    await maria.pressButton('Готово');
    expect(await system.db.dispute.count({ where: { person: { fullName: 'Иванова Мария Петровна' } } })).toBe(0);
    await maria.pressButton(/udostoverenie\.pdf/);
    await maria.pressButton('Готово');
    expect(last(maria)).toContain('Проверьте спор');
    await maria.pressButton('✅ Отправить');

    const expected = await dueDay(system.clock.now(), 10);
    expect(expected).toBe('21.01.2026');
    expect(last(maria)).toBe(`Спор отправлен. Рассмотрение до ${expected}. Решение придёт сюда, в чат.`);
    const dispute = await system.db.dispute.findFirstOrThrow({ where: { subjectId: entryId } });
    expect(dispute).toMatchObject({ status: 'SUBMITTED', requestedValue: '72' });
    mariaDisputeId = dispute.id;
  });

  it('the reviewer rejects both disputes on Monday 29.12.2025 through the admin API (400, 404, 409 on the way)', async () => {
    system.clock.set(new Date('2025-12-29T12:00:00+03:00'));
    const listed = await admin('GET', '/admin/disputes?status=SUBMITTED');
    expect(listed.status).toBe(200);
    expect(listed.body.disputes.map((d: { id: string }) => d.id).sort()).toEqual([mariaDisputeId, petrDisputeId].sort());
    expect((await admin('GET', '/admin/disputes?status=LOST')).status).toBe(400);
    expect((await admin('POST', `/admin/disputes/${mariaDisputeId}/decision`, { decision: 'MAYBE', comment: 'x' })).status).toBe(400);
    expect(
      (await admin('POST', '/admin/disputes/00000000-0000-0000-0000-000000000000/decision', { decision: 'REJECTED', comment: 'x' })).status,
    ).toBe(404);

    const rejected = await admin('POST', `/admin/disputes/${mariaDisputeId}/decision`, {
      decision: 'REJECTED',
      comment: 'Копия не читается',
    });
    expect(rejected).toMatchObject({
      status: 200,
      body: { dispute: { status: 'REJECTED', decisionComment: 'Копия не читается' }, corrected: false },
    });
    expect(
      (await admin('POST', `/admin/disputes/${petrDisputeId}/decision`, { decision: 'REJECTED', comment: 'Нет оснований' })).status,
    ).toBe(200);
    const again = await admin('POST', `/admin/disputes/${mariaDisputeId}/decision`, { decision: 'APPROVED', comment: 'передумали' });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('illegal transition');
    expect(await system.db.notification.count({ where: { kind: 'dispute.decided' } })).toBe(2);
  });

  it('tells Мария of the rejection, until when she may appeal, with the button that files it', async () => {
    const call = await system.standin.waitForCall(
      (c) => c.method === 'sendMessage' && c.chatId === maria.id && String(c.params.text).includes('оспаривание отклонено'),
      { timeoutMs: 15_000 },
    );
    expect(String(call.params.text)).toContain('Копия не читается');
    expect(String(call.params.text)).toContain('до 15.01.2026 включительно');
    expect(JSON.stringify(call.params.reply_markup)).toContain(`apl:${mariaDisputeId}`);
  });

  it('Мария appeals within the window, told until when, and the review date', async () => {
    const decidedAt = (await system.db.dispute.findUniqueOrThrow({ where: { id: mariaDisputeId } })).decidedAt!;
    const windowEnd = await dueDay(decidedAt, 5);
    expect(windowEnd).toBe('15.01.2026');

    system.clock.set(new Date('2026-01-15T18:00:00+03:00'));
    await maria.sendCommand('/appeal');
    expect(last(maria)).toContain(`можно обжаловать до ${windowEnd} включительно`);
    await maria.pressButton('Обжаловать спор от 26.12.2025');
    expect(last(maria)).toContain(`до ${windowEnd} включительно`);
    await maria.sendText('Прилагаю читаемую копию удостоверения');
    const reviewBy = await dueDay(system.clock.now(), 15);
    expect(reviewBy).toBe('05.02.2026');
    expect(last(maria)).toBe(`Апелляция подана. Рассмотрение до ${reviewBy}. Её решение будет окончательным.`);
  });

  it('Пётр, after the window, is told it closed and when; a crafted button with his dispute reveals nothing to Мария', async () => {
    system.clock.set(new Date('2026-01-16T09:00:00+03:00'));
    await petr.sendCommand('/appeal');
    expect(last(petr)).toContain('Срок подачи апелляции истёк 15.01.2026');
    expect(petr.messages().at(-1)?.reply_markup).toBeUndefined();

    const messageId = maria.messages().at(-1)!.message_id;
    const pressed = await maria.pressButton({ messageId, data: `apl:${petrDisputeId}` });
    expect(maria.answerOf(pressed)?.text).toBe('Не найдено.');
    const craftedEntry = await maria.pressButton({ messageId, data: `apl:00000000-0000-0000-0000-000000000000` });
    expect(maria.answerOf(craftedEntry)?.text).toBe('Не найдено.');
    expect(await system.db.appeal.count({ where: { disputeId: petrDisputeId } })).toBe(0);
  });

  it('the appeal is approved: the record becomes 72, and the decision is final', async () => {
    const appeals = await admin('GET', '/admin/appeals');
    expect(appeals.body.appeals).toHaveLength(1);
    const appealId = appeals.body.appeals[0].id;
    expect(appeals.body.appeals[0].dueDate).toBe('2026-02-05');
    const approved = await admin('POST', `/admin/appeals/${appealId}/decision`, { decision: 'APPROVED', comment: 'Копия читается' });
    expect(approved).toMatchObject({ status: 200, body: { corrected: true, final: true, appeal: { status: 'APPROVED' } } });
    expect((await system.db.creditEntry.findUniqueOrThrow({ where: { id: entryId } })).quantity).toBe(72);
    expect((await admin('POST', `/admin/appeals/${appealId}/decision`, { decision: 'REJECTED', comment: 'нет' })).status).toBe(409);
    expect(await system.db.auditLog.count({ where: { action: 'credit-entry.corrected-by-dispute', subjectId: entryId } })).toBe(1);
  });
});
