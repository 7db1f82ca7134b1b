import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Person } from '../../generated/prisma/client';
import { FilesystemDocumentStorage } from '../../infra/storage/filesystem-storage';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { DocumentsService } from '../documents/documents.service';
import { tinyPdf, tinyPng } from '../documents/fixtures';
import { NotificationsService } from '../notifications/notifications.service';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { IdentityService } from './identity.service';
import { crashingAfterCommit } from '../../test/support/case-fixtures';

const noDispatch = { dispatch: async () => undefined };

describe('IdentityService (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let dir: string;
  let clock: FixedClock;
  let documents: DocumentsService;
  let service: IdentityService;
  let anna: Person;
  let boris: Person;
  const reviewer = { type: 'admin' as const, id: 'http' };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 3 });
    dir = mkdtempSync(path.join(tmpdir(), 'identity-int-'));
    clock = new FixedClock(new Date('2026-03-02T10:00:00Z'));
    documents = new DocumentsService(db, new FilesystemDocumentStorage(dir), clock);
    service = new IdentityService(db, documents, new NotificationsService(db, noDispatch, clock), clock);
    anna = await db.person.create({ data: { fullName: 'Анна', onboardingStep: 'LINKED' } });
    boris = await db.person.create({ data: { fullName: 'Борис', onboardingStep: 'LINKED' } });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function upload(person: Person, bytes: Buffer) {
    const stored = await documents.store(person, { bytes });
    if (!stored.ok) throw new Error(stored.reason);
    return stored.document;
  }

  it('starts with nothing, and a first upload is PENDING with the document marked IDENTITY', async () => {
    expect(await service.state(anna)).toEqual({ kind: 'none' });
    const document = await upload(anna, tinyPdf('power-of-attorney'));
    const submitted = await service.submit(anna, document.id);
    if (!submitted.ok) throw new Error(submitted.reason);
    expect(submitted).toMatchObject({ replaced: false, confirmation: { status: 'PENDING', documentId: document.id } });
    expect((await db.document.findUniqueOrThrow({ where: { id: document.id } })).kind).toBe('IDENTITY');
    expect(await service.state(anna)).toMatchObject({ kind: 'pending', confirmation: { id: submitted.confirmation.id } });
    expect(await db.auditLog.count({ where: { action: 'identity.submitted', subjectId: submitted.confirmation.id } })).toBe(1);
  });

  it('a new upload while pending replaces the document of the same confirmation, journaled', async () => {
    const pending = await db.identityConfirmation.findFirstOrThrow({ where: { personId: anna.id, status: 'PENDING' } });
    const document = await upload(anna, tinyPng(7));
    const submitted = await service.submit(anna, document.id);
    expect(submitted).toMatchObject({ ok: true, replaced: true, confirmation: { id: pending.id, documentId: document.id } });
    expect(await db.identityConfirmation.count({ where: { personId: anna.id } })).toBe(1);
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: 'identity.document-replaced', subjectId: pending.id } });
    expect(audit.before).toEqual({ documentId: pending.documentId });
  });

  it('refuses someone else’s document and never shows someone else’s confirmation', async () => {
    const annas = await db.document.findFirstOrThrow({ where: { personId: anna.id } });
    expect(await service.submit(boris, annas.id)).toEqual({ ok: false, reason: 'document-not-found' });
    expect(await service.submit(boris, 'not-a-uuid')).toEqual({ ok: false, reason: 'document-not-found' });
    expect(await service.state(boris)).toEqual({ kind: 'none' });
  });

  it('two uploads at once leave one pending confirmation', async () => {
    const [a, b] = [await upload(boris, tinyPdf('b1')), await upload(boris, tinyPdf('b2'))];
    await Promise.all([service.submit(boris, a.id), service.submit(boris, b.id)]);
    expect(await db.identityConfirmation.count({ where: { personId: boris.id, status: 'PENDING' } })).toBe(1);
  });

  it('a rejection keeps the code and recommendation, notifies once, is final; a re-upload opens a new PENDING', async () => {
    const pending = await db.identityConfirmation.findFirstOrThrow({ where: { personId: anna.id, status: 'PENDING' } });
    clock.set(new Date('2026-03-03T09:00:00Z'));
    const rejected = await service.decide(
      pending.id,
      { decision: 'REJECTED', errorCode: 'unreadable', recommendation: 'Сфотографируйте при дневном свете' },
      reviewer,
    );
    expect(rejected).toMatchObject({
      ok: true,
      confirmation: { status: 'REJECTED', errorCode: 'unreadable', reviewerId: 'admin:http', expiresAt: null },
    });
    expect(await service.decide(pending.id, { decision: 'SUCCESS' }, reviewer)).toEqual({ ok: false, reason: 'already-decided' });
    expect(await service.decide('00000000-0000-0000-0000-000000000000', { decision: 'SUCCESS' }, reviewer)).toEqual({
      ok: false,
      reason: 'confirmation-not-found',
    });
    const notice = await db.notification.findMany({ where: { personId: anna.id, kind: 'identity.decided' } });
    expect(notice).toHaveLength(1);
    expect(notice[0].payload).toMatchObject({
      decision: 'REJECTED',
      errorCode: 'unreadable',
      recommendation: 'Сфотографируйте при дневном свете',
      expiresAt: null,
    });
    expect(await service.state(anna)).toMatchObject({ kind: 'rejected', confirmation: { id: pending.id } });
    expect(await db.auditLog.count({ where: { action: 'identity.decided', subjectId: pending.id } })).toBe(1);

    const again = await service.submit(anna, (await upload(anna, tinyPdf('readable'))).id);
    expect(again).toMatchObject({ ok: true, replaced: false, confirmation: { status: 'PENDING' } });
    expect(again.ok && again.confirmation.id).not.toBe(pending.id);
  });

  it('SUCCESS is valid for a year from the decision and reads as expired afterwards', async () => {
    const pending = await db.identityConfirmation.findFirstOrThrow({ where: { personId: anna.id, status: 'PENDING' } });
    clock.set(new Date('2026-03-04T12:00:00Z'));
    const decided = await service.decide(pending.id, { decision: 'SUCCESS' }, reviewer);
    if (!decided.ok) throw new Error(decided.reason);
    expect(decided.confirmation.expiresAt?.toISOString()).toBe('2027-03-04T12:00:00.000Z');
    expect(await service.state(anna)).toMatchObject({ kind: 'success', expired: false });
    const notice = await db.notification.findFirstOrThrow({ where: { subjectId: pending.id, kind: 'identity.decided' } });
    expect(notice.payload).toMatchObject({ decision: 'SUCCESS', expiresAt: '2027-03-04T12:00:00.000Z' });
    clock.set(new Date('2027-03-05T00:00:00Z'));
    expect(await service.state(anna)).toMatchObject({ kind: 'success', expired: true });
  });

  it('gives reviewers the list by status and the uploaded file', async () => {
    const pendingOnes = await service.listForReview({ status: 'PENDING' });
    expect(pendingOnes.map((c) => c.person.fullName)).toEqual(['Борис']);
    const file = await service.documentOf(pendingOnes[0].id);
    expect(file?.bytes.subarray(0, 4).toString()).toBe('%PDF');
    expect(await service.documentOf('nope')).toBeNull();
  });

  it('a rejection reaches the person even when the process dies right after the decision commits (#12.4)', async () => {
    const carol = await db.person.create({ data: { fullName: 'Карина', onboardingStep: 'LINKED' } });
    const submitted = await service.submit(carol, (await upload(carol, tinyPdf('карина'))).id);
    if (!submitted.ok) throw new Error(submitted.reason);
    const crashing = new IdentityService(crashingAfterCommit(db), documents, new NotificationsService(db, noDispatch, clock), clock);
    await expect(
      crashing.decide(
        submitted.confirmation.id,
        { decision: 'REJECTED', errorCode: 'UNREADABLE', recommendation: 'Загрузите скан чётче' },
        reviewer,
      ),
    ).rejects.toThrow('died right after the commit');
    expect(await db.identityConfirmation.findUniqueOrThrow({ where: { id: submitted.confirmation.id } })).toMatchObject({
      status: 'REJECTED',
    });
    expect(await db.notification.findFirst({ where: { personId: carol.id, subjectId: submitted.confirmation.id } })).toMatchObject({
      state: 'PENDING',
      payload: expect.objectContaining({ decision: 'REJECTED', recommendation: 'Загрузите скан чётче' }),
    });
  });
});
