import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { NotificationsService } from '../notifications/notifications.service';
import { DisputesService } from './disputes.service';
import {
  createDocument,
  createEntry,
  createPerson,
  crashingAfterCommit,
  disputeServices,
  type recordingEvaluations,
} from '../../test/support/case-fixtures';

describe('DisputesService (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let clock: FixedClock;
  let service: DisputesService;
  let evaluations: ReturnType<typeof recordingEvaluations>;
  const reviewer = { type: 'admin' as const, id: 'http' };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 3 });
    clock = new FixedClock(new Date('2025-12-26T10:00:00+03:00'));
    ({ disputes: service, evaluations } = disputeServices(db, clock));
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  async function personWithEntry() {
    const person = await createPerson(db);
    const entry = await createEntry(db, person.id, 36);
    const document = await createDocument(db, person.id);
    return { person, entry, document };
  }

  it('files a proven dispute on an own entry, due by the end of the 10th working day (26.12.2025 → 21.01.2026)', async () => {
    clock.set(new Date('2025-12-26T10:00:00+03:00'));
    const { person, entry, document } = await personWithEntry();
    const filed = await service.file(person, {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'В удостоверении 72 часа',
      requestedValue: '72',
      documentIds: [document.id],
    });
    if (!filed.ok) throw new Error(filed.reason);
    expect(filed.dispute.dueAt.toISOString()).toBe(new Date('2026-01-21T23:59:59.999+03:00').toISOString());
    expect(await db.documentLink.count({ where: { subjectType: 'DISPUTE', subjectId: filed.dispute.id } })).toBe(1);
    expect(await db.auditLog.count({ where: { subjectId: filed.dispute.id, action: 'dispute.filed' } })).toBe(1);
  });

  it('refuses an unproven dispute, an empty reason, a bad value, someone else’s subject or evidence', async () => {
    const { person, entry, document } = await personWithEntry();
    const stranger = await personWithEntry();
    const base = { subjectType: 'CREDIT_ENTRY' as const, subjectId: entry.id, reason: 'ошибка', documentIds: [document.id] };
    expect(await service.file(person, { ...base, documentIds: [] })).toEqual({ ok: false, reason: 'evidence-required' });
    expect(await service.file(person, { ...base, reason: '   ' })).toEqual({ ok: false, reason: 'reason-required' });
    expect(await service.file(person, { ...base, requestedValue: 'много' })).toEqual({ ok: false, reason: 'requested-value-invalid' });
    expect(await service.file(person, { ...base, subjectId: stranger.entry.id })).toEqual({ ok: false, reason: 'subject-not-found' });
    expect(await service.file(person, { ...base, subjectId: 'not-a-uuid' })).toEqual({ ok: false, reason: 'subject-not-found' });
    expect(await service.file(person, { ...base, documentIds: [stranger.document.id] })).toEqual({
      ok: false,
      reason: 'document-not-found',
    });
    expect(
      await service.file(person, { subjectType: 'PROFILE_FIELD', field: 'passport', reason: 'x', documentIds: [document.id] }),
    ).toEqual({ ok: false, reason: 'field-unknown' });
    expect(
      await service.file(person, { subjectType: 'PROFILE_FIELD', field: 'specialty', reason: 'x', documentIds: [document.id] }),
    ).toMatchObject({ ok: true });
    expect(await db.dispute.count({ where: { personId: person.id } })).toBe(1);
  });

  it('checks a corrected quantity against the rule set as /add does: 50 ЗЕТ for a module capped at 36 is refused at filing', async () => {
    const { person, document } = await personWithEntry();
    const module = await db.creditEntry.create({
      data: { personId: person.id, creditTypeCode: 'iom', quantity: 20, occurredOn: new Date('2025-10-01T00:00:00Z'), source: 'IMPORT' },
    });
    const draft = (requestedValue: string) => ({
      subjectType: 'CREDIT_ENTRY' as const,
      subjectId: module.id,
      reason: 'в сертификате другое число',
      requestedValue,
      documentIds: [document.id],
    });
    expect(await service.file(person, draft('50'))).toEqual({ ok: false, reason: 'requested-value-above-max', params: { max: 36 } });
    expect(await service.check(person, draft('20,5'))).toEqual({ ok: false, reason: 'requested-value-off-step', params: { step: 1 } });
    expect(await service.check(person, draft('0,5'))).toEqual({ ok: false, reason: 'requested-value-below-min', params: { min: 1 } });
    expect(await db.dispute.count({ where: { personId: person.id } })).toBe(0);

    // ПК programs are 16 hours at least; the range is the person's rule set's, not a constant.
    const programme = await personWithEntry();
    expect(await service.check(programme.person, { ...draft('10'), subjectId: programme.entry.id })).toMatchObject({
      ok: false,
      reason: 'requested-value-below-min',
      params: { min: 16 },
    });

    const filed = await service.file(person, draft('36'));
    expect(filed).toMatchObject({ ok: true, dispute: { requestedValue: '36' } });
  });

  it('approval applies the requested quantity to the entry, journaled, re-evaluated, notified; a decision is final', async () => {
    const { person, entry, document } = await personWithEntry();
    const filed = await service.file(person, {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'должно быть 72',
      requestedValue: '72',
      documentIds: [document.id],
    });
    if (!filed.ok) throw new Error(filed.reason);
    expect(await service.startReview(filed.dispute.id, reviewer)).toMatchObject({ ok: true, dispute: { status: 'UNDER_REVIEW' } });
    const decided = await service.decide(filed.dispute.id, 'APPROVED', 'подтверждено удостоверением', reviewer);
    expect(decided).toMatchObject({
      ok: true,
      corrected: true,
      dispute: { status: 'APPROVED', decisionComment: 'подтверждено удостоверением' },
    });
    expect((await db.creditEntry.findUniqueOrThrow({ where: { id: entry.id } })).quantity).toBe(72);
    expect(await db.auditLog.count({ where: { subjectId: entry.id, action: 'credit-entry.corrected-by-dispute' } })).toBe(1);
    expect(evaluations.requests).toContain(person.id);
    expect(await db.notification.count({ where: { personId: person.id, kind: 'dispute.decided' } })).toBe(1);
    expect(await service.decide(filed.dispute.id, 'REJECTED', 'передумали', reviewer)).toEqual({ ok: false, reason: 'illegal-transition' });
  });

  it('appeal: only of an own rejected dispute, within 5 working days of the decision, once; its result is final', async () => {
    const { person, entry, document } = await personWithEntry();
    clock.set(new Date('2025-12-26T10:00:00+03:00'));
    const filed = await service.file(person, {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'неверно',
      requestedValue: '40',
      documentIds: [document.id],
    });
    if (!filed.ok) throw new Error(filed.reason);
    expect(await service.fileAppeal(person, filed.dispute.id, 'рано')).toEqual({ ok: false, reason: 'dispute-not-rejected' });

    // Decided on Monday 29.12.2025: 5 working days are 30.12, 12.01–15.01 → the window ends 15.01.2026 23:59 Moscow.
    clock.set(new Date('2025-12-29T12:00:00+03:00'));
    await service.decide(filed.dispute.id, 'REJECTED', 'документ не читается', reviewer);
    const stranger = await createPerson(db);
    expect(await service.fileAppeal(stranger, filed.dispute.id, 'чужое')).toEqual({ ok: false, reason: 'dispute-not-found' });

    clock.set(new Date('2026-01-16T00:00:00+03:00'));
    const late = await service.fileAppeal(person, filed.dispute.id, 'поздно');
    expect(late).toEqual({
      ok: false,
      reason: 'appeal-window-closed',
      params: { until: new Date('2026-01-15T23:59:59.999+03:00'), fallbackYear: null },
    });

    clock.set(new Date('2026-01-15T23:00:00+03:00'));
    const appeal = await service.fileAppeal(person, filed.dispute.id, 'прилагаю читаемую копию');
    if (!appeal.ok) throw new Error(appeal.reason);
    // 15 working days after 15.01.2026: 16.01 … 05.02.2026.
    expect(appeal.appeal.dueAt.toISOString()).toBe(new Date('2026-02-05T23:59:59.999+03:00').toISOString());
    expect(await service.fileAppeal(person, filed.dispute.id, 'ещё раз')).toEqual({ ok: false, reason: 'already-appealed' });

    expect(await service.decideAppeal(appeal.appeal.id, 'APPROVED', 'копия читается', reviewer)).toMatchObject({
      ok: true,
      corrected: true,
      appeal: { status: 'APPROVED' },
    });
    expect((await db.creditEntry.findUniqueOrThrow({ where: { id: entry.id } })).quantity).toBe(40);
    expect(await service.decideAppeal(appeal.appeal.id, 'REJECTED', 'нет', reviewer)).toEqual({ ok: false, reason: 'illegal-transition' });
    expect(await service.decideAppeal('00000000-0000-0000-0000-000000000000', 'REJECTED', 'нет', reviewer)).toEqual({
      ok: false,
      reason: 'appeal-not-found',
    });
  });

  it('a rejection and its appeal window reach the person even when the process dies right after the decision commits (#12.4)', async () => {
    clock.set(new Date('2025-12-26T10:00:00+03:00'));
    const { person, entry, document } = await personWithEntry();
    const filed = await service.file(person, {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'должно быть 72',
      documentIds: [document.id],
    });
    if (!filed.ok) throw new Error(filed.reason);
    const wired = disputeServices(db, clock);
    const crashing = new DisputesService(crashingAfterCommit(db), wired.deadlines, wired.credits, wired.notifications, evaluations, clock);
    await expect(crashing.decide(filed.dispute.id, 'REJECTED', 'нет подтверждения', reviewer)).rejects.toThrow(
      'died right after the commit',
    );

    expect(await db.dispute.findUniqueOrThrow({ where: { id: filed.dispute.id } })).toMatchObject({ status: 'REJECTED' });
    const notice = await db.notification.findUniqueOrThrow({ where: { idempotencyKey: `dispute.decided:${filed.dispute.id}` } });
    expect(notice).toMatchObject({ personId: person.id, kind: 'dispute.decided', state: 'PENDING' });
    expect(notice.payload).toMatchObject({ decision: 'REJECTED', appealUntil: expect.any(String) });
    // The reconciler hands it to the queue on its next round, as any due notification the queue never saw.
    const dispatched: string[] = [];
    await new NotificationsService(db, { dispatch: async (id) => void dispatched.push(id) }, clock).redispatchDue();
    expect(dispatched).toContain(notice.id);
  });

  it('an appeal decision reaches the person even when the process dies right after it commits', async () => {
    clock.set(new Date('2025-12-26T10:00:00+03:00'));
    const { person, entry, document } = await personWithEntry();
    const filed = await service.file(person, {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'должно быть 72',
      documentIds: [document.id],
    });
    if (!filed.ok) throw new Error(filed.reason);
    expect(await service.decide(filed.dispute.id, 'REJECTED', 'нет подтверждения', reviewer)).toMatchObject({ ok: true });
    const appeal = await service.fileAppeal(person, filed.dispute.id, 'прошу пересмотреть');
    if (!appeal.ok) throw new Error(appeal.reason);
    const wired = disputeServices(db, clock);
    const crashing = new DisputesService(crashingAfterCommit(db), wired.deadlines, wired.credits, wired.notifications, evaluations, clock);
    await expect(crashing.decideAppeal(appeal.appeal.id, 'APPROVED', 'подтверждено', reviewer)).rejects.toThrow(
      'died right after the commit',
    );
    expect(await db.notification.findUnique({ where: { idempotencyKey: `appeal.decided:${appeal.appeal.id}` } })).toMatchObject({
      kind: 'appeal.decided',
      state: 'PENDING',
    });
  });
});
