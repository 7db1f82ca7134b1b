import { tinyJpeg, tinyPdf, tinyPng } from '../../core/documents/fixtures';
import type { SimulatedUser } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Мария confirms her authority: her first scan is rejected as unreadable, the notice (in Russian) says why
 * and offers «Загрузить снова», the second one is accepted for a year. John reads his rejection in English.
 * Then Мария's application waiting for a certificate moves to «На рассмотрении» once she attaches one from its card.
 */
const TOKEN = 'admin-token-for-identity-e2e-0123456789';

describe('identity confirmation and attaching a missing document to an application', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let john: SimulatedUser;
  let mariaId: string;

  const last = (user: SimulatedUser) => {
    const message = user.messages().at(-1);
    return message?.text ?? message?.caption ?? '';
  };
  const admin = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json()) as any };
  };
  const pendingOf = async (personId: string) =>
    (await system.db.identityConfirmation.findFirstOrThrow({ where: { personId, status: 'PENDING' } })).id;

  async function linkedPerson(telegramUserId: number, fullName: string, language: 'ru' | 'en') {
    return createLinkedPerson(system, telegramUserId, { fullName, language });
  }

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-03-02T10:00:00+03:00'), env: { ADMIN_API_TOKEN: TOKEN }, worker: true });
    maria = system.standin.user({ id: 7101, first_name: 'Мария', language_code: 'ru' });
    john = system.standin.user({ id: 7102, first_name: 'John', language_code: 'en' });
    mariaId = (await linkedPerson(7101, 'Иванова Мария Петровна', 'ru')).id;
    await linkedPerson(7102, 'John Smith', 'en');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('uploads a power of attorney from /identity and sees it pending since today', async () => {
    await maria.sendCommand('/identity');
    expect(last(maria)).toContain('ещё не загружен');
    await maria.pressButton('📎 Загрузить документ');
    expect(last(maria)).toContain('доверенность, устав или приказ');
    await maria.sendPhoto({ buffer: tinyJpeg(11) });
    expect(last(maria)).toContain('Документ получен и отправлен на проверку (02.03.2026)');
    const document = await system.db.document.findFirstOrThrow({ where: { personId: mariaId } });
    expect(document.kind).toBe('IDENTITY');

    await maria.sendCommand('/identity');
    expect(last(maria)).toContain('Документ на проверке с 02.03.2026');
    // A file sent later, without the prompt, is an ordinary document again.
    await maria.sendDocument({ buffer: tinyPng(3), file_name: 'other.png', mime_type: 'image/png' });
    expect(last(maria)).toContain('Документ сохранён');
    expect(await system.db.identityConfirmation.count({ where: { personId: mariaId } })).toBe(1);
  });

  it('the reviewer rejects it through the admin API (400, 404, 409 on the way)', async () => {
    expect((await admin('GET', '/admin/identity-confirmations?status=LOST')).status).toBe(400);
    const listed = await admin('GET', '/admin/identity-confirmations?status=PENDING');
    expect(listed.status).toBe(200);
    expect(listed.body.confirmations).toHaveLength(1);
    const id = listed.body.confirmations[0].id;
    expect(listed.body.confirmations[0].person.fullName).toBe('Иванова Мария Петровна');
    expect((await fetch(`${system.baseUrl}/admin/identity-confirmations`)).status).toBe(401);
    expect(
      (await admin('POST', `/admin/identity-confirmations/${id}/decision`, { decision: 'REJECTED', errorCode: 'unreadable' })).status,
    ).toBe(400);
    expect(
      (await admin('POST', '/admin/identity-confirmations/00000000-0000-0000-0000-000000000000/decision', { decision: 'SUCCESS' })).status,
    ).toBe(404);

    system.clock.set(new Date('2026-03-02T15:00:00+03:00'));
    const rejected = await admin('POST', `/admin/identity-confirmations/${id}/decision`, {
      decision: 'REJECTED',
      errorCode: 'unreadable',
      recommendation: 'Сфотографируйте страницу целиком при дневном свете',
    });
    expect(rejected).toMatchObject({
      status: 200,
      body: { confirmation: { status: 'REJECTED', errorCode: 'unreadable', reviewerId: 'admin:http' } },
    });
    expect((await admin('POST', `/admin/identity-confirmations/${id}/decision`, { decision: 'SUCCESS' })).status).toBe(409);
    expect(await system.db.auditLog.count({ where: { action: 'identity.decided', subjectId: id } })).toBe(1);
  });

  it('tells Мария in Russian why, with «Загрузить снова», and /identity shows the same', async () => {
    const call = await system.standin.waitForCall(
      (c) => c.method === 'sendMessage' && c.chatId === maria.id && String(c.params.text).includes('отклонён'),
      { timeoutMs: 15_000 },
    );
    expect(String(call.params.text)).toContain('Причина: документ не читается');
    expect(String(call.params.text)).toContain('Сфотографируйте страницу целиком при дневном свете');
    expect(JSON.stringify(call.params.reply_markup)).toContain('idn:up');

    await maria.sendCommand('/identity');
    expect(last(maria)).toContain('Документ отклонён 02.03.2026');
    expect(last(maria)).toContain('Причина: документ не читается');
  });

  it('re-uploads from the notice’s button, is accepted, and /identity shows «Успешно» until a year later', async () => {
    const notice = maria
      .messages()
      .find((m) => (m.text ?? '').includes('Причина: документ не читается') && JSON.stringify(m.reply_markup ?? {}).includes('idn:up'))!;
    await maria.pressButton({ messageId: notice.message_id, data: 'idn:up' });
    await maria.sendDocument({ buffer: tinyPdf('доверенность'), file_name: 'доверенность.pdf', mime_type: 'application/pdf' });
    expect(last(maria)).toContain('отправлен на проверку');
    expect(await system.db.identityConfirmation.count({ where: { personId: mariaId } })).toBe(2);

    system.clock.set(new Date('2026-03-03T12:00:00+03:00'));
    const accepted = await admin('POST', `/admin/identity-confirmations/${await pendingOf(mariaId)}/decision`, { decision: 'SUCCESS' });
    expect(accepted).toMatchObject({ status: 200, body: { confirmation: { status: 'SUCCESS', expiresAt: '2027-03-03T09:00:00.000Z' } } });
    await system.standin.waitForCall(
      (c) => c.method === 'sendMessage' && c.chatId === maria.id && String(c.params.text).includes('Успешно'),
      { timeoutMs: 15_000 },
    );

    await maria.sendCommand('/identity');
    expect(last(maria)).toContain('Успешно');
    expect(last(maria)).toContain('действует до 03.03.2027');
  });

  it('John reads his rejection in English', async () => {
    await john.sendCommand('/identity');
    await john.pressButton('📎 Upload a document');
    await john.sendDocument({ buffer: tinyPdf('charter'), file_name: 'charter.pdf', mime_type: 'application/pdf' });
    const johnId = (await system.db.telegramIdentity.findFirstOrThrow({ where: { telegramUserId: BigInt(7102) } })).personId;
    const decided = await admin('POST', `/admin/identity-confirmations/${await pendingOf(johnId)}/decision`, {
      decision: 'REJECTED',
      errorCode: 'not-authority',
      recommendation: 'Upload the order appointing you',
    });
    expect(decided.status).toBe(200);
    const call = await system.standin.waitForCall(
      (c) => c.method === 'sendMessage' && c.chatId === john.id && String(c.params.text).includes('rejected'),
      { timeoutMs: 15_000 },
    );
    expect(String(call.params.text)).toContain('Reason: the document does not confirm authority');
    expect(JSON.stringify(call.params.reply_markup)).toContain('Upload again');
  });

  it('attaches a certificate to an application waiting for one: «На рассмотрении», in the history', async () => {
    const application = await system.db.application.create({
      data: {
        personId: mariaId,
        kind: 'accreditation',
        title: 'Периодическая аккредитация',
        status: 'ACTION_REQUIRED',
        requiredDocuments: ['CERTIFICATE'],
        statusChangedAt: system.clock.now(),
      },
    });
    await system.db.applicationTransition.create({
      data: { applicationId: application.id, toStatus: 'ACTION_REQUIRED', actor: 'admin:http', at: system.clock.now() },
    });

    await maria.sendDocument({ buffer: tinyPdf('удостоверение ПК'), file_name: 'udostoverenie.pdf', mime_type: 'application/pdf' });
    await maria.pressButton('Сертификат');

    await maria.sendCommand('/applications');
    await maria.pressButton(/Периодическая аккредитация/);
    expect(last(maria)).toContain('Требуется действие');
    await maria.pressButton('📎 Прикрепить документ');
    expect(last(maria)).toContain('Какой документ прикрепить');
    const before = maria.messages().length;
    await maria.pressButton(/udostoverenie\.pdf/);
    // The status change is also announced by the worker, whenever its queue gets to it: the card is
    // among the messages since the press, not necessarily the last one.
    const since = maria
      .messages()
      .slice(before)
      .map((m) => m.text ?? m.caption ?? '');
    expect(since).toContainEqual(expect.stringContaining('Статус: На рассмотрении'));

    const after = await system.db.application.findUniqueOrThrow({ where: { id: application.id } });
    expect(after.status).toBe('UNDER_REVIEW');
    await maria.pressButton('Открыть заявление');
    expect(last(maria)).toMatch(/03\.03\.2026 — На рассмотрении \(автоматически\)/);
    expect(await system.db.auditLog.count({ where: { action: 'document.attach', actorId: mariaId } })).toBe(1);
  });
});
