import type { SimulatedUser } from '../../standin';
import { DEMO_ORGANIZATION } from '../../prisma/seed';
import { createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Мария was at the resuscitation workshop but has never opened the bot: she scans the attendance code's
 * link, registers with the invite code HR gave her (MARY-2345), and is credited the workshop's 4 ЗЕТ
 * right after linking, without having to find the code and send /code.
 */
describe('attendance: a code_ link opened before linking is claimed once linked', () => {
  let system: RunningSystem;
  let code: string;
  const last = (user: SimulatedUser) => user.messages().at(-1)?.text ?? '';

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-24T16:00:00+03:00') });
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
    await createOrgAdmin(system, 6201);
    const admin = system.standin.user({ id: 6201, first_name: 'Ольга', language_code: 'ru' });
    await admin.sendCommand('/codes');
    await admin.pressButton('24.11.2026 · Сердечно-лёгочная реанимация');
    await admin.pressButton('👥 Общий — один код с лимитом');
    await admin.sendText('40');
    await admin.pressButton('7 дней');
    code = /Общий код для «Сердечно-лёгочная реанимация»: ([2-9A-Z]{4}-[2-9A-Z]{4})/.exec(last(admin))![1];
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('keeps the code through registration and credits her as soon as she is linked', async () => {
    const maria = system.standin.user({ id: 6202, first_name: 'Мария', language_code: 'ru' });
    await maria.sendCommand('/start', `code_${code}`);
    const draft = (await system.db.person.findFirstOrThrow({ where: { telegramIdentities: { some: { telegramUserId: 6202n } } } }))
      .onboardingDraft;
    expect(draft).toEqual({ attendanceCode: code.replace('-', '') });
    await maria.pressButton('Русский');
    await maria.pressButton('✅ Согласен(на)');
    await maria.pressReplyButton('📱 Отправить мой номер');
    await maria.sendText('Иванова Мария Петровна');
    await maria.pressButton('Медсестра / акушерка');
    await maria.sendText('DEMO');
    expect(await system.db.creditEntry.count({ where: { source: 'ATTENDANCE_CODE' } })).toBe(0);
    await maria.sendText('MARY-2345');
    const texts = maria.messages().map((m) => m.text ?? '');
    expect(texts.some((t) => t.includes('Готово! Вы привязаны к организации'))).toBe(true);
    expect(last(maria)).toBe('Засчитано: 4 ЗЕТ за «Сердечно-лёгочная реанимация». Запись подтверждена организацией.');
    const person = await system.db.person.findFirstOrThrow({ where: { fullName: 'Иванова Мария Петровна', onboardingStep: 'LINKED' } });
    const entry = await system.db.creditEntry.findFirstOrThrow({ where: { source: 'ATTENDANCE_CODE' } });
    expect(entry).toMatchObject({ personId: person.id, quantity: 4, verification: 'VERIFIED' });
    expect(person.onboardingDraft).toEqual({});
    expect((await system.db.attendanceCode.findFirstOrThrow()).claimCount).toBe(1);
  });
});
