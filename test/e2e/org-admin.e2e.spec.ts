import type { SimulatedUser } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Ольга from the education department links with the code HR gave her (the roster names her an admin):
 * /admin lists what she can do and gives her chat a menu with the admin commands; /help shows them too.
 * Мария, a nurse, is refused /admin and sees no admin commands anywhere.
 */
describe('organization admin in the bot (ru)', () => {
  let system: RunningSystem;
  let olga: SimulatedUser;
  let maria: SimulatedUser;
  const last = (user: SimulatedUser) =>
    user
      .messages()
      .map((m) => m.text ?? '')
      .at(-1) ?? '';

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00') });
    olga = system.standin.user({ id: 7501, first_name: 'Ольга', language_code: 'ru' });
    maria = system.standin.user({ id: 7502, first_name: 'Мария', language_code: 'ru' });
    await createLinkedPerson(system, 7502, { category: 'NURSE' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('links with the admin code and becomes an admin of the organization', async () => {
    await olga.sendCommand('/start');
    await olga.pressButton('Русский');
    await olga.pressButton('✅ Согласен(на)');
    await olga.pressReplyButton('📱 Отправить мой номер');
    await olga.sendText('Смирнова Ольга Ивановна');
    await olga.pressButton('Администратор');
    await olga.sendText('DEMO');
    await olga.sendText('ADMN-6789');
    const texts = olga.messages().map((m) => m.text ?? '');
    expect(texts.at(-2)).toContain('Готово!');
    expect(texts.at(-1)).toContain('Вы — администратор организации');
    const person = await system.db.person.findFirstOrThrow({ where: { fullName: 'Смирнова Ольга Ивановна' } });
    expect(person.orgRole).toBe('ADMIN');
  });

  it('/admin lists the admin commands and sets them as her chat menu', async () => {
    await olga.sendCommand('/admin');
    const text = last(olga);
    expect(text).toContain('Администрирование: ГБУЗ «Городская клиническая больница № 1» (демо)');
    for (const command of ['/event_new', '/events_admin', '/codes', '/report', '/announce']) expect(text).toContain(command);
    const menu = system.standin.commandsFor({ type: 'chat', chat_id: 7501 }) as Array<{ command: string }>;
    expect(menu.map((c) => c.command)).toEqual(expect.arrayContaining(['credits', 'admin', 'report', 'codes']));
    await olga.sendCommand('/help');
    expect(last(olga)).toContain('Для администраторов организации:');
  });

  it('refuses a nurse and shows her no admin commands', async () => {
    await maria.sendCommand('/admin');
    expect(last(maria)).toContain('Эта команда — для администраторов вашей организации');
    expect(system.standin.commandsFor({ type: 'chat', chat_id: 7502 })).toBeUndefined();
    await maria.sendCommand('/help');
    expect(last(maria)).not.toContain('/report');
  });
});
