import ExcelJS from 'exceljs';
import type { ActionResult, Compliance, DocumentView, Entries } from '../../bot/http/cabinet/wire';
import { fakeExe, tinyPdf, tinyPng } from '../../core/documents/fixtures';
import { dbDateOf } from '../../core/shared/local-date';
import type { Person } from '../../generated/prisma/client';
import type { SimulatedUser } from '../../standin';
import { type LaunchUser, signedInitData, tmaHeader } from '../support/init-data';
import { DEMO_STAFF } from '../../prisma/seed';
import { createLinkedPerson, createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * What people do in the cabinet, at the API: every action goes through the chat's core service with the
 * person as the actor, and a refusal comes back as the chat's own sentence; nothing half-saved. The
 * education department's routes answer only an admin, for their own organization, and journal each read.
 */
jest.setTimeout(120_000);

describe('cabinet API: staff actions and the education department', () => {
  let system: RunningSystem;
  let anna: Person;
  let boris: Person;
  let olgaChat: SimulatedUser;
  const annaUser: LaunchUser = { id: 9401, first_name: 'Анна', language_code: 'ru' };
  const borisUser: LaunchUser = { id: 9402, first_name: 'Борис', language_code: 'ru' };
  const olgaUser: LaunchUser = { id: 9403, first_name: 'Ольга', language_code: 'ru' };
  // Small enough that a test file exceeds it; the PDF and PNG fixtures fit.
  const MAX_BYTES = 4096;

  async function call<T>(user: LaunchUser, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
    const raw = body instanceof Buffer;
    const response = await fetch(`${system.baseUrl}/cabinet/api/${path}`, {
      method,
      headers: {
        ...tmaHeader(signedInitData(user)),
        ...(body === undefined ? {} : { 'Content-Type': raw ? 'application/octet-stream' : 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : raw ? new Uint8Array(body) : JSON.stringify(body),
    });
    const type = response.headers.get('content-type') ?? '';
    return { status: response.status, json: (type.includes('json') ? await response.json() : null) as T, response };
  }
  const upload = (user: LaunchUser, bytes: Buffer, name: string) =>
    call<ActionResult & { document: DocumentView }>(user, 'POST', 'documents', bytes, { 'X-File-Name': encodeURIComponent(name) });

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00'), env: { DOCUMENT_MAX_BYTES: String(MAX_BYTES) } });
    anna = await createLinkedPerson(system, annaUser.id, {
      fullName: 'Кузнецова Анна Игоревна',
      category: 'NURSE',
      lastAccreditationDate: dbDateOf('2023-01-10'),
      externalId: 'N-401',
    });
    boris = await createLinkedPerson(system, borisUser.id, {
      fullName: 'Борисов Борис Борисович',
      category: 'DOCTOR',
      lastAccreditationDate: dbDateOf('2024-02-01'),
      externalId: 'D-402',
    });
    await system.db.rosterEntry.updateMany({ where: { personId: anna.id }, data: { department: 'Пульмонология' } });
    await createOrgAdmin(system, olgaUser.id);
    olgaChat = system.standin.user({ id: olgaUser.id, first_name: 'Ольга', language_code: 'ru' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it("adds an entry as /add does, journaled with Анна as the actor; a wrong one is refused with the chat's sentence", async () => {
    const added = await call<ActionResult & { entryId: string }>(annaUser, 'POST', 'entries', {
      typeCode: 'pk',
      quantity: 36,
      date: '2026-10-01',
    });
    expect(added.status).toBe(201);
    expect(added.json.message).toContain('Набрано 36 из 144 ЗЕТ');
    const entry = await system.db.creditEntry.findUniqueOrThrow({ where: { id: added.json.entryId } });
    expect(entry).toMatchObject({ personId: anna.id, source: 'SELF', quantity: 36 });
    expect(await system.db.auditLog.count({ where: { action: 'credit-entry.created', actorType: 'person', actorId: anna.id } })).toBe(1);

    const future = await call<ActionResult>(annaUser, 'POST', 'entries', { typeCode: 'pk', quantity: 36, date: '2026-12-01' });
    expect(future.status).toBe(422);
    expect(future.json).toMatchObject({ error: 'date-in-future', message: 'Дата не может быть в будущем: сегодня 25.11.2026.' });
    const malformed = await call<ActionResult>(annaUser, 'POST', 'entries', { typeCode: 'pk', quantity: 'много', date: '1.10.2026' });
    expect(malformed.status).toBe(400);
    expect(malformed.json.message).toMatch(/^Запрос не понят: quantity: .*; date: must be a date YYYY-MM-DD$/);
    expect(await system.db.creditEntry.count({ where: { personId: anna.id } })).toBe(1);
  });

  it('stores an upload as the chat stores a file (type by content, size limit, duplicates) and attaches it to her own entry only', async () => {
    const stored = await upload(annaUser, tinyPdf('Удостоверение'), 'удостоверение.pdf');
    expect(stored.status).toBe(201);
    expect(stored.json).toMatchObject({ message: '✅ Документ «удостоверение.pdf» сохранён.', document: { mediaType: 'application/pdf' } });
    const again = await upload(annaUser, tinyPdf('Удостоверение'), 'копия.pdf');
    expect(again.json.message).toContain('уже загружен');
    expect(again.json.document.id).toBe(stored.json.document.id);

    const exe = await upload(annaUser, fakeExe(), 'certificate.pdf');
    expect(exe.status).toBe(422);
    expect(exe.json).toMatchObject({ error: 'type-not-allowed', message: expect.stringContaining('определяется по содержимому') });
    const huge = await upload(annaUser, Buffer.concat([tinyPng(), Buffer.alloc(MAX_BYTES)]), 'скан.png');
    expect(huge.status).toBe(413);
    expect(huge.json).toMatchObject({ error: 'too-large' });

    const entry = await system.db.creditEntry.findFirstOrThrow({ where: { personId: anna.id } });
    const attached = await call<ActionResult>(annaUser, 'POST', `entries/${entry.id}/documents`, { documentId: stored.json.document.id });
    expect(attached.json.message).toBe('📎 «удостоверение.pdf» прикреплён к записи.');
    const entries = await call<Entries>(annaUser, 'GET', 'entries');
    expect(entries.json.entries[0].documents.map((d) => d.id)).toEqual([stored.json.document.id]);

    // Борис knows neither her entry nor her document: both read as missing, nothing is linked.
    const borisDocument = await upload(borisUser, tinyPng(7), 'диплом.png');
    expect(await system.db.document.count({ where: { personId: boris.id } })).toBe(1);
    const foreignEntry = await call<ActionResult>(borisUser, 'POST', `entries/${entry.id}/documents`, {
      documentId: borisDocument.json.document.id,
    });
    expect(foreignEntry.status).toBe(422);
    expect(foreignEntry.json).toMatchObject({ error: 'subject-not-found', message: 'Запись не найдена.' });
    const foreignDocument = await call<ActionResult>(annaUser, 'POST', `entries/${entry.id}/documents`, {
      documentId: borisDocument.json.document.id,
    });
    expect(foreignDocument.json).toMatchObject({ error: 'not-found' });
    expect(await system.db.documentLink.count({ where: { subjectId: entry.id } })).toBe(1);
  });

  it('files a dispute with evidence (due in 10 working days) and refuses one without, as /dispute does', async () => {
    const entry = await system.db.creditEntry.findFirstOrThrow({ where: { personId: anna.id } });
    const [document] = (await call<Entries>(annaUser, 'GET', 'entries')).json.documents;
    const without = await call<ActionResult>(annaUser, 'POST', 'disputes', {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'Курс был 72 часа',
      documentIds: [],
    });
    expect(without.status).toBe(422);
    expect(without.json.message).toBe('Выберите хотя бы один документ: спор без доказательств отклоняется.');
    const filed = await call<ActionResult>(annaUser, 'POST', 'disputes', {
      subjectType: 'CREDIT_ENTRY',
      subjectId: entry.id,
      reason: 'Курс был 72 часа',
      requestedValue: '72',
      documentIds: [document.id],
    });
    expect(filed.status).toBe(201);
    expect(filed.json.message).toBe('Спор отправлен. Рассмотрение до 09.12.2026. Решение придёт сюда, в чат.');
    const appeal = await call<ActionResult>(annaUser, 'POST', `disputes/${(await system.db.dispute.findFirstOrThrow()).id}/appeal`, {
      reason: 'Нет',
    });
    expect(appeal.json).toMatchObject({ error: 'dispute-not-rejected', message: 'Обжаловать можно только отклонённый спор.' });
  });

  it("refuses the education department's routes to anyone but its admin", async () => {
    const refused = await call<ActionResult>(annaUser, 'POST', 'admin/compliance', {});
    expect(refused.status).toBe(403);
    expect(refused.json).toMatchObject({ error: 'not-admin', message: expect.stringContaining('для администраторов') });
    expect((await call(annaUser, 'GET', 'admin/events')).status).toBe(403);
  });

  it('gives the admin the compliance table, filtered by department, and journals every read', async () => {
    const all = await call<Compliance>(olgaUser, 'POST', 'admin/compliance', {});
    expect(all.status).toBe(200);
    // The demo roster's units and Анна's, in order, each once.
    expect(all.json.departments).toEqual(
      [...new Set([...DEMO_STAFF.map((m) => m.department), 'Пульмонология'])].sort((a, b) => a.localeCompare(b)),
    );
    expect(all.json.rows.find((r) => r.fullName === 'Кузнецова Анна Игоревна')).toMatchObject({
      total: 36,
      department: 'Пульмонология',
      openDisputes: 1,
    });
    const therapy = await call<Compliance>(olgaUser, 'POST', 'admin/compliance', { department: 'Пульмонология' });
    expect(therapy.json.rows.map((r) => r.fullName)).toEqual(['Кузнецова Анна Игоревна']);
    const search = await call<Compliance>(olgaUser, 'POST', 'admin/compliance', { q: 'борисов' });
    expect(search.json.rows.map((r) => r.fullName)).toEqual(['Борисов Борис Борисович']);
    const withCases = await call<Compliance>(olgaUser, 'POST', 'admin/compliance', { status: 'open-cases' });
    expect(withCases.json.rows.map((r) => r.fullName)).toEqual(['Кузнецова Анна Игоревна']);
    const reads = await system.db.auditLog.findMany({ where: { action: 'report.compliance.read' }, orderBy: { at: 'asc' } });
    expect(reads.map((r) => r.after)).toEqual([
      expect.objectContaining({ channel: 'cabinet', format: 'json', filters: {} }),
      expect.objectContaining({ filters: { department: 'Пульмонология' } }),
      expect.objectContaining({ filters: { nameContains: 'борисов' } }),
      expect.objectContaining({ filters: { openCases: true } }),
    ]);
    const bad = await call<ActionResult>(olgaUser, 'POST', 'admin/compliance', { status: 'sleepy' });
    expect(bad.status).toBe(400);
  });

  it("exports the filtered table as XLSX, and sends it into the admin's chat with the bot", async () => {
    const file = await call(olgaUser, 'POST', 'admin/compliance/export', { format: 'xlsx', department: 'Пульмонология' });
    expect(file.status).toBe(200);
    expect(file.response.headers.get('content-disposition')).toMatch(/^attachment; filename="compliance-DEMO-2026-11-25\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await file.response.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(2).value).toBe('Кузнецова Анна Игоревна');
    expect(sheet.getRow(2).getCell(4).value).toBe('Пульмонология');

    const sent = await call<ActionResult>(olgaUser, 'POST', 'admin/compliance/send', { format: 'pdf' });
    expect(sent.json.message).toBe('Файл отправлен вам в чат с ботом.');
    const message = olgaChat.lastBotMessage()!;
    expect(message.document?.file_name).toBe('compliance-DEMO-2026-11-25.pdf');
    expect(message.caption).toContain('Отчёт о соответствии');
  });

  it('lists events with sign-ups and announcements with their counts, journaling the reads', async () => {
    const events = await call(olgaUser, 'GET', 'admin/events');
    expect(events.status).toBe(200);
    const announcements = await call(olgaUser, 'GET', 'admin/announcements');
    expect(announcements.json).toEqual([]);
    const missing = await call<ActionResult>(olgaUser, 'GET', 'admin/events/00000000-0000-4000-8000-000000000000');
    expect(missing.status).toBe(404);
    const journal = await system.db.auditLog.findMany({ where: { action: { startsWith: 'organization.' } }, orderBy: { at: 'asc' } });
    expect(journal.map((j) => j.action)).toEqual(['organization.events.read', 'organization.announcements.read']);
    expect(journal[0]).toMatchObject({ actorType: 'admin', after: { channel: 'cabinet' } });
  });
});
