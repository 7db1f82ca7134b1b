import { tinyPng } from '../../core/documents/fixtures';
import type { SimulatedUser } from '../../standin';
import { createLinkedPerson, createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * What lands in the middle of a wizard: a sticker sent by habit, a voice note, a location, a contact.
 * Each gets the waiting step's own hint in the person's language, the draft is kept, and /cancel ends
 * whichever wizard runs.
 */
describe('unexpected messages inside a wizard step', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });

  afterAll(async () => {
    await system?.stop();
  });

  const texts = (user: SimulatedUser) => user.messages().map((m) => m.text ?? m.caption ?? '');
  const last = (user: SimulatedUser) => texts(user).at(-1) ?? '';

  it('/add: each step answers a sticker, a voice note, a location or a contact with its own hint, and the draft goes on', async () => {
    await createLinkedPerson(system, 8401, { fullName: 'Иванова Мария Петровна', category: 'NURSE' });
    const maria = system.standin.user({ id: 8401, first_name: 'Мария', language_code: 'ru' });
    await maria.sendCommand('/add');
    await maria.sendSticker();
    expect(last(maria)).toBe('Сейчас жду вид обучения: выберите его кнопкой под вопросом выше.\nПередумали — /cancel.');
    await maria.pressButton('Повышение квалификации (ПК)');

    await maria.sendSticker();
    expect(last(maria)).toBe('Сейчас жду количество — числом, например 36 или 1,5.\nПередумали — /cancel.');
    await maria.sendVoice({ buffer: Buffer.from('OggS voice') });
    expect(last(maria)).toContain('Сейчас жду количество');
    await maria.sendLocation();
    expect(last(maria)).toContain('Сейчас жду количество');
    await maria.sendText('36');
    expect(last(maria)).toContain('Введите дату в формате дд.мм.гггг');

    await maria.shareContact({ phone_number: '+79160000000', first_name: 'Коллега', user_id: 9999 });
    expect(last(maria)).toBe('Сейчас жду дату завершения в формате дд.мм.гггг — или нажмите «Сегодня».\nПередумали — /cancel.');
    await maria.sendText('20.11.2026');

    // The proof step waits for a file: a sticker is not one.
    await maria.sendSticker();
    expect(last(maria)).toBe('Сейчас жду файл или фото документа — или нажмите «Без документа».\nПередумали — /cancel.');
    await maria.pressButton('Без документа');
    expect(last(maria)).toContain('Повышение квалификации (ПК), 36 часов');
    await maria.sendSticker();
    expect(last(maria)).toContain('нажмите «✅ Сохранить» или «Отмена»');
    await maria.pressButton('✅ Сохранить');
    expect(texts(maria).join('\n')).toContain('✅ Сохранено.');
    expect(await system.db.creditEntry.count({ where: { person: { telegramIdentities: { some: { telegramUserId: 8401n } } } } })).toBe(1);
  });

  it('keeps the old answers outside a wizard: a sticker is not a document, a voice note is not understood', async () => {
    const anna = system.standin.user({ id: 8402, first_name: 'Анна', language_code: 'ru' });
    await createLinkedPerson(system, 8402, { fullName: 'Петрова Анна Игоревна', category: 'NURSE' });
    await anna.sendSticker();
    expect(last(anna)).toContain('не документ');
    await anna.sendVoice({ buffer: Buffer.from('OggS voice') });
    expect(last(anna)).toBe('Не понял сообщение. Посмотрите список команд: /help');
  });

  it('/plan in English: the hint is in English, the draft is kept, and /cancel ends the plan wizard', async () => {
    await createLinkedPerson(system, 8403, { fullName: 'Smith John', category: 'NURSE', language: 'en' });
    const john = system.standin.user({ id: 8403, first_name: 'John', language_code: 'en' });
    await john.sendCommand('/plan');
    await john.pressButton('➕ Add');
    await john.pressButton('Advanced training program');
    await john.sendSticker();
    expect(last(john)).toBe('Right now I need the name of the program or event — as text.\nChanged your mind? /cancel.');
    await john.sendText('Emergency care');
    expect(last(john)).toContain('When?');

    await john.sendCommand('/cancel');
    expect(last(john)).toBe('Adding to the plan cancelled, nothing saved.');
    await john.sendSticker();
    expect(last(john)).not.toContain('Right now I need');
    await john.sendCommand('/cancel');
    expect(last(john)).toBe('There is nothing to cancel right now.');
    expect(await system.db.planItem.count()).toBe(0);
  });

  it('a photo where a number is awaited gets the hint too, and stores nothing', async () => {
    await createLinkedPerson(system, 8404, { fullName: 'Кузнецова Вера Ильинична', category: 'NURSE' });
    const vera = system.standin.user({ id: 8404, first_name: 'Вера', language_code: 'ru' });
    await vera.sendCommand('/add');
    await vera.pressButton('Повышение квалификации (ПК)');
    await vera.sendPhoto({ buffer: tinyPng(5) });
    expect(last(vera)).toContain('Сейчас жду количество');
    expect(await system.db.document.count({ where: { person: { telegramIdentities: { some: { telegramUserId: 8404n } } } } })).toBe(0);
  });

  it('a question waiting in Redis (custom quiet hours) has its hint, and /cancel withdraws it', async () => {
    await createLinkedPerson(system, 8405, { fullName: 'Орлова Нина Петровна', category: 'NURSE' });
    const nina = system.standin.user({ id: 8405, first_name: 'Нина', language_code: 'ru' });
    await nina.sendCommand('/settings');
    await nina.pressButton('🌙 Тихие часы');
    await nina.pressButton('✏️ Свои часы');
    await nina.sendSticker();
    expect(last(nina)).toBe('Сейчас жду тихие часы в виде ЧЧ:ММ–ЧЧ:ММ, например 23:30–07:00.\nПередумали — /cancel.');
    await nina.sendCommand('/cancel');
    expect(last(nina)).toBe('Тихие часы не изменены.');
    await nina.sendText('23:30–06:45');
    expect(last(nina)).toBe('Не понял сообщение. Посмотрите список команд: /help');
  });

  it('an admin’s /event_new: the waiting step’s hint, the draft kept, /cancel ends it', async () => {
    await createOrgAdmin(system, 8406);
    const olga = system.standin.user({ id: 8406, first_name: 'Ольга', language_code: 'ru' });
    await olga.sendCommand('/event_new');
    await olga.sendText('Школа диабета');
    await olga.sendSticker();
    expect(last(olga)).toBe('Сейчас жду формат: выберите его кнопкой под вопросом выше.\nПередумали — /cancel.');
    await olga.pressButton('вебинар');
    expect(last(olga)).toBe('Вид?');
    await olga.sendCommand('/cancel');
    expect(last(olga)).toBe('Создание мероприятия отменено, ничего не сохранено.');
    expect(await system.db.event.count({ where: { title: 'Школа диабета' } })).toBe(0);
  });
});
