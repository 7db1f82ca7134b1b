import type { SimulatedGroup, SimulatedUser } from '../../standin';
import { waitUntil } from '../support/eventually';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * #12.2: nothing a person or an agent sends is lost on a long or odd message. Мария writes to her open
 * ticket as much as Telegram lets her (4,096 characters), sends a document with a full 1,024-character
 * caption, and the agent answers with 4,096 characters: the header the relay adds used to push each of
 * them over Telegram's limits, and the relay ended refused. Each now arrives whole, split where it must
 * be, the header on the first part. A U+0000 in a message or a note no longer loses the update.
 */
const GROUP_ID = -1001234567891;
const AGENT = { id: 900011, first_name: 'Ольга' };
const HEADER = '👤 №1 · Иванова Мария Петровна';

/** Words separated by single spaces, exactly `length` characters long. */
function longText(length: number, word: string): string {
  let text = '';
  for (let n = 1; text.length < length; n++) text += `${text ? ' ' : ''}${word}${n}`;
  return text.slice(0, length);
}

describe('support: long and odd messages arrive whole (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let group: SimulatedGroup;
  let threadId: number;

  const topic = () => group.messages({ threadId });
  const ticket = () => system.db.supportTicket.findFirstOrThrow({ where: { number: 1 } });

  beforeAll(async () => {
    system = await startSystem({
      worker: true,
      now: new Date('2026-03-03T12:00:00+03:00'),
      env: { SUPPORT_CHAT_ID: String(GROUP_ID), SUPPORT_AGENT_IDS: String(AGENT.id), SUPPORT_HOURS: '09:00-18:00' },
    });
    group = system.standin.group({ id: GROUP_ID, title: 'Поддержка', is_forum: true, admins: [] });
    maria = system.standin.user({ id: 7111, first_name: 'Мария', language_code: 'ru' });
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
    await maria.sendCommand('/support');
    await maria.pressButton('🙋 Позвать оператора');
    await waitUntil(async () => (await ticket()).topicId !== null, 'the ticket topic');
    threadId = (await ticket()).topicId!;
    await waitUntil(() => topic().length > 0, 'the card in the topic');
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('a 4,096-character message to her open ticket arrives whole: two messages, the header on the first', async () => {
    const text = longText(4096, 'баллы');
    const before = topic().length;
    await maria.sendText(text);
    await waitUntil(() => topic().length >= before + 2, 'both parts in the topic');
    const [first, second] = topic()
      .slice(before)
      .map((m) => m.text ?? '');
    expect(first.startsWith(`${HEADER}\n`)).toBe(true);
    expect(second.startsWith(HEADER)).toBe(false);
    expect(first.length).toBeLessThanOrEqual(4096);
    expect(second.length).toBeLessThanOrEqual(4096);
    // Split at a space, which is not repeated: nothing added, nothing lost.
    expect(`${first.slice(HEADER.length + 1)} ${second}`).toBe(text);
    expect(await system.db.supportMessage.findFirst({ where: { direction: 'FROM_PERSON', text } })).not.toBeNull();
    await waitUntil(
      async () => (await system.db.notification.findMany({ where: { kind: 'support.relay' } })).every((n) => n.state === 'SENT'),
      'every relay sent, none refused',
    );
  });

  it('a document with a 1,024-character caption arrives with the header, its caption in the message right after', async () => {
    const caption = longText(1024, 'справка');
    const before = topic().length;
    await maria.sendDocument({ buffer: Buffer.from('%PDF-1.4 spravka'), file_name: 'spravka.pdf', caption });
    await waitUntil(() => topic().length >= before + 2, 'the document and its caption in the topic');
    const [media, text] = topic().slice(before);
    expect(media.document?.file_name).toBe('spravka.pdf');
    expect(media.caption).toBe(HEADER);
    expect(text.text).toBe(caption);
    await waitUntil(
      async () => (await system.db.notification.findMany({ where: { kind: 'support.relay' } })).every((n) => n.state === 'SENT'),
      'every relay sent, none refused',
    );
  });

  it("the agent's 4,096-character answer reaches her whole, under the role name", async () => {
    const answer = longText(4096, 'ответ');
    const before = maria.messages().length;
    await group.as(AGENT, { threadId }).sendText(answer);
    await waitUntil(() => maria.messages().length >= before + 2, 'both parts in her chat');
    const [first, second] = maria
      .messages()
      .slice(before)
      .map((m) => m.text ?? '');
    expect(first.startsWith('Оператор поддержки\n')).toBe(true);
    expect(`${first.slice('Оператор поддержки\n'.length)} ${second}`).toBe(answer);
    await waitUntil(
      async () => (await system.db.notification.findMany({ where: { kind: 'support.answer' } })).every((n) => n.state === 'SENT'),
      'the answer sent, not refused',
    );
  });

  it('the parts of one message are one chain in order, so a part held back holds back the next', async () => {
    const text = longText(4096, 'порядок');
    const relays = await system.db.notification.count({ where: { kind: 'support.relay' } });
    const before = topic().length;
    await maria.sendText(text);
    await waitUntil(
      async () => (await system.db.notification.count({ where: { kind: 'support.relay' } })) === relays + 2,
      'two parts queued',
    );
    const parts = await system.db.notification.findMany({ where: { kind: 'support.relay' }, orderBy: { sequence: 'desc' }, take: 2 });
    // Same chain, the first part first: the chain sends them in this order.
    expect(parts[1].chain).toBe(parts[0].chain);
    expect((parts[1].payload as { part?: number }).part).toBeUndefined();
    expect((parts[0].payload as { part?: number }).part).toBe(2);
    expect(parts[0].sequence).toBeGreaterThan(parts[1].sequence);
    await waitUntil(() => topic().length >= before + 2, 'both parts in the topic');
    expect(topic()[before].text?.startsWith(`${HEADER}\nпорядок1 `)).toBe(true);
    expect(topic()[before + 1].text?.endsWith(text.slice(-20))).toBe(true);
  });

  it('a message with U+0000 is relayed and stored instead of losing the update', async () => {
    const before = topic().length;
    await maria.sendText('Справка\u0000 прилагается');
    await waitUntil(() => topic().length > before, 'the message in the topic');
    expect(
      topic()
        .slice(before)
        .map((m) => m.text),
    ).toEqual([`${HEADER}\nСправка\ufffd прилагается`]);
    expect(await system.db.supportMessage.findFirst({ where: { text: 'Справка прилагается' } })).not.toBeNull();
    expect(maria.messages().at(-1)?.text).not.toContain('ничего не сохранено');
  });

  it("an agent's /note with U+0000 is stored", async () => {
    await group.as(AGENT, { threadId }).sendCommand('/note', 'звонила\u0000 в регистр');
    await waitUntil(
      async () => (await system.db.supportMessage.findFirst({ where: { direction: 'INTERNAL_NOTE', text: 'звонила в регистр' } })) !== null,
      'the note stored',
    );
  });
});
