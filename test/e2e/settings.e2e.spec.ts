import { startSystem, type RunningSystem } from '../support/system';
import type { SimulatedUser } from '../../standin';

/** A night-shift nurse tunes the bot: English, no "behind pace" nudges, quiet 08–20 after nights, Yekaterinburg. */
describe('/settings apply at once', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  const texts = () => maria.messages().map((m) => m.text ?? m.caption ?? '');
  const last = () => texts().at(-1) ?? '';
  const person = () => system.db.person.findFirstOrThrow();

  beforeAll(async () => {
    system = await startSystem();
    maria = system.standin.user({ id: 918273645, first_name: 'Мария', language_code: 'ru', phone: '+79161234567' });
    await maria.sendCommand('/start');
    await maria.pressButton('Русский');
    await maria.pressButton('✅ Согласен(на)');
    await maria.pressReplyButton('📱 Отправить мой номер');
    await maria.sendText('Иванова Мария Петровна');
    await maria.pressButton('Медсестра / акушерка');
    await maria.sendText('demo');
    await maria.sendText('mary 2345');
    expect(last()).toContain('Готово!');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('shows the current settings with Moscow as the default zone', async () => {
    await maria.sendCommand('/settings');
    expect(last()).toContain('Настройки');
    expect(last()).toContain('Москва (UTC+3)');
    expect(last()).toContain('22:00–08:00');
  });

  it('switches to English and the very next reply is in English', async () => {
    await maria.pressButton('English');
    expect((await person()).language).toBe('en');
    expect(texts().at(-2)).toBe('Language: English.');
    expect(last()).toContain('Settings');
    await maria.sendCommand('/credits');
    expect(maria.messages().some((m) => (m.text ?? '').includes('NMO credits') || (m.text ?? '').includes('credits'))).toBe(true);
    expect(await system.db.auditLog.count({ where: { action: 'settings.language' } })).toBe(1);
  });

  it('mutes a kind, and says deadline notices cannot be muted', async () => {
    await maria.sendCommand('/settings');
    await maria.pressButton('🔔 Notifications');
    expect(last()).toContain('Cannot be turned off');
    await maria.pressButton('Turn off: behind the pace');
    expect((await person()).mutedKinds).toEqual(['credits.behind-pace']);
    const id = await maria.pressButton({ messageId: maria.lastBotMessage()!.message_id, data: 'set:kind:credits.period-end' });
    expect(maria.answerOf(id)).toBeTruthy();
    expect((await person()).mutedKinds).toEqual(['credits.behind-pace']);
  });

  it('stores a quiet-hours preset, refuses a malformed custom range and takes a valid one', async () => {
    await maria.sendCommand('/settings');
    await maria.pressButton('🌙 Quiet hours');
    await maria.pressButton('08:00–20:00');
    expect(await person()).toMatchObject({ quietHoursStart: 480, quietHoursEnd: 1200 });

    await maria.pressButton('✏️ Custom hours');
    await maria.sendText('25:00-07:00');
    expect(last()).toContain('HH:MM–HH:MM');
    await maria.sendText('23:30–06:45');
    expect(last()).toBe('🌙 Quiet hours: 23:30–06:45.');
    expect(await person()).toMatchObject({ quietHoursStart: 1410, quietHoursEnd: 405 });
    expect(await system.db.auditLog.count({ where: { action: 'settings.quiet-hours' } })).toBe(2);
  });

  it('changes the time zone from a button with its UTC offset', async () => {
    await maria.sendCommand('/settings');
    await maria.pressButton('🕒 Time zone');
    await maria.pressButton('Yekaterinburg (UTC+5)');
    expect((await person()).timeZone).toBe('Asia/Yekaterinburg');
    expect(last()).toBe('🕒 Time zone: Yekaterinburg (UTC+5).');
  });
});
