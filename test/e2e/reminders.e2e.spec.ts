import type { Job } from 'bullmq';
import { Redis } from 'ioredis';
import { reviewTopicKey } from '../../infra/telegram/review-topic';
import type { CallRecord } from '../../standin';
import { testRedisUrl } from '../support/redis';
import { RemindersProcessor } from '../../worker/processors/reminders.processor';
import { waitUntil } from '../support/eventually';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Deadline reminders through the whole system (worker on, FixedClock): Мария's appeal window closes on
 * Wednesday 14.01.2026, so on Tuesday morning she gets one notice with «Обжаловать», however many times the
 * daily job runs; reviewers get the list of what is due on Wednesday in the support group's review topic
 * (deleted before 09:00, it is created again on the way); Анна is told to
 * renew her identity confirmation 30 and then 7 days before it expires, with «Загрузить снова».
 */
const GROUP_ID = -1001234567890;
const DAY = 24 * 60 * 60 * 1000;

describe('deadline reminders (ru)', () => {
  let system: RunningSystem;
  let mariaDisputeId: string;
  let petrDisputeId: string;
  let appealId: string;
  let annaId: string;
  let deletedReviewTopic: number;

  const daily = () => system.worker!.get(RemindersProcessor).process({ name: 'daily-reminders' } as Job);
  const sent = (chatId: number, fragment: string) => (c: CallRecord) =>
    c.method === 'sendMessage' && c.chatId === chatId && String(c.params.text).includes(fragment);
  const count = (chatId: number, fragment: string) => system.standin.calls().filter(sent(chatId, fragment)).length;
  const buttons = (call: CallRecord) => JSON.stringify(call.params.reply_markup ?? {});

  async function linkedPerson(telegramUserId: number, fullName: string) {
    const person = await system.db.person.create({ data: { fullName, onboardingStep: 'LINKED', language: 'ru' } });
    await system.db.telegramIdentity.create({
      data: { telegramUserId: BigInt(telegramUserId), chatId: BigInt(telegramUserId), personId: person.id },
    });
    return person;
  }

  beforeAll(async () => {
    // Tuesday 13.01.2026, 09:00 Moscow: the daily job's hour.
    system = await startSystem({ now: new Date('2026-01-13T09:00:00+03:00'), worker: true, env: { SUPPORT_CHAT_ID: String(GROUP_ID) } });
    system.standin.user({ id: 7301, first_name: 'Мария', language_code: 'ru' });
    system.standin.user({ id: 7302, first_name: 'Анна', language_code: 'ru' });
    const group = system.standin.group({ id: GROUP_ID, title: 'Поддержка', is_forum: true });
    // The review topic existed (a /reviews of yesterday) and an admin deleted it before 09:00.
    deletedReviewTopic = await group.createTopic('Рассмотрение');
    const redis = new Redis(testRedisUrl());
    try {
      await redis.set(reviewTopicKey(system.config.REDIS_PREFIX), String(deletedReviewTopic));
    } finally {
      redis.disconnect();
    }
    group.deleteTopic(deletedReviewTopic);
    const maria = await linkedPerson(7301, 'Иванова Мария Петровна');
    const petr = await linkedPerson(7303, 'Петров Пётр Петрович');
    const anna = await linkedPerson(7302, 'Сидорова Анна Викторовна');
    annaId = anna.id;
    // Rejected on Friday 26.12.2025: the window is 29, 30.12 and 12–14.01, so it ends on Wednesday 14.01.
    const rejected = {
      subjectType: 'PROFILE_FIELD' as const,
      field: 'specialty',
      reason: 'неверно',
      status: 'REJECTED' as const,
      filedAt: new Date('2025-12-10T10:00:00+03:00'),
      dueAt: new Date('2025-12-24T23:59:59.999+03:00'),
      decidedAt: new Date('2025-12-26T12:00:00+03:00'),
    };
    mariaDisputeId = (await system.db.dispute.create({ data: { ...rejected, personId: maria.id } })).id;
    // Пётр appealed already: no window notice; his appeal and a fresh dispute are due on Wednesday.
    const petrRejected = await system.db.dispute.create({ data: { ...rejected, personId: petr.id } });
    appealId = (
      await system.db.appeal.create({
        data: { disputeId: petrRejected.id, personId: petr.id, reason: 'не согласен', dueAt: new Date('2026-01-14T23:59:59.999+03:00') },
      })
    ).id;
    petrDisputeId = (
      await system.db.dispute.create({
        data: {
          personId: petr.id,
          subjectType: 'PROFILE_FIELD',
          field: 'category',
          reason: 'неверно',
          dueAt: new Date('2026-01-14T23:59:59.999+03:00'),
        },
      })
    ).id;
    // Not due until Thursday: not on Tuesday's list.
    await system.db.dispute.create({
      data: {
        personId: petr.id,
        subjectType: 'PROFILE_FIELD',
        field: 'fullName',
        reason: 'неверно',
        dueAt: new Date('2026-01-15T23:59:59.999+03:00'),
      },
    });
    const document = await system.db.document.create({
      data: {
        personId: anna.id,
        kind: 'IDENTITY',
        sha256: 'sha-anna',
        mediaType: 'application/pdf',
        sizeBytes: 1000,
        storageKey: 'k/anna',
        originalName: 'doverennost.pdf',
      },
    });
    await system.db.identityConfirmation.create({
      data: {
        personId: anna.id,
        documentId: document.id,
        status: 'SUCCESS',
        decidedAt: new Date('2025-02-12T09:00:00+03:00'),
        expiresAt: new Date('2026-02-12T09:00:00+03:00'),
      },
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('tells Мария once, the working day before her appeal window closes, with «Обжаловать»', async () => {
    await daily();
    await daily();
    const call = await system.standin.waitForCall(sent(7301, 'Срок подачи апелляции'), { timeoutMs: 15_000 });
    expect(String(call.params.text)).toContain('до 14.01.2026 включительно');
    expect(buttons(call)).toContain(`apl:${mariaDisputeId}`);
    expect(buttons(call)).toContain('Обжаловать');
    expect(await system.db.notification.count({ where: { kind: 'appeal.window-closing' } })).toBe(1);
    expect(count(7303, 'Срок подачи апелляции')).toBe(0);
  });

  it('lists the dispute and the appeal due on Wednesday to reviewers in a recreated review topic, once', async () => {
    const call = await system.standin.waitForCall((c) => sent(GROUP_ID, 'истекает срок рассмотрения')(c) && c.ok, { timeoutMs: 15_000 });
    // The deleted topic answered «message thread not found»: the worker made a new one and posted there.
    const created = system.standin.calls('createForumTopic').filter((c) => c.ok);
    expect(created).toHaveLength(1);
    const thread = (created[0].result as { message_thread_id: number }).message_thread_id;
    expect(thread).not.toBe(deletedReviewTopic);
    expect(call.params.message_thread_id).toBe(thread);
    expect(
      system.standin
        .calls('sendMessage')
        .filter((c) => c.chatId === GROUP_ID && c.params.message_thread_id === deletedReviewTopic && !c.ok),
    ).toHaveLength(1);
    const row = await system.db.notification.findFirstOrThrow({ where: { kind: 'review.due' } });
    expect(row.chain).toBe('reviews:topic');
    await waitUntil(
      async () => (await system.db.notification.findUniqueOrThrow({ where: { id: row.id } })).state === 'SENT',
      'the list marked sent',
    );
    const text = String(call.params.text);
    expect(text).toContain('дел: 2');
    expect(text).toContain(`Оспаривание ${petrDisputeId.slice(0, 8)} — до 14.01.2026 23:59 МСК`);
    expect(text).toContain(`Апелляция ${appealId.slice(0, 8)}`);
    expect(buttons(call)).toContain(`rv:o:d:${petrDisputeId}`);
    expect(buttons(call)).toContain(`rv:o:a:${appealId}`);
    expect(await system.db.notification.count({ where: { kind: 'review.due' } })).toBe(1);
  });

  it('tells Анна 30 days and 7 days before her identity confirmation expires, with «Загрузить снова»', async () => {
    // 13.01 is 30 days before 12.02.
    const first = await system.standin.waitForCall(sent(7302, 'Подтверждение личности действует до 12.02.2026'), { timeoutMs: 15_000 });
    expect(buttons(first)).toContain('idn:up');
    expect(
      await system.db.notification.findMany({ where: { personId: annaId, kind: 'identity.expiring' }, select: { payload: true } }),
    ).toEqual([{ payload: expect.objectContaining({ milestone: 30 }) }]);

    system.clock.advance(DAY);
    await daily();
    expect(await system.db.notification.count({ where: { personId: annaId, kind: 'identity.expiring' } })).toBe(1);

    system.clock.set(new Date('2026-02-05T09:00:00+03:00'));
    await daily();
    await daily();
    const milestones = await system.db.notification.findMany({
      where: { personId: annaId, kind: 'identity.expiring' },
      select: { payload: true },
      orderBy: { createdAt: 'asc' },
    });
    expect(milestones.map((n) => (n.payload as { milestone: number }).milestone)).toEqual([30, 7]);
    await system.standin.waitForCall((c) => sent(7302, 'Подтверждение личности действует')(c) && c.index !== first.index, {
      timeoutMs: 15_000,
    });
    expect(count(7302, 'Подтверждение личности действует')).toBe(2);
  });
});
