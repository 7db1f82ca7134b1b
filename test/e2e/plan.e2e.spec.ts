import * as ical from 'node-ical';
import type { SimulatedUser } from '../../standin';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Мария, a linked nurse (cycle 15.03.2023 – 14.03.2028), plans a ПК program and a conference on days that
 * overlap: both are flagged ⚠️, the projection says what would still be missing, reminders are scheduled,
 * the plan opens as a calendar file and a PDF, and removing an item cancels its reminder.
 */
describe('study plan (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let personId: string;
  const last = () =>
    maria
      .messages()
      .map((m) => m.text ?? m.caption ?? '')
      .at(-1) ?? '';

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00') });
    maria = system.standin.user({ id: 7301, first_name: 'Мария', language_code: 'ru' });
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    const person = await system.db.person.create({
      data: {
        fullName: 'Иванова Мария Петровна',
        onboardingStep: 'LINKED',
        organizationId: organization.id,
        language: 'ru',
        category: 'NURSE',
        lastAccreditationDate: new Date('2023-03-15T00:00:00Z'),
      },
    });
    personId = person.id;
    await system.db.telegramIdentity.create({ data: { telegramUserId: BigInt(7301), chatId: BigInt(7301), personId } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  async function addItem(kind: RegExp, title: string, dates: string, hours: string, provider: string | null) {
    await maria.sendCommand('/plan');
    await maria.pressButton('➕ Добавить');
    await maria.pressButton(kind);
    await maria.sendText(title);
    expect(last()).toContain('Когда?');
    await maria.sendText(dates);
    expect(last()).toContain('Сколько часов?');
    await maria.sendText(hours);
    expect(last()).toContain('Кто проводит');
    if (provider) await maria.sendText(provider);
    else await maria.pressButton('Пропустить');
    expect(last()).toContain('Проверьте');
    await maria.pressButton('✅ Добавить в план');
  }

  it('adds two overlapping items, sees both flagged ⚠️ and the projection', async () => {
    await maria.sendCommand('/plan');
    expect(last()).toContain('В плане пока ничего нет');
    await addItem(/Повышение квалификации/, 'Сестринское дело в педиатрии', '01.02.2027 - 10.02.2027', '72', 'РМАНПО');
    await addItem(/мероприятие/, 'Конференция по вакцинации', '05.02.2027', '6', null);
    const plan = last();
    expect(plan).toContain('⚠️ 01.02.2027 — 10.02.2027 · Сестринское дело в педиатрии');
    expect(plan).toContain('⚠️ 05.02.2027 · Конференция по вакцинации');
    expect(plan).toContain('к 14.03.2028 всё равно не хватит 66');
    expect(await system.db.planItem.count({ where: { personId } })).toBe(2);
    const notices = await system.db.notification.findMany({ where: { personId, kind: 'plan.starts' } });
    expect(notices.map((n) => n.dueAt.toISOString()).sort()).toEqual(['2027-01-31T06:00:00.000Z', '2027-02-04T06:00:00.000Z']);
    expect(await system.db.auditLog.count({ where: { action: 'plan-item.created', actorId: personId } })).toBe(2);
  });

  it('refuses hours outside the type range and an end before the start', async () => {
    await maria.sendCommand('/plan');
    await maria.pressButton('➕ Добавить');
    await maria.pressButton(/мероприятие/);
    await maria.sendText('Школа');
    await maria.sendText('10.02.2027 - 01.02.2027');
    expect(last()).toContain('раньше даты начала');
    await maria.sendText('01.02.2027');
    await maria.sendText('40');
    expect(last()).toContain('не больше 12');
    await maria.pressButton('Отмена');
    expect(last()).toContain('отменено');
  });

  it('exports the plan as an .ics a calendar parser reads back, and as a PDF', async () => {
    await maria.sendCommand('/plan');
    await maria.pressButton('📅 В календарь (.ics)');
    const icsMessage = maria.lastBotMessage()!;
    expect(icsMessage.document?.file_name).toBe('nmo-plan.ics');
    const events = Object.values(ical.sync.parseICS(maria.fileOf(icsMessage).toString('utf8'))).filter(
      (c): c is ical.VEvent => c?.type === 'VEVENT',
    );
    expect(events.map((e) => e.summary).sort()).toEqual([
      'Конференция по вакцинации (Образовательное мероприятие)',
      'Сестринское дело в педиатрии (Повышение квалификации (ПК))',
    ]);
    expect(events.find((e) => String(e.summary).startsWith('Сестринское'))!.description).toBe('Организатор: РМАНПО\nЧасов: 72');

    await maria.sendCommand('/plan');
    await maria.pressButton('📄 PDF для руководителя');
    const pdf = maria.lastBotMessage()!;
    expect(pdf.document?.file_name).toBe('nmo-plan-2026-11-25.pdf');
    expect(maria.fileOf(pdf).subarray(0, 5).toString()).toBe('%PDF-');
  });

  it('removes an item: the flag goes and its reminder is cancelled', async () => {
    await maria.sendCommand('/plan');
    await maria.pressButton('🗑 Удалить');
    await maria.pressButton(/Конференция по вакцинации/);
    expect(
      maria
        .messages()
        .map((m) => m.text ?? '')
        .some((t) => t.includes('Удалено из плана: Конференция по вакцинации')),
    ).toBe(true);
    expect(last()).not.toContain('⚠️');
    expect(last()).toContain('• 01.02.2027 — 10.02.2027');
    const states = await system.db.notification.findMany({ where: { personId, kind: 'plan.starts' }, orderBy: { dueAt: 'asc' } });
    expect(states.map((n) => n.state)).toEqual(['PENDING', 'CANCELLED']);
  });
});
