import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Person } from '../../generated/prisma/client';
import { FilesystemDocumentStorage } from '../../infra/storage/filesystem-storage';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { FixedClock } from '../shared/clock';
import { createDatabase, type Database } from '../shared/database';
import { dbDateOf } from '../shared/local-date';
import { DocumentsService } from './documents.service';
import { fakeExe, tinyHeic, tinyJpeg, tinyPdf, tinyPng } from './fixtures';

/** The same files every time the folder is walked: what is stored on disk, relative to the root. */
function filesUnder(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(dir, entry.name));
      else out.push(path.relative(root, path.join(dir, entry.name)));
    }
  };
  walk(root);
  return out;
}

describe('DocumentsService on PostgreSQL', () => {
  let database: TestDatabase;
  let db: Database;
  let dir: string;
  let service: DocumentsService;
  let anna: Person;
  let boris: Person;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    dir = mkdtempSync(path.join(tmpdir(), 'docs-int-'));
    service = new DocumentsService(db, new FilesystemDocumentStorage(dir), new FixedClock(new Date('2026-03-02T10:00:00Z')), {
      maxBytes: 1024 * 1024,
    });
    anna = await db.person.create({ data: { fullName: 'Анна', onboardingStep: 'LINKED' } });
    boris = await db.person.create({ data: { fullName: 'Борис', onboardingStep: 'LINKED' } });
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('stores a PDF by its content: type, size, SHA-256, a sha-based key, an audit record', async () => {
    const pdf = tinyPdf('store');
    const outcome = await service.store(anna, {
      bytes: pdf,
      originalName: 'certificate.jpg',
      telegramFileUniqueId: 'u1',
      kind: 'CERTIFICATE',
    });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.duplicate).toBe(false);
    expect(outcome.document).toMatchObject({
      mediaType: 'application/pdf',
      sizeBytes: pdf.length,
      kind: 'CERTIFICATE',
      originalName: 'certificate.jpg',
    });
    expect(outcome.document.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(outcome.document.storageKey).toBe(
      `${outcome.document.sha256.slice(0, 2)}/${outcome.document.sha256.slice(2, 4)}/${outcome.document.sha256}`,
    );
    expect(await service.content(anna, outcome.document.id)).toEqual(pdf);
    expect(await db.auditLog.count({ where: { action: 'document.store', subjectId: outcome.document.id } })).toBe(1);
  });

  it('recognises the same file from the same person as a duplicate, but not from another person', async () => {
    const png = tinyPng(7);
    const first = await service.store(anna, { bytes: png });
    const again = await service.store(anna, { bytes: png, originalName: 'copy.png' });
    const other = await service.store(boris, { bytes: png });
    if (!first.ok || !again.ok || !other.ok) throw new Error('refused');
    expect(again).toMatchObject({ duplicate: true, document: { id: first.document.id } });
    expect(other.duplicate).toBe(false);
    expect(other.document.storageKey).toBe(first.document.storageKey);
    const listed = await service.list(anna);
    expect(listed.find((l) => l.document.id === first.document.id)).toMatchObject({ duplicateUploads: 1, links: 0 });
  });

  it('accepts JPEG and HEIC, refuses an executable, empty content and too large files', async () => {
    expect(await service.store(anna, { bytes: tinyJpeg(1) })).toMatchObject({ ok: true, document: { mediaType: 'image/jpeg' } });
    expect(await service.store(anna, { bytes: tinyHeic() })).toMatchObject({ ok: true, document: { mediaType: 'image/heic' } });
    expect(await service.store(anna, { bytes: fakeExe(), originalName: 'diploma.pdf' })).toEqual({ ok: false, reason: 'type-not-allowed' });
    expect(await service.store(anna, { bytes: Buffer.alloc(0) })).toEqual({ ok: false, reason: 'empty' });
    const big = Buffer.concat([tinyPdf(), Buffer.alloc(1024 * 1024)]);
    expect(await service.store(anna, { bytes: big })).toEqual({ ok: false, reason: 'too-large', params: { limitMb: 1 } });
    expect(service.tooLarge(30 * 1024 * 1024)).toMatchObject({ reason: 'too-large' });
    expect(service.tooLarge(100)).toBeNull();
  });

  it('leaves neither a file nor a row when the insert fails', async () => {
    const before = filesUnder(dir);
    const ghost = { id: randomUUID() };
    await expect(service.store(ghost, { bytes: tinyPdf('orphan') })).rejects.toThrow();
    expect(filesUnder(dir)).toEqual(before);
    expect(await db.document.count({ where: { personId: ghost.id } })).toBe(0);
  });

  it('keeps a file another person still uses when an insert of the same bytes fails', async () => {
    const shared = tinyJpeg(42);
    const stored = await service.store(boris, { bytes: shared });
    if (!stored.ok) throw new Error(stored.reason);
    await expect(service.store({ id: randomUUID() }, { bytes: shared })).rejects.toThrow();
    expect(await service.content(boris, stored.document.id)).toEqual(shared);
  });

  it("treats another person's document exactly like a missing one", async () => {
    const mine = await service.store(boris, { bytes: tinyPdf('boris') });
    if (!mine.ok) throw new Error(mine.reason);
    expect(await service.get(anna, mine.document.id)).toBeNull();
    expect(await service.get(anna, 'not-a-uuid')).toBeNull();
    expect(await service.content(anna, mine.document.id)).toBeNull();
    expect(await service.setKind(anna, mine.document.id, 'DIPLOMA')).toEqual({ ok: false, reason: 'not-found' });
    expect(await service.setKind(anna, randomUUID(), 'DIPLOMA')).toEqual({ ok: false, reason: 'not-found' });
    const entry = await db.creditEntry.create({
      data: { personId: anna.id, creditTypeCode: 'pk', quantity: 36, occurredOn: dbDateOf('2026-02-10') },
    });
    expect(await service.attach(anna, mine.document.id, { type: 'CREDIT_ENTRY', id: entry.id })).toEqual({
      ok: false,
      reason: 'not-found',
    });
    expect(await service.list(anna)).not.toContainEqual(
      expect.objectContaining({ document: expect.objectContaining({ id: mine.document.id }) }),
    );
  });

  it('sets the kind with an audit record', async () => {
    const stored = await service.store(anna, { bytes: tinyPng(99) });
    if (!stored.ok) throw new Error(stored.reason);
    expect(await service.setKind(anna, stored.document.id, 'DIPLOMA')).toMatchObject({ ok: true, document: { kind: 'DIPLOMA' } });
    expect(await db.auditLog.count({ where: { action: 'document.kind', subjectId: stored.document.id } })).toBe(1);
  });

  it("attaches to the person's own credit entry (which then points at the document), once, and to nobody else's records", async () => {
    const stored = await service.store(anna, { bytes: tinyPdf('attach') });
    if (!stored.ok) throw new Error(stored.reason);
    const id = stored.document.id;
    const entry = await db.creditEntry.create({
      data: { personId: anna.id, creditTypeCode: 'pk', quantity: 36, occurredOn: dbDateOf('2026-02-10') },
    });
    expect(await service.attach(anna, id, { type: 'CREDIT_ENTRY', id: entry.id })).toMatchObject({ ok: true, alreadyAttached: false });
    expect(await service.attach(anna, id, { type: 'CREDIT_ENTRY', id: entry.id })).toMatchObject({ ok: true, alreadyAttached: true });
    expect((await db.creditEntry.findUniqueOrThrow({ where: { id: entry.id } })).documentId).toBe(id);
    expect(await service.linksOf(anna, id)).toEqual([{ type: 'CREDIT_ENTRY', id: entry.id }]);
    expect(await db.auditLog.count({ where: { action: 'document.attach', subjectId: id } })).toBe(1);

    const borisEntry = await db.creditEntry.create({
      data: { personId: boris.id, creditTypeCode: 'pk', quantity: 36, occurredOn: dbDateOf('2026-02-10') },
    });
    expect(await service.attach(anna, id, { type: 'CREDIT_ENTRY', id: borisEntry.id })).toEqual({ ok: false, reason: 'subject-not-found' });
    expect((await db.creditEntry.findUniqueOrThrow({ where: { id: borisEntry.id } })).documentId).toBeNull();
    expect(await service.attach(anna, id, { type: 'CREDIT_ENTRY', id: 'junk' })).toEqual({ ok: false, reason: 'subject-not-found' });

    const application = await db.application.create({ data: { personId: anna.id, kind: 'accreditation', title: 'Аккредитация' } });
    const borisApplication = await db.application.create({ data: { personId: boris.id, kind: 'accreditation', title: 'Аккредитация' } });
    expect(await service.attach(anna, id, { type: 'APPLICATION', id: application.id })).toMatchObject({ ok: true });
    expect(await service.attach(anna, id, { type: 'APPLICATION', id: borisApplication.id })).toEqual({
      ok: false,
      reason: 'subject-not-found',
    });

    const portfolio = await db.portfolio.create({
      data: { personId: anna.id, name: 'П', periodStart: dbDateOf('2026-01-01'), periodEnd: dbDateOf('2026-12-31') },
    });
    const item = await db.portfolioItem.create({
      data: { portfolioId: portfolio.id, section: (await firstSection()) as never, kind: 'certificate', title: 'Сертификат' },
    });
    expect(await service.attach(anna, id, { type: 'PORTFOLIO_ITEM', id: item.id })).toMatchObject({ ok: true });
    expect(await service.attach(boris, id, { type: 'PORTFOLIO_ITEM', id: item.id })).toEqual({ ok: false, reason: 'not-found' });
    expect(await service.attach(anna, id, { type: 'DISPUTE', id: randomUUID() })).toEqual({ ok: false, reason: 'subject-not-found' });
    expect(await service.attach(anna, id, { type: 'APPEAL', id: randomUUID() })).toEqual({ ok: false, reason: 'subject-not-found' });
    expect((await service.list(anna)).find((l) => l.document.id === id)?.links).toBe(3);
  });

  it('stores a file whose name carries U+0000 (PostgreSQL refuses it in text), without it (#12.2)', async () => {
    const outcome = await service.store(anna, { bytes: tinyPdf('nul-name'), originalName: 'справка\u0000.pdf' });
    if (!outcome.ok) throw new Error(outcome.reason);
    expect(outcome.document.originalName).toBe('справка.pdf');
  });
});

async function firstSection(): Promise<string> {
  const { PortfolioSection } = await import('../../generated/prisma/enums');
  return Object.values(PortfolioSection)[0];
}
