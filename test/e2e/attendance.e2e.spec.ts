import type { SimulatedUser } from '../../standin';
import { DEMO_ORGANIZATION } from '../../prisma/seed';
import { createLinkedPerson, createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * After a resuscitation workshop the education department's admin issues a shared code in the bot;
 * Нина, a nurse who was there, sends `/code <it>` and is credited 4 ЗЕТ, visible in /credits; sending it
 * again changes nothing. Вера opens the code's deep link instead; a nurse without the role cannot issue.
 * The admin then sees who checked in, and revokes the code (confirmed by a second press): Полина, late,
 * is refused.
 */
describe('attendance codes: the admin issues a shared code, nurses claim it', () => {
  let system: RunningSystem;
  let admin: SimulatedUser;
  let nina: SimulatedUser;
  let code: string;

  const lastText = (user: SimulatedUser) => user.messages().at(-1)?.text ?? '';

  beforeAll(async () => {
    system = await startSystem();
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: DEMO_ORGANIZATION.code } });
    await system.db.event.create({
      data: {
        organizationId: organization.id,
        title: 'Сердечно-лёгочная реанимация',
        format: 'COURSE_SESSION',
        kind: 'EVENT',
        startsAt: new Date('2026-11-24T07:00:00Z'),
        endsAt: new Date('2026-11-24T11:00:00Z'),
        zet: 4,
      },
    });
    await createOrgAdmin(system, 6101);
    await createLinkedPerson(system, 6102, {
      fullName: 'Сестрова Нина Павловна',
      category: 'NURSE',
      lastAccreditationDate: new Date('2024-03-15'),
    });
    await createLinkedPerson(system, 6103, { fullName: 'Верова Вера', category: 'NURSE' });
    admin = system.standin.user({ id: 6101, first_name: 'Ольга', language_code: 'ru' });
    nina = system.standin.user({ id: 6102, first_name: 'Нина', language_code: 'ru' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('the admin picks the event, a shared code, its limit and validity, and gets the code once', async () => {
    await admin.sendCommand('/codes');
    expect(lastText(admin)).toBe('Для какого мероприятия выдать коды?');
    await admin.pressButton('24.11.2026 · Сердечно-лёгочная реанимация');
    expect(lastText(admin)).toBe('«Сердечно-лёгочная реанимация», 4 ЗЕТ. Какие коды выдать?');
    await admin.pressButton('👥 Общий — один код с лимитом');
    await admin.sendText('сорок');
    expect(lastText(admin)).toContain('Нужно целое число от 1 до 5000');
    await admin.sendText('40');
    expect(lastText(admin)).toBe('Сколько дней код действует?');
    await admin.pressButton('7 дней');
    const issued = lastText(admin);
    const match = /Общий код для «Сердечно-лёгочная реанимация»: ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(issued);
    expect(match).not.toBeNull();
    code = match![1];
    expect(issued).toContain(`https://t.me/${system.standin.botUser.username}?start=code_${code}`);
    expect(issued).toContain('До 40 отметок, действует до 02.12.2026 12:00');
    const stored = await system.db.attendanceCode.findFirstOrThrow();
    expect(stored).toMatchObject({ maxClaims: 40, claimCount: 0, expiresAt: new Date('2026-12-02T09:00:00Z') });
    expect(stored.codeHash).not.toContain(code.replace('-', ''));
  });

  it('Нина sends /code with it and sees the 4 ЗЕТ in /credits', async () => {
    await nina.sendCommand('/code', code.toLowerCase());
    expect(lastText(nina)).toBe('Засчитано: 4 ЗЕТ за «Сердечно-лёгочная реанимация». Запись подтверждена организацией.');
    await nina.pressButton('📊 Мои баллы');
    const balance = nina.messages().find((m) => m.text?.includes('Баллы НМО'))?.text ?? '';
    expect(balance).toContain('Набрано 4 из 144');
    const entry = await system.db.creditEntry.findFirstOrThrow({ where: { source: 'ATTENDANCE_CODE' } });
    expect(entry).toMatchObject({ creditTypeCode: 'event', quantity: 4, verification: 'VERIFIED' });
  });

  it('sending the same code again changes nothing', async () => {
    await nina.sendCommand('/code', code);
    expect(lastText(nina)).toBe('Вы уже отметились на «Сердечно-лёгочная реанимация» (25.11.2026): баллы засчитаны. Посмотреть: /credits');
    expect(await system.db.creditEntry.count({ where: { source: 'ATTENDANCE_CODE' } })).toBe(1);
  });

  it('a bare /code takes the next message as the code, and a wrong one is counted', async () => {
    await nina.sendCommand('/code');
    expect(lastText(nina)).toContain('Введите код');
    await nina.sendText('ZZZZ-ZZZZ');
    expect(lastText(nina)).toBe('Код не подошёл. Проверьте его и отправьте ещё раз (осталось попыток: 4).');
  });

  it('Вера opens the deep link and is credited; a nurse without the role cannot issue codes', async () => {
    const vera = system.standin.user({ id: 6103, first_name: 'Вера', language_code: 'ru' });
    await vera.sendCommand('/start', `code_${code}`);
    expect(lastText(vera)).toContain('Засчитано: 4 ЗЕТ');
    await vera.sendCommand('/codes');
    expect(lastText(vera)).toContain('Эта команда — для администраторов вашей организации');
    expect((await system.db.attendanceCode.findFirstOrThrow()).claimCount).toBe(2);
  });

  it('the admin sees who checked in: names, when, ЗЕТ, and claims against sign-ups', async () => {
    await admin.sendCommand('/codes');
    await admin.pressButton('24.11.2026 · Сердечно-лёгочная реанимация');
    await admin.pressButton('📋 Кто отметился');
    const lines = lastText(admin).split('\n');
    expect(lines[0]).toBe('Кто отметился на «Сердечно-лёгочная реанимация»: 2, записались: 0.');
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/^1\. Сестрова Нина Павловна — 25\.11\.2026 \d\d:\d\d — 4 ЗЕТ$/),
      expect.stringMatching(/^2\. Верова Вера — 25\.11\.2026 \d\d:\d\d — 4 ЗЕТ$/),
    ]);
  });

  it('revokes the unused code only on the second press; the code is then refused and credits stay', async () => {
    // The event's buttons stay after looking at the list: revoking starts from the same message.
    await admin.pressButton('⛔ Отозвать коды');
    expect(lastText(admin)).toBe(
      'Отозвать неиспользованные коды «Сердечно-лёгочная реанимация» (кодов: 1)? Отметиться ими больше не получится, и отменить это нельзя. Уже начисленные баллы останутся.',
    );
    expect((await system.db.attendanceCode.findFirstOrThrow()).revokedAt).toBeNull();
    await admin.pressButton('⛔ Да, отозвать');
    expect(lastText(admin)).toBe(
      '⛔ «Сердечно-лёгочная реанимация»: кодов отозвано — 1. Отметиться ими больше нельзя; уже начисленные баллы остались.',
    );
    expect((await system.db.attendanceCode.findFirstOrThrow()).revokedAt).toBeInstanceOf(Date);
    expect(await system.db.auditLog.count({ where: { action: 'attendance-codes.revoked' } })).toBe(1);

    await createLinkedPerson(system, 6104, { fullName: 'Поздняя Полина', category: 'NURSE' });
    const polina = system.standin.user({ id: 6104, first_name: 'Полина', language_code: 'ru' });
    await polina.sendCommand('/code', code);
    expect(lastText(polina)).toBe(
      'Этот код для «Сердечно-лёгочная реанимация» отозван организатором. Обратитесь в отдел обучения за новым.',
    );
    expect(await system.db.creditEntry.count({ where: { source: 'ATTENDANCE_CODE' } })).toBe(2);

    // Nothing left to revoke: said at once, without a confirmation.
    await admin.sendCommand('/codes');
    await admin.pressButton('24.11.2026 · Сердечно-лёгочная реанимация');
    await admin.pressButton('⛔ Отозвать коды');
    expect(lastText(admin)).toBe('У «Сердечно-лёгочная реанимация» нет неиспользованных действующих кодов — отзывать нечего.');
    expect(await system.db.auditLog.count({ where: { action: 'attendance-codes.revoked' } })).toBe(1);
  });

  it("a list longer than a message comes as a CSV file with the column names in the admin's language", async () => {
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: DEMO_ORGANIZATION.code } });
    await system.db.event.create({
      data: {
        organizationId: organization.id,
        title: 'Школа сахарного диабета',
        format: 'CONFERENCE',
        kind: 'EVENT',
        startsAt: new Date('2026-11-23T07:00:00Z'),
        endsAt: new Date('2026-11-23T11:00:00Z'),
        zet: 2,
      },
    });
    await admin.sendCommand('/codes');
    await admin.pressButton('23.11.2026 · Школа сахарного диабета');
    await admin.pressButton('👥 Общий — один код с лимитом');
    await admin.sendText('100');
    await admin.pressButton('7 дней');
    const shared = /Общий код для «Школа сахарного диабета»: ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(lastText(admin))![1];
    for (let i = 0; i < 31; i++) {
      await createLinkedPerson(system, 6200 + i, { fullName: `Слушатель ${String(i + 1).padStart(2, '0')}; школа`, category: 'NURSE' });
      await system.standin.user({ id: 6200 + i, first_name: 'Слушатель', language_code: 'ru' }).sendCommand('/code', shared);
    }
    await admin.sendCommand('/codes');
    await admin.pressButton('23.11.2026 · Школа сахарного диабета');
    await admin.pressButton('📋 Кто отметился');
    const file = admin.lastBotMessage()!;
    expect(file.document?.file_name).toBe('attendance-claims.csv');
    expect(file.caption).toBe('Кто отметился на «Школа сахарного диабета»: 31, записались: 0.');
    const rows = admin
      .fileOf(file)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(rows).toHaveLength(32);
    expect(rows[0]).toBe('ФИО;Отметился;ЗЕТ');
    expect(rows[1]).toMatch(/^"Слушатель 01; школа";25\.11\.2026 \d\d:\d\d;2$/);
  });
});
