import type { SimulatedGroup, SimulatedUser } from '../../standin';
import { waitUntil } from '../support/eventually';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Мария asks the support desk: the FAQ first, then an operator. Her ticket becomes a forum topic with
 * her card; her text and photo reach the topic, the agent's answer reaches her under the role name,
 * a note stays internal, a deleted topic is recreated, a stranger cannot close, the agent closes and
 * she rates 4 and the agents see it. On the New Year holidays she is told when to expect an answer.
 * Everything sent into the group or to her unasked goes through the worker's outbound queue.
 */
const GROUP_ID = -1001234567890;
const AGENT = { id: 900001, first_name: 'Ольга' };
const ADMIN = { id: 900002, first_name: 'Админ' };
const STRANGER = { id: 900003, first_name: 'Посторонний' };

describe('support: FAQ, ticket as a forum topic, relay, close and rating (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let group: SimulatedGroup;
  let threadId: number;

  const texts = (user: SimulatedUser) => user.messages().map((m) => m.text ?? m.caption ?? '');
  const last = (user: SimulatedUser) => texts(user).at(-1) ?? '';
  const topicTexts = (thread: number) => group.messages({ threadId: thread }).map((m) => m.text ?? m.caption ?? '');
  const ticket = () => system.db.supportTicket.findFirstOrThrow({ where: { number: 1 } });
  const topicShows = (thread: number, text: string) => waitUntil(() => topicTexts(thread).includes(text), `«${text}» in topic ${thread}`);

  beforeAll(async () => {
    system = await startSystem({
      worker: true,
      now: new Date('2025-12-30T12:00:00+03:00'),
      env: { SUPPORT_CHAT_ID: String(GROUP_ID), SUPPORT_AGENT_IDS: String(AGENT.id), SUPPORT_HOURS: '09:00-18:00' },
    });
    group = system.standin.group({ id: GROUP_ID, title: 'Поддержка', is_forum: true, admins: [ADMIN] });
    maria = system.standin.user({ id: 7101, first_name: 'Мария', language_code: 'ru' });
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    const person = await system.db.person.create({
      data: {
        fullName: 'Иванова Мария Петровна',
        onboardingStep: 'LINKED',
        organizationId: organization.id,
        language: 'ru',
        category: 'NURSE',
      },
    });
    await system.db.telegramIdentity.create({ data: { telegramUserId: BigInt(maria.id), chatId: BigInt(maria.id), personId: person.id } });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('offers FAQ answers first, then opens a ticket as a forum topic with the context card', async () => {
    await maria.sendCommand('/support');
    expect(last(maria)).toContain('частые вопросы');
    await maria.pressButton('🔑 Восстановление доступа');
    expect(last(maria)).toContain('Подтвердите личность');
    await maria.pressButton('📞 Контакты поддержки');
    expect(last(maria)).toContain('+7 800 555‑35‑35');
    await maria.pressButton('🙋 Позвать оператора');
    expect(last(maria)).toContain('Обращение №1 открыто');
    expect(last(maria)).not.toContain('нерабочее время');

    // The worker creates the topic as it sends the card, the first message queued for the ticket.
    await waitUntil(
      async () => (await ticket()).topicId !== null && topicTexts((await ticket()).topicId!).length > 0,
      'the card in a new topic',
    );
    const created = system.standin.calls('createForumTopic');
    expect(created).toHaveLength(1);
    expect(created[0].params.name).toBe('№1 · Иванова Мария Петровна');
    threadId = (await ticket()).topicId!;
    expect(threadId).toBeGreaterThan(0);
    const card = topicTexts(threadId)[0];
    expect(card).toContain('Обращение №1');
    expect(card).toContain('ФИО: Иванова Мария Петровна');
    expect(card).toContain('Городская клиническая больница');
    expect(card).toContain('Категория:');
    expect(card).toContain('Баллы:');
    expect(card).toContain('Заявления в работе: 0');
    expect(card).toContain('Споры на рассмотрении: 0');
  });

  it('relays her text and photo into the topic with a header line', async () => {
    await maria.sendText('Не вижу баллы за ноябрь');
    await topicShows(threadId, '👤 №1 · Иванова Мария Петровна\nНе вижу баллы за ноябрь');
    await maria.sendPhoto({ buffer: Buffer.from('fake-png'), caption: 'скриншот' });
    await topicShows(threadId, '👤 №1 · Иванова Мария Петровна\nскриншот');
    const copy = system.standin.calls('copyMessage').at(-1)!;
    expect(copy.params).toMatchObject({ chat_id: GROUP_ID, message_thread_id: threadId, from_chat_id: maria.id });
    expect(topicTexts(threadId).at(-1)).toBe('👤 №1 · Иванова Мария Петровна\nскриншот');
    const stored = await system.db.supportMessage.findMany({ where: { direction: 'FROM_PERSON' }, orderBy: { createdAt: 'asc' } });
    expect(stored.map((m) => m.mediaKind)).toEqual([null, 'photo']);
  });

  it('a file she deleted before the worker copied it still arrives, sent by its file id with the header', async () => {
    // Telegram's answer when the message to copy is gone: the relay must not end FAILED.
    system.standin.failNext('copyMessage', { error_code: 400, description: 'Bad Request: message to copy not found' });
    await maria.sendDocument({ buffer: Buffer.from('%PDF-1.4 spravka'), file_name: 'spravka.pdf', caption: 'справка' });
    await topicShows(threadId, '👤 №1 · Иванова Мария Петровна\nсправка');
    const sent = system.standin.calls('sendDocument').at(-1)!;
    expect(system.standin.calls('copyMessage').at(-1)!.ok).toBe(false);
    expect(sent.params).toMatchObject({ chat_id: GROUP_ID, message_thread_id: threadId });
    expect(typeof sent.params.document).toBe('string');
    expect(group.messages({ threadId }).at(-1)!.document?.file_name).toBe('spravka.pdf');
    const relay = await system.db.notification.findFirstOrThrow({ where: { kind: 'support.relay' }, orderBy: { sequence: 'desc' } });
    await waitUntil(
      async () => (await system.db.notification.findUniqueOrThrow({ where: { id: relay.id } })).state === 'SENT',
      'the relay marked sent',
    );
  });

  it('relays three quick messages in the order she wrote them, though the group takes one a second', async () => {
    for (const text of ['раз', 'два', 'три']) await maria.sendText(text);
    await topicShows(threadId, '👤 №1 · Иванова Мария Петровна\nтри');
    expect(topicTexts(threadId).slice(-3)).toEqual(['раз', 'два', 'три'].map((t) => `👤 №1 · Иванова Мария Петровна\n${t}`));
  });

  it('a message delivered twice (its record lost, as after a Redis flush) reaches the topic once', async () => {
    const update = await maria.sendText('Повторная доставка');
    await topicShows(threadId, '👤 №1 · Иванова Мария Петровна\nПовторная доставка');
    // Its record in the update log is forgotten: the redelivery is handled again, and the mark its
    // first handling committed (AppliedUpdate) is what keeps it from being applied twice.
    await system.forgetUpdate(update.update_id);
    await system.standin.deliverRaw(update);
    // A later message arrives after anything queued before it: once it is there, a duplicate would be too.
    await maria.sendText('После повтора');
    await topicShows(threadId, '👤 №1 · Иванова Мария Петровна\nПосле повтора');
    expect(topicTexts(threadId).filter((t) => t.endsWith('Повторная доставка'))).toHaveLength(1);
    expect(await system.db.supportMessage.count({ where: { text: 'Повторная доставка' } })).toBe(1);
    expect(
      await system.db.notification.count({
        where: { kind: 'support.relay', payload: { path: ['content', 'text'], equals: 'Повторная доставка' } },
      }),
    ).toBe(1);
  });

  it('the agent answers in the topic: Мария gets it under the role name; the first response is timed', async () => {
    const agent = group.as(AGENT, { threadId });
    await agent.sendText('Проверьте раздел «Мои баллы» после 13:00');
    await waitUntil(() => last(maria) === 'Оператор поддержки\nПроверьте раздел «Мои баллы» после 13:00', 'the answer in her chat');
    expect(texts(maria).join('\n')).not.toContain('Ольга');
    expect(system.standin.calls('forwardMessage')).toHaveLength(0);
    expect((await ticket()).firstResponseAt).toEqual(system.clock.now());
  });

  it('/note stays internal', async () => {
    const before = texts(maria).length;
    await group.as(AGENT, { threadId }).sendCommand('/note', 'звонила в регистр, ждём выгрузку');
    expect(texts(maria)).toHaveLength(before);
    const note = await system.db.supportMessage.findFirstOrThrow({ where: { direction: 'INTERNAL_NOTE' } });
    expect(note.text).toBe('звонила в регистр, ждём выгрузку');
  });

  it('/note without a text is answered once in the topic, through the queue, though the update comes twice', async () => {
    const noteEmpty = 'Напишите текст заметки после /note.';
    const update = await group.as(AGENT, { threadId }).sendCommand('/note');
    await topicShows(threadId, noteEmpty);
    // Its record in the update log is forgotten: the redelivery is handled again, and the mark its
    // first handling committed (AppliedUpdate) is what keeps it from being applied twice.
    await system.forgetUpdate(update.update_id);
    await system.standin.deliverRaw(update);
    // A later answer in the topic's chain arrives after anything queued before it: a duplicate would be there by then.
    await group.as(AGENT, { threadId }).sendCommand('/canned');
    await topicShows(threadId, 'Шаблонов ответов пока нет.');
    expect(topicTexts(threadId).filter((t) => t === noteEmpty)).toHaveLength(1);
    expect(system.standin.calls('sendMessage').filter((c) => c.chatId === GROUP_ID && c.params.text === noteEmpty)).toHaveLength(1);
    const lines = await system.db.notification.findMany({ where: { kind: 'group.line', threadId }, orderBy: { sequence: 'asc' } });
    expect(lines.map((n) => (n.payload as { line: string }).line)).toEqual(['support.group.note-empty', 'support.group.canned-empty']);
    // Both in the ticket topic's chain, so they keep their place among its relays and cards.
    expect(lines.map((n) => n.chain)).toEqual([`support:${(await ticket()).id}:group`, `support:${(await ticket()).id}:group`]);
    await waitUntil(
      async () => (await system.db.notification.findMany({ where: { kind: 'group.line', threadId } })).every((n) => n.state === 'SENT'),
      'the lines marked sent',
    );
  });

  it('a deleted topic is recreated on her next message, and the message is delivered there', async () => {
    group.deleteTopic(threadId);
    await maria.sendText('Баллы так и не появились');
    // The queued relay meets «message thread not found»: the worker makes a new topic with a card, then sends it.
    await waitUntil(
      async () => (await ticket()).topicId !== threadId && topicTexts((await ticket()).topicId!).length >= 2,
      'the relay in a recreated topic',
    );
    const now = (await ticket()).topicId!;
    expect(now).not.toBe(threadId);
    expect(system.standin.calls('createForumTopic')).toHaveLength(2);
    const shown = topicTexts(now);
    expect(shown[0]).toContain('создана заново');
    expect(shown.at(-1)).toBe('👤 №1 · Иванова Мария Петровна\nБаллы так и не появились');
    threadId = now;
  });

  it("refuses a stranger's /close in the group; the ticket stays open", async () => {
    await group.as(STRANGER, { threadId }).sendCommand('/close');
    // Queued like every post in the group (#6.7), in the thread the stranger wrote in.
    await waitUntil(
      () => topicTexts(threadId).at(-1) === 'Действовать в группе поддержки могут только операторы.',
      'the refusal in the topic',
    );
    expect((await ticket()).status).toBe('OPEN');
  });

  it('the agent closes with /close; Мария rates 4 and adds a comment; the agents see both in the topic', async () => {
    await group.as(AGENT, { threadId }).sendCommand('/close');
    expect((await ticket()).status).toBe('CLOSED');
    await topicShows(threadId, 'Обращение №1 закрыто оператором.');
    await system.standin.waitForCall('closeForumTopic');
    expect(system.standin.calls('closeForumTopic').at(-1)!.params).toMatchObject({ chat_id: GROUP_ID, message_thread_id: threadId });
    await waitUntil(() => last(maria).includes('Оператор закрыл обращение №1'), 'the close in her chat');
    expect(last(maria)).toContain('откроется новое обращение');
    await maria.pressButton('4 ⭐');
    expect(last(maria)).toContain('Спасибо за оценку 4');
    await topicShows(threadId, '⭐ Оценка: 4/5 — обращение №1.');
    await maria.sendText('Быстро помогли');
    expect(last(maria)).toBe('Спасибо, комментарий сохранён.');
    expect(await ticket()).toMatchObject({ rating: 4, ratingComment: 'Быстро помогли', closedBy: `agent:${AGENT.id}` });
    await topicShows(threadId, '💬 Комментарий к оценке 4/5 обращения №1: Быстро помогли');
  });

  it('on the New Year holidays (05.01.2026) she is told the answer comes on 12.01.2026 from 09:00', async () => {
    system.clock.set(new Date('2026-01-05T12:00:00+03:00'));
    await maria.sendCommand('/support');
    await maria.pressButton('🙋 Позвать оператора');
    expect(last(maria)).toContain('Обращение №2 открыто');
    expect(last(maria)).toContain('Ответ можно ожидать 12.01.2026 с 09:00 (мск)');
  });
});
