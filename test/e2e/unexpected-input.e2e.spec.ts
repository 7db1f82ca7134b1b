import { tinyPng } from '../../core/documents/fixtures';
import type { SimulatedUser } from '../../standin';
import { createLinkedPerson } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * What people actually send: stickers and photos before they ever pressed Start, commands they are not
 * ready for, buttons nobody showed them. Each gets a clear answer; nothing is lost and nothing crashes.
 */
describe('unexpected input from people', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startSystem();
  });

  afterAll(async () => {
    await system?.stop();
  });

  const texts = (user: SimulatedUser) => user.messages().map((m) => m.text ?? '');

  it('welcomes someone whose first message is a photo, and asks the first question', async () => {
    const olga = system.standin.user({ id: 8101, first_name: 'Ольга', language_code: 'ru' });
    await olga.sendPhoto({ buffer: tinyPng(3) });
    expect(texts(olga)[0]).toContain('Здравствуйте!');
    expect(texts(olga).at(-1)).toBe('Выберите язык / Choose your language');
    expect(await system.db.person.count({ where: { telegramIdentities: { some: { telegramUserId: 8101n } } } })).toBe(1);
  });

  it('answers a command that needs registration with the step to take, in English for an English client', async () => {
    const tom = system.standin.user({ id: 8102, first_name: 'Tom', language_code: 'en' });
    await tom.sendCommand('/credits');
    expect(texts(tom).join('\n')).toContain("Let's finish registration first");
    expect(texts(tom).at(-1)).toBe('Выберите язык / Choose your language');
  });

  it('refuses a button nobody showed, politely, and keeps the person where they were', async () => {
    const ivan = system.standin.user({ id: 8103, first_name: 'Иван', language_code: 'ru' });
    await ivan.sendCommand('/start');
    const id = await ivan.pressButton({ messageId: ivan.lastBotMessage()!.message_id, data: 'cat:DOCTOR' });
    expect(ivan.answerOf(id)?.text).toBe('Эта кнопка устарела. Продолжим с текущего шага.');
    const person = await system.db.person.findFirstOrThrow({ where: { telegramIdentities: { some: { telegramUserId: 8103n } } } });
    expect(person).toMatchObject({ onboardingStep: 'LANGUAGE', category: null });
  });

  it('answers a linked person’s unknown command, sticker-like noise and forged button data', async () => {
    await createLinkedPerson(system, 8104, { fullName: 'Петрова Анна Игоревна', category: 'NURSE' });
    const anna = system.standin.user({ id: 8104, first_name: 'Анна', language_code: 'ru' });
    await anna.sendCommand('/frobnicate');
    expect(texts(anna).at(-1)).toBe('Не понял сообщение. Посмотрите список команд: /help');
    await anna.sendCommand('/cancel');
    expect(texts(anna).at(-1)).toBe('Сейчас нечего отменять.');
    const forged = await anna.pressButton({
      messageId: anna.lastBotMessage()!.message_id,
      data: 'entry:del!:00000000-0000-0000-0000-000000000000',
    });
    expect(anna.answerOf(forged)?.text).toBe('Запись не найдена.');
    const garbage = await anna.pressButton({ messageId: anna.lastBotMessage()!.message_id, data: '💥'.repeat(10) });
    expect(anna.answerOf(garbage)?.text).toBe('Эта кнопка устарела. Продолжим с текущего шага.');
  });
});
