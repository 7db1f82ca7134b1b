import type { SimulatedUser } from '../../standin';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Ольга from the education department mistypes her own surname. She notices only when the code she
 * was given is refused: the roster has «Смирнова», she typed «Смирова». Neither /start nor /cancel may
 * leave her stuck there: she corrects just the name, every other answer kept, and links.
 */
describe('Ольга corrects a typo in her name found at the confirmation code', () => {
  let system: RunningSystem;
  let olga: SimulatedUser;

  beforeAll(async () => {
    system = await startSystem();
    olga = system.standin.user({ id: 8201, first_name: 'Ольга', language_code: 'ru', phone: '+79031112233' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  const texts = () => olga.messages().map((m) => m.text ?? '');
  const last = () => texts().at(-1) ?? '';
  const person = () => system.db.person.findFirstOrThrow({ where: { telegramIdentities: { some: { telegramUserId: 8201n } } } });
  const buttonsOf = (text: string) =>
    (
      olga.messages().findLast((m) => (m.text ?? '').includes(text))?.reply_markup as { inline_keyboard?: Array<Array<{ text: string }>> }
    )?.inline_keyboard
      ?.flat()
      .map((b) => b.text) ?? [];

  it('shows every answer to check before asking for the code', async () => {
    await olga.sendCommand('/start');
    await olga.pressButton('Русский');
    await olga.pressButton('✅ Согласен(на)');
    await olga.pressReplyButton('📱 Отправить мой номер');
    await olga.sendText('Смирова Ольга Ивановна');
    await olga.pressButton('Администратор');
    await olga.sendText('demo');

    expect(last()).toContain('Проверьте ваши ответы:');
    expect(last()).toContain('ФИО: Смирова Ольга Ивановна');
    expect(last()).toContain('Категория: Администратор');
    expect(last()).toMatch(/Организация: .+ \(DEMO\)/);
    expect(last()).toContain('Телефон: …2233');
    expect(last()).not.toContain('79031112233');
    expect(last()).toContain('одноразовый код подтверждения');
    expect(buttonsOf('Проверьте ваши ответы:')).toEqual(['✏️ Исправить ответ', '« Назад']);
  });

  it('refuses the code for a name unlike the roster’s and points to «Исправить»', async () => {
    await olga.sendText('ADMN-6789');
    expect(texts().at(-2)).toContain('ФИО не совпадает с записью');
    expect(texts().at(-2)).toContain('«✏️ Исправить ответ»');
    expect(last()).toContain('Проверьте ваши ответы:');
    expect((await person()).onboardingStep).toBe('INVITE_CODE');
  });

  it('/start resumes at the summary, with the way to correct it', async () => {
    await olga.sendCommand('/start');
    expect(texts().at(-2)).toBe('Продолжим регистрацию с того места, где вы остановились.');
    expect(last()).toContain('ФИО: Смирова Ольга Ивановна');
    expect(buttonsOf('Проверьте ваши ответы:')).toContain('✏️ Исправить ответ');
  });

  it('/cancel deletes nothing and offers to correct an answer or start over', async () => {
    const before = await person();
    await olga.sendCommand('/cancel');
    expect(texts().at(-2)).toContain('Отменять регистрацию не нужно');
    expect(texts().at(-2)).toContain('/delete_me');
    expect(buttonsOf('Отменять регистрацию не нужно')).toEqual(['✏️ Исправить ответ', '🔄 Начать заново']);
    expect(last()).toContain('Проверьте ваши ответы:');
    expect(await person()).toMatchObject({
      onboardingStep: 'INVITE_CODE',
      fullName: before.fullName,
      category: 'ADMINISTRATOR',
      phoneHash: before.phoneHash,
    });
  });

  it('lets her pick the answer to correct among those she gave', async () => {
    await olga.pressButton('✏️ Исправить ответ');
    expect(last()).toBe('Какой ответ исправить? Остальные ответы сохранятся.');
    expect(buttonsOf('Какой ответ исправить?')).toEqual([
      'ФИО',
      'Категория',
      'Организация',
      'Телефон',
      'Язык / Language',
      '↩️ Ничего не менять',
    ]);
    await olga.pressButton('ФИО');
    expect(last()).toContain('Введите фамилию, имя и отчество');
    expect(buttonsOf('Введите фамилию, имя и отчество')).toEqual(['↩️ Оставить как было']);
  });

  it('checks the corrected name like the first one, then comes back to the summary with the other answers kept', async () => {
    await olga.sendText('Смирнова');
    expect(texts().at(-2)).toContain('от двух до четырёх слов');
    await olga.sendText('Смирнова Ольга Ивановна');
    expect(texts().at(-2)).toBe('✅ Исправлено. Остальные ответы не менялись.');
    expect(last()).toContain('ФИО: Смирнова Ольга Ивановна');
    expect(last()).toContain('Категория: Администратор');
    expect(last()).toMatch(/Организация: .+ \(DEMO\)/);
    expect(last()).toContain('Телефон: …2233');

    const corrected = await person();
    expect(corrected).toMatchObject({ onboardingStep: 'INVITE_CODE', fullName: 'Смирнова Ольга Ивановна', category: 'ADMINISTRATOR' });
    const journal = await system.db.auditLog.findMany({ where: { action: 'onboarding.answer-corrected', actorId: corrected.id } });
    expect(journal).toHaveLength(1);
    expect(journal[0]).toMatchObject({
      subjectId: corrected.id,
      before: { fullName: 'Смирова Ольга Ивановна' },
      after: { fullName: 'Смирнова Ольга Ивановна' },
    });
  });

  it('links with the same code now', async () => {
    await olga.sendText('ADMN-6789');
    expect(texts().join('\n')).toContain('Готово! Вы привязаны к организации');
    const linked = await person();
    expect(linked).toMatchObject({ onboardingStep: 'LINKED', fullName: 'Смирнова Ольга Ивановна' });
    expect(await system.db.consent.count({ where: { personId: linked.id } })).toBe(1);
  });

  it('refuses the correction buttons once she is linked', async () => {
    const menu = olga.messages().findLast((m) => m.text === 'Какой ответ исправить? Остальные ответы сохранятся.')!;
    const id = await olga.pressButton({ messageId: menu.message_id, data: 'onb:fix:CATEGORY' });
    expect(olga.answerOf(id)?.text).toBe('Эта кнопка устарела. Продолжим с текущего шага.');
    expect((await person()).category).toBe('ADMINISTRATOR');
  });
});

/**
 * Павел changes his mind half way through a correction, corrects his phone from a later step, and
 * finally starts over: each time he lands where he was, and nothing is deleted on the way.
 */
describe('Павел keeps, corrects and starts over', () => {
  let system: RunningSystem;
  let pavel: SimulatedUser;

  beforeAll(async () => {
    system = await startSystem();
    pavel = system.standin.user({ id: 8202, first_name: 'Павел', language_code: 'ru', phone: '+79035554433' });
    await pavel.sendCommand('/start');
    await pavel.pressButton('Русский');
    await pavel.pressButton('✅ Согласен(на)');
    await pavel.pressReplyButton('📱 Отправить мой номер');
    await pavel.sendText('Петров Павел Сергеевич');
  });

  afterAll(async () => {
    await system?.stop();
  });

  const texts = () => pavel.messages().map((m) => m.text ?? '');
  const last = () => texts().at(-1) ?? '';
  const person = () => system.db.person.findFirstOrThrow({ where: { telegramIdentities: { some: { telegramUserId: 8202n } } } });

  it('offers «Исправить» already at the category question', async () => {
    expect(last()).toBe('Выберите вашу категорию:');
    await pavel.pressButton('✏️ Исправить ответ');
    // Only what he has answered so far.
    const menu = pavel.lastBotMessage()!.reply_markup as { inline_keyboard: Array<Array<{ text: string }>> };
    expect(menu.inline_keyboard.flat().map((b) => b.text)).toEqual(['ФИО', 'Телефон', 'Язык / Language', '↩️ Ничего не менять']);
    await pavel.pressButton('↩️ Ничего не менять');
    expect(last()).toBe('Выберите вашу категорию:');
  });

  it('keeps the old name when he changes his mind with /cancel during the correction', async () => {
    await pavel.pressButton('✏️ Исправить ответ');
    await pavel.pressButton('ФИО');
    await pavel.sendCommand('/cancel');
    expect(texts().at(-2)).toBe('Оставили как было.');
    expect(last()).toBe('Выберите вашу категорию:');
    expect(await person()).toMatchObject({ onboardingStep: 'CATEGORY', fullName: 'Петров Павел Сергеевич' });
  });

  it('corrects the phone from the organization question and returns there, journaling no digits', async () => {
    await pavel.pressButton('Врач');
    expect(last()).toContain('Введите код вашей организации');
    const before = await person();
    await pavel.pressButton('✏️ Исправить ответ');
    await pavel.pressButton('Телефон');
    expect(last()).toContain('Отправьте свой номер телефона');
    expect(
      pavel
        .replyKeyboard()
        ?.keyboard.flat()
        .map((b) => (typeof b === 'string' ? b : b.text)),
    ).toEqual(['📱 Отправить мой номер', '↩️ Оставить как было']);

    // The keep button of the reply keyboard: nothing changes.
    await pavel.pressReplyButton('↩️ Оставить как было');
    expect(texts().at(-2)).toBe('Оставили как было.');
    expect(last()).toContain('Введите код вашей организации');
    expect((await person()).phoneHash).toBe(before.phoneHash);

    await pavel.pressButton('✏️ Исправить ответ');
    await pavel.pressButton('Телефон');
    await pavel.shareContact({ phone_number: '+79035550000', first_name: 'Павел', user_id: 8202 });
    expect(texts().at(-2)).toBe('✅ Исправлено. Остальные ответы не менялись.');
    expect(last()).toContain('Введите код вашей организации');
    const after = await person();
    expect(after).toMatchObject({ onboardingStep: 'ORGANIZATION', category: 'DOCTOR', fullName: 'Петров Павел Сергеевич' });
    expect(after.phoneHash).not.toBe(before.phoneHash);
    expect(system.cipher.decrypt(after.phoneEnc!)).toBe('+79035550000');
    const journal = await system.db.auditLog.findFirstOrThrow({ where: { action: 'onboarding.answer-corrected', actorId: after.id } });
    expect(JSON.stringify([journal.before, journal.after])).not.toMatch(/7903555/);
    expect(journal.after).toEqual({ phone: 'replaced' });
  });

  it('answers a stale «keep» button once the correction is over', async () => {
    const keep = pavel.messages().findLast((m) => m.text?.includes('Отправьте свой номер телефона'))!;
    const id = await pavel.pressButton({ messageId: keep.message_id, data: 'onb:keep' });
    expect(pavel.answerOf(id)?.text).toBe('Эта кнопка устарела. Продолжим с текущего шага.');
    expect((await person()).onboardingStep).toBe('ORGANIZATION');
  });

  it('starts over from the phone, deleting nothing and keeping his consent', async () => {
    await pavel.sendCommand('/cancel');
    await pavel.pressButton('🔄 Начать заново');
    expect(texts().join('\n')).toContain('Начнём заново — с номера телефона');
    expect(last()).toContain('Отправьте свой номер телефона');
    const restarted = await person();
    expect(restarted).toMatchObject({ onboardingStep: 'PHONE', fullName: 'Петров Павел Сергеевич', category: 'DOCTOR' });
    expect(restarted.phoneEnc).not.toBeNull();
    expect(await system.db.consent.count({ where: { personId: restarted.id, withdrawnAt: null } })).toBe(1);
    expect(await system.db.auditLog.count({ where: { action: 'onboarding.started-over', actorId: restarted.id } })).toBe(1);

    await pavel.pressReplyButton('📱 Отправить мой номер');
    expect(last()).toContain('Введите фамилию, имя и отчество');
  });
});
