import { createHash } from 'node:crypto';
import { storageKeyOf } from '../../core/documents/document-storage';
import { createDocumentStorage } from '../../infra/storage/create-storage';
import type { SimulatedGroup, SimulatedUser } from '../../standin';
import { waitUntil } from '../support/eventually';
import { MaintenanceProcessor } from '../../worker/processors/maintenance.processor';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Reviewers in the support group: /reviews posts the queue into its own topic; Ольга opens Мария's
 * dispute (the evidence file arrives), rejects it with a comment and Мария is told; a stranger's
 * «Одобрить» is refused and changes nothing; a canned reply with placeholders reaches Мария; an
 * unanswered ticket nearing its 1-working-day limit is raised once.
 */
const GROUP_ID = -1001234567890;
const AGENT = { id: 900001, first_name: 'Ольга' };
const STRANGER = { id: 900003, first_name: 'Посторонний' };
const TOKEN = 'admin-token-for-reviews-e2e-0123456789';

describe('reviews, canned replies and escalation in the support group (ru)', () => {
  let system: RunningSystem;
  let group: SimulatedGroup;
  let maria: SimulatedUser;
  let personId: string;
  let disputeId: string;
  let otherDisputeId: string;

  const texts = (user: SimulatedUser) => user.messages().map((m) => m.text ?? m.caption ?? '');
  const topicTexts = (thread: number) => group.messages({ threadId: thread }).map((m) => m.text ?? m.caption ?? '');
  const reviewTopicFromCalls = () => {
    const created = system.standin.calls('createForumTopic').find((c) => String(c.params.name).includes('Рассмотрение'));
    return (created!.result as { message_thread_id: number }).message_thread_id;
  };
  const admin = async (method: 'GET' | 'PUT' | 'DELETE', path: string, body?: unknown) => {
    const response = await fetch(`${system.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${TOKEN}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: response.status, body: (await response.json().catch(() => null)) as any };
  };

  async function disputeWithEvidence(reason: string, bytes: Buffer, fileName: string): Promise<string> {
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await createDocumentStorage(system.config).put(storageKeyOf(sha256), bytes);
    const document = await system.db.document.create({
      data: {
        personId,
        kind: 'CERTIFICATE',
        sha256,
        mediaType: 'application/pdf',
        sizeBytes: bytes.length,
        storageKey: storageKeyOf(sha256),
        originalName: fileName,
      },
    });
    const entry = await system.db.creditEntry.create({
      data: {
        personId,
        creditTypeCode: 'pk',
        quantity: 36,
        occurredOn: new Date('2025-10-01T00:00:00Z'),
        title: 'Сестринское дело',
        source: 'IMPORT',
      },
    });
    const dispute = await system.db.dispute.create({
      data: {
        personId,
        subjectType: 'CREDIT_ENTRY',
        subjectId: entry.id,
        reason,
        requestedValue: '72',
        filedAt: system.clock.now(),
        dueAt: new Date('2026-01-28T20:59:59.999Z'),
      },
    });
    await system.db.documentLink.create({ data: { documentId: document.id, subjectType: 'DISPUTE', subjectId: dispute.id } });
    return dispute.id;
  }

  beforeAll(async () => {
    system = await startSystem({
      now: new Date('2026-01-13T12:00:00+03:00'),
      worker: true,
      env: { SUPPORT_CHAT_ID: String(GROUP_ID), SUPPORT_AGENT_IDS: String(AGENT.id), SUPPORT_HOURS: '09:00-18:00', ADMIN_API_TOKEN: TOKEN },
    });
    group = system.standin.group({ id: GROUP_ID, title: 'Поддержка', is_forum: true });
    maria = system.standin.user({ id: 7201, first_name: 'Мария', language_code: 'ru' });
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    const person = await system.db.person.create({
      data: { fullName: 'Иванова Мария Петровна', onboardingStep: 'LINKED', organizationId: organization.id, language: 'ru' },
    });
    await system.db.telegramIdentity.create({ data: { telegramUserId: BigInt(maria.id), chatId: BigInt(maria.id), personId: person.id } });
    personId = person.id;
    disputeId = await disputeWithEvidence('В удостоверении 72 часа', Buffer.from('%PDF-1.4 evidence'), 'udostoverenie.pdf');
    otherDisputeId = await disputeWithEvidence('Второй спор', Buffer.from('%PDF-1.4 other'), 'vtoroe.pdf');
  });

  afterAll(async () => {
    await system?.stop();
  });

  const reviewPosts = (kind: string) =>
    system.db.notification.findMany({ where: { chatId: BigInt(GROUP_ID), kind }, orderBy: { sequence: 'asc' } });

  it('/reviews posts the queue into its own topic with due dates, through the outbound queue despite a 429', async () => {
    // The group's limit is Telegram's to enforce: a 429 on the first post delays it and loses nothing.
    system.standin.failNext('sendMessage', { error_code: 429, description: 'Too Many Requests: retry after 1', retry_after: 1 });
    await group.as(AGENT).sendCommand('/reviews');
    await waitUntil(
      () => system.standin.calls('createForumTopic').some((c) => c.ok && String(c.params.name).includes('Рассмотрение')),
      'the review topic',
    );
    const thread = reviewTopicFromCalls();
    await waitUntil(() => topicTexts(thread).length === 3, 'the queue in its topic');
    const shown = topicTexts(thread);
    expect(shown[0]).toBe('Очередь на рассмотрение: 2');
    expect(shown.filter((s) => s.includes('Спор · Иванова Мария Петровна · запись о баллах · до 28.01.2026'))).toHaveLength(2);
    // Marked sent right after the send: the rows are the record of what reached the group.
    await waitUntil(async () => (await reviewPosts('review.list')).every((n) => n.state === 'SENT'), 'the posts marked sent');
    expect(await reviewPosts('review.list')).toHaveLength(3);
    expect(system.standin.calls('sendMessage').filter((c) => c.chatId === GROUP_ID && c.error?.error_code === 429)).toHaveLength(1);
  });

  it('a stranger pressing «Одобрить» is refused and nothing changes', async () => {
    const thread = reviewTopicFromCalls();
    const messageId = group.messages({ threadId: thread }).at(-1)!.message_id;
    const stranger = group.as(STRANGER, { threadId: thread });
    const pressed = await stranger.pressButton({ messageId, data: `rv:a:d:${disputeId}` });
    expect(stranger.answerOf(pressed)?.text).toBe('Действовать в группе поддержки могут только операторы.');
    await stranger.sendText('одобряю');
    expect((await system.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).status).toBe('SUBMITTED');
  });

  it('Ольга opens the dispute (the evidence arrives), rejects it with a comment; Мария gets the rejection', async () => {
    const thread = reviewTopicFromCalls();
    const agent = group.as(AGENT, { threadId: thread });
    const messageId = group.messages({ threadId: thread }).at(-1)!.message_id;
    await agent.pressButton({ messageId, data: `rv:o:d:${disputeId}` });
    const sent = await system.standin.waitForCall((c) => c.method === 'sendDocument' && c.chatId === GROUP_ID, { timeoutMs: 15_000 });
    expect(sent.params).toMatchObject({ message_thread_id: thread });
    expect(JSON.stringify(sent.params)).toContain('udostoverenie.pdf');
    // The case's text is queued before its document in the topic's chain, and arrives first.
    const details = topicTexts(thread).findIndex((s) => s.includes('Причина: В удостоверении 72 часа'));
    expect(details).toBeGreaterThanOrEqual(0);
    expect(
      group
        .messages({ threadId: thread })
        .slice(details + 1)
        .some((m) => m.document?.file_name === 'udostoverenie.pdf'),
    ).toBe(true);
    await waitUntil(async () => (await reviewPosts('review.document')).map((n) => n.state).join() === 'SENT', 'the document marked sent');

    await agent.pressButton({ messageId, data: `rv:r:d:${disputeId}` });
    await waitUntil(() => topicTexts(thread).at(-1)!.includes('напишите комментарий'), 'the prompt for a comment');
    await agent.sendText('Копия не читается');
    await waitUntil(
      () => topicTexts(thread).at(-1) === 'Решение сохранено: Отклонено. Человек получит уведомление.',
      'the decision in the topic',
    );
    expect(await system.db.dispute.findUniqueOrThrow({ where: { id: disputeId } })).toMatchObject({
      status: 'REJECTED',
      decisionComment: 'Копия не читается',
      decidedBy: `agent:${AGENT.id}`,
    });
    expect((await system.db.dispute.findUniqueOrThrow({ where: { id: otherDisputeId } })).status).toBe('SUBMITTED');
    const notice = await system.standin.waitForCall(
      (c) => c.method === 'sendMessage' && c.chatId === maria.id && String(c.params.text).includes('оспаривание отклонено'),
      { timeoutMs: 15_000 },
    );
    expect(String(notice.params.text)).toContain('Копия не читается');
  });

  it('an identity confirmation is rejected with a reason code and a recommendation; Мария is told', async () => {
    const bytes = Buffer.from('%PDF-1.4 identity');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    await createDocumentStorage(system.config).put(storageKeyOf(sha256), bytes);
    const document = await system.db.document.create({
      data: {
        personId,
        kind: 'IDENTITY',
        sha256,
        mediaType: 'application/pdf',
        sizeBytes: bytes.length,
        storageKey: storageKeyOf(sha256),
        originalName: 'doverennost.pdf',
      },
    });
    const confirmation = await system.db.identityConfirmation.create({
      data: { personId, documentId: document.id, createdAt: system.clock.now() },
    });
    const thread = reviewTopicFromCalls();
    const agent = group.as(AGENT, { threadId: thread });
    await agent.sendCommand('/reviews');
    await waitUntil(
      () => topicTexts(thread).some((s) => s.includes('Подтверждение личности · Иванова Мария Петровна · загружено 13.01.2026')),
      'the confirmation in the queue',
    );
    await agent.pressButton({ messageId: group.messages({ threadId: thread }).at(-1)!.message_id, data: `rv:r:i:${confirmation.id}` });
    await waitUntil(() => topicTexts(thread).at(-1)!.startsWith('Причина отказа'), 'the reason codes');
    await agent.pressButton('документ не читается');
    await waitUntil(() => topicTexts(thread).at(-1)!.includes('напишите рекомендацию'), 'the prompt for a recommendation');
    await agent.sendText('Загрузите скан в хорошем качестве');
    expect(await system.db.identityConfirmation.findUniqueOrThrow({ where: { id: confirmation.id } })).toMatchObject({
      status: 'REJECTED',
      errorCode: 'unreadable',
      recommendation: 'Загрузите скан в хорошем качестве',
    });
    await system.standin.waitForCall(
      (c) => c.method === 'sendMessage' && c.chatId === maria.id && String(c.params.text).includes('Загрузите скан в хорошем качестве'),
      { timeoutMs: 15_000 },
    );
  });

  it('a canned reply managed over the admin API reaches Мария with placeholders filled', async () => {
    expect(
      (await admin('PUT', '/admin/canned-replies/hello', { text: 'Здравствуйте, {{name}}! Обращение №{{ticket}} принято. {{agent}}' }))
        .status,
    ).toBe(200);
    expect((await admin('GET', '/admin/canned-replies/hello')).body.cannedReply.text).toContain('{{name}}');
    await maria.sendCommand('/support');
    await maria.pressButton('🙋 Позвать оператора');
    // The worker creates the ticket's topic as it sends the card (queued), then the agent can answer there.
    await waitUntil(
      async () => (await system.db.supportTicket.findFirstOrThrow({ where: { personId } })).topicId !== null,
      'the ticket topic',
    );
    const ticket = await system.db.supportTicket.findFirstOrThrow({ where: { personId } });
    await group.as(AGENT, { threadId: ticket.topicId! }).sendCommand('/reply', 'hello');
    await waitUntil(
      () => texts(maria).at(-1) === 'Оператор поддержки\nЗдравствуйте, Мария! Обращение №1 принято. Оператор поддержки',
      'the canned reply in her chat',
    );
    const stored = await system.db.supportMessage.findFirstOrThrow({ where: { ticketId: ticket.id, direction: 'TO_PERSON' } });
    expect(stored.text).toContain('Здравствуйте, Мария!');
    await waitUntil(() => topicTexts(ticket.topicId!).at(-1) === 'Шаблон «hello» отправлен.', 'the confirmation in the ticket topic');
    await group.as(AGENT).sendCommand('/canned');
    // The list is queued like every post in the group (#6.7): a Notification row, sent into General.
    await waitUntil(
      () =>
        (
          group
            .messages()
            .map((m) => m.text ?? '')
            .at(-1) ?? ''
        ).includes('/reply hello'),
      'the canned list in the group',
    );
    const listed = await system.db.notification.findFirstOrThrow({
      where: { kind: 'group.line', payload: { path: ['line'], equals: 'support.group.canned-list' } },
    });
    expect(listed).toMatchObject({ chatId: BigInt(GROUP_ID), threadId: null, chain: 'group:general' });
    await waitUntil(
      async () => (await system.db.notification.findUniqueOrThrow({ where: { id: listed.id } })).state === 'SENT',
      'the list marked sent',
    );
    const confirmed = () =>
      system.db.notification.findFirstOrThrow({
        where: { kind: 'group.line', payload: { path: ['line'], equals: 'support.group.canned-sent' } },
      });
    await waitUntil(async () => (await confirmed()).state === 'SENT', 'the confirmation marked sent');
    expect(await confirmed()).toMatchObject({ threadId: ticket.topicId, chain: `support:${ticket.id}:group`, state: 'SENT' });
    expect((await admin('DELETE', '/admin/canned-replies/hello')).status).toBe(200);
    expect((await admin('GET', '/admin/canned-replies/hello')).status).toBe(404);
  });

  it('an unanswered ticket nearing its 1-working-day limit is raised once in its topic', async () => {
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    const petr = await system.db.person.create({
      data: { fullName: 'Петров Пётр', onboardingStep: 'LINKED', organizationId: organization.id, language: 'ru' },
    });
    const ticket = await system.db.supportTicket.create({
      data: { personId: petr.id, openedAt: new Date('2026-01-13T12:00:00+03:00'), topicId: await group.createTopic('№2 · Петров Пётр') },
    });
    const maintenance = system.worker!.get(MaintenanceProcessor);
    system.clock.set(new Date('2026-01-14T09:30:00+03:00'));
    expect(await maintenance.escalate()).toBe(0);
    system.clock.set(new Date('2026-01-14T10:30:00+03:00'));
    expect(await maintenance.escalate()).toBe(1);
    expect(await maintenance.escalate()).toBe(0);
    // Posted by the outbound queue, like every message the system sends unasked.
    await waitUntil(() => topicTexts(ticket.topicId!).some((s) => s.includes('ждёт первого ответа')), 'the escalation in the topic');
    const raised = topicTexts(ticket.topicId!).filter((s) => s.includes('ждёт первого ответа'));
    expect(raised).toEqual(['⏰ Обращение №2 ждёт первого ответа. Срок — 1 рабочий день: до 14.01.2026 12:00 (мск).']);
    expect((await system.db.supportTicket.findUniqueOrThrow({ where: { id: ticket.id } })).escalatedAt).toEqual(
      new Date('2026-01-14T10:30:00+03:00'),
    );
  });
});
