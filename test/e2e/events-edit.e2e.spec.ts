import type { SimulatedUser } from '../../standin';
import { DEMO_ORGANIZATION } from '../../prisma/seed';
import { createLinkedPerson, createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Ольга corrects a planned workshop from the bot: it awards 4 ЗЕТ, not 2, and the room holds 20, not 30
 * (a typo on the way is explained and she types again); she tries 1 seat while 2 nurses are signed up
 * and is told why not; then she starts a program with /programs and puts the workshop in it, raises its
 * budget (a typo first), archives it (confirmed by a second press) and restores it.
 */
describe('events: an admin edits an event and groups it into a program (ru)', () => {
  let system: RunningSystem;
  let olga: SimulatedUser;
  let eventId: string;
  const last = (user: SimulatedUser) =>
    user
      .messages()
      .map((m) => m.text ?? '')
      .at(-1) ?? '';

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-12-01T09:00:00+03:00') });
    olga = system.standin.user({ id: 8301, first_name: 'Ольга', language_code: 'ru' });
    await createOrgAdmin(system, 8301);
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: DEMO_ORGANIZATION.code } });
    const event = await system.db.event.create({
      data: {
        organizationId: organization.id,
        title: 'Сердечно-лёгочная реанимация',
        format: 'COURSE_SESSION',
        kind: 'EVENT',
        startsAt: new Date('2026-12-15T07:00:00Z'),
        endsAt: new Date('2026-12-15T11:00:00Z'),
        place: 'Симуляционный центр',
        zet: 2,
        capacity: 30,
      },
    });
    eventId = event.id;
    for (const id of [8302, 8303]) {
      const nurse = await createLinkedPerson(system, id, { category: 'NURSE' });
      await system.db.eventRegistration.create({ data: { eventId, personId: nurse.id } });
    }
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('changes the ЗЕТ: a typo is explained and nothing is lost; the answer shows before → after and the journal keeps both', async () => {
    await olga.sendCommand('/events_admin');
    await olga.pressButton(/Изменить: Сердечно/);
    expect(last(olga)).toBe('Что изменить в «Сердечно-лёгочная реанимация»?');
    await olga.pressButton('ЗЕТ');
    expect(last(olga)).toContain('Сейчас: 2');
    await olga.sendText('четыре');
    expect(last(olga)).toContain('ЗЕТ — число больше нуля');
    await olga.sendText('4');
    expect(last(olga)).toBe('✅ «Сердечно-лёгочная реанимация» — ЗЕТ: 2 → 4');
    const journal = await system.db.auditLog.findFirstOrThrow({ where: { subjectId: eventId, action: 'event.updated' } });
    expect([(journal.before as { zet: number }).zet, (journal.after as { zet: number }).zet]).toEqual([2, 4]);
    expect(journal.actorType).toBe('admin');
  });

  it('refuses fewer seats than people signed up, saying how many, and takes a number that fits', async () => {
    await olga.sendCommand('/events_admin');
    expect(last(olga)).toContain('записано: 2/30');
    await olga.pressButton(/Изменить: Сердечно/);
    await olga.pressButton('Мест');
    await olga.sendText('1');
    expect(last(olga)).toContain('Нельзя сделать мест меньше, чем уже записалось: записано 2');
    expect((await system.db.event.findUniqueOrThrow({ where: { id: eventId } })).capacity).toBe(30);
    await olga.sendText('20');
    expect(last(olga)).toBe('✅ «Сердечно-лёгочная реанимация» — Мест: 30 → 20');
    const journal = await system.db.auditLog.findMany({ where: { subjectId: eventId, action: 'event.updated' }, orderBy: { at: 'asc' } });
    expect(journal.map((r) => [(r.before as { capacity: number }).capacity, (r.after as { capacity: number }).capacity])).toEqual([
      [30, 30],
      [30, 20],
    ]);
  });

  it('creates a program with /programs (budget typed wrong first) and puts the event in it', async () => {
    await olga.sendCommand('/programs');
    expect(last(olga)).toContain('Программ пока нет');
    await olga.pressButton('➕ Новая программа');
    await olga.sendText('Неотложная помощь 2027');
    await olga.sendText('Весь средний персонал владеет СЛР');
    await olga.pressButton('Пропустить');
    await olga.sendText('много');
    expect(last(olga)).toContain('Сумма — число в рублях');
    await olga.sendText('150 000');
    expect(last(olga)).toContain('Программа «Неотложная помощь 2027» создана');
    const program = await system.db.program.findFirstOrThrow({ where: { title: 'Неотложная помощь 2027' } });
    expect(program).toMatchObject({ goal: 'Весь средний персонал владеет СЛР', criteria: null });
    expect(Number(program.budget)).toBe(150000);

    await olga.sendCommand('/events_admin');
    await olga.pressButton(/Изменить: Сердечно/);
    await olga.pressButton('Программа');
    await olga.pressButton('Неотложная помощь 2027');
    expect(last(olga)).toBe('✅ «Сердечно-лёгочная реанимация» — Программа: — → Неотложная помощь 2027');
    expect((await system.db.event.findUniqueOrThrow({ where: { id: eventId } })).programId).toBe(program.id);

    await olga.sendCommand('/programs');
    expect(last(olga)).toContain('Мероприятий: 1');
    expect(last(olga)).toMatch(/Бюджет: 150\s000 ₽/);
  });

  it("edits the program's budget: a typo is explained and nothing is lost; the answer shows before → after and the journal keeps both", async () => {
    const program = await system.db.program.findFirstOrThrow({ where: { title: 'Неотложная помощь 2027' } });
    await olga.sendCommand('/programs');
    await olga.pressButton('✏️ Изменить: Неотложная помощь 2027');
    expect(last(olga)).toBe('Что изменить в программе «Неотложная помощь 2027»?');
    await olga.pressButton('Бюджет');
    expect(last(olga)).toMatch(/^Бюджет программы «Неотложная помощь 2027»\. Сейчас: 150\s000 ₽\nОтправьте новое значение\.$/);
    await olga.sendText('двести тысяч');
    expect(last(olga)).toBe('Сумма — число в рублях, например 150000 или 1500,50.');
    expect(Number((await system.db.program.findUniqueOrThrow({ where: { id: program.id } })).budget)).toBe(150000);
    await olga.sendText('200 000');
    expect(last(olga)).toMatch(/^✅ Программа «Неотложная помощь 2027» — Бюджет: 150\s000 ₽ → 200\s000 ₽$/);
    expect(Number((await system.db.program.findUniqueOrThrow({ where: { id: program.id } })).budget)).toBe(200000);
    const journal = await system.db.auditLog.findFirstOrThrow({ where: { subjectId: program.id, action: 'program.updated' } });
    expect([(journal.before as { budget: string }).budget, (journal.after as { budget: string }).budget].map(Number)).toEqual([
      150000, 200000,
    ]);
    expect(journal.actorType).toBe('admin');
    // The edit is over: the next text is not taken as a budget.
    await olga.sendText('300000');
    expect(Number((await system.db.program.findUniqueOrThrow({ where: { id: program.id } })).budget)).toBe(200000);
  });

  it('archives a program only on the second press, and restores it', async () => {
    const program = await system.db.program.findFirstOrThrow({ where: { title: 'Неотложная помощь 2027' } });
    const archivedAt = async () => (await system.db.program.findUniqueOrThrow({ where: { id: program.id } })).archivedAt;
    await olga.sendCommand('/programs');
    await olga.pressButton('🗄 В архив: Неотложная помощь 2027');
    expect(last(olga)).toBe(
      'Отправить программу «Неотложная помощь 2027» в архив? Её мероприятия останутся, но новые в неё добавить будет нельзя. Вернуть её можно в /programs.',
    );
    expect(await archivedAt()).toBeNull();
    await olga.pressButton('Отмена');
    expect(last(olga)).toBe('Программа «Неотложная помощь 2027» осталась активной.');
    expect(await archivedAt()).toBeNull();

    await olga.sendCommand('/programs');
    await olga.pressButton('🗄 В архив: Неотложная помощь 2027');
    const confirmation = olga.messages().at(-1)!;
    const yes = (confirmation.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard
      .flat()
      .find((b) => b.text === '🗄 Да, в архив')!;
    await olga.pressButton('🗄 Да, в архив');
    const texts = olga
      .messages()
      .slice(-2)
      .map((m) => m.text ?? '');
    expect(texts[0]).toBe('🗄 Программа «Неотложная помощь 2027» в архиве. Её мероприятия остались, новые в неё не добавляются.');
    expect(texts[1]).toContain('Неотложная помощь 2027 (в архиве)');
    expect(await archivedAt()).toBeInstanceOf(Date);
    // The same confirmation pressed again (a double tap) archives nothing twice.
    await olga.pressButton({ messageId: confirmation.message_id, data: yes.callback_data });
    expect(await system.db.auditLog.count({ where: { subjectId: program.id, action: 'program.archived' } })).toBe(1);

    await olga.pressButton('↩️ Вернуть: Неотложная помощь 2027');
    expect(olga.messages().at(-2)?.text).toBe('↩️ Программа «Неотложная помощь 2027» снова активна: её можно выбирать для мероприятий.');
    expect(last(olga)).not.toContain('(в архиве)');
    expect(await archivedAt()).toBeNull();
    expect((await system.db.auditLog.findMany({ where: { subjectId: program.id }, orderBy: { at: 'asc' } })).map((r) => r.action)).toEqual([
      'program.created',
      'program.updated',
      'program.archived',
      'program.restored',
    ]);
  });
});
