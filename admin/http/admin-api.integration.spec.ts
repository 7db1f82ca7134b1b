import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { getShippedRuleSet } from '../../core/rules';
import { createDatabase, type Database } from '../../core/shared/database';
import { type AdminTestApp, startAdminTestApp } from '../../test/support/admin-app';
import { createTestDatabase } from '../../test/support/database';
import { deflatedRepeat, honestEntry, writeZip, type ZipEntry } from '../../test/support/zip-writer';
import { XLSX_MEDIA_TYPE } from './upload';

const TOKEN = 'test-admin-token-0123456789abcdef';

describe('admin HTTP API', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let cipher: PersonalDataCipher;
  let api: AdminTestApp;

  const auth = { Authorization: `Bearer ${TOKEN}` };
  const call = (
    method: string,
    path: string,
    init: { body?: RequestInit['body']; headers?: Record<string, string>; json?: unknown } = {},
  ) =>
    fetch(`${api.url}${path}`, {
      method,
      headers: { ...auth, ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}), ...init.headers },
      body: init.json !== undefined ? JSON.stringify(init.json) : init.body,
    });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    cipher = new PersonalDataCipher(randomBytes(32));
    api = await startAdminTestApp(db, cipher, TOKEN);
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.$disconnect();
    await database?.drop();
  });

  async function createOrganization(code: string): Promise<void> {
    const response = await call('POST', '/admin/organizations', { json: { code, name: `Больница ${code}` } });
    expect(response.status).toBe(201);
  }

  describe('guard', () => {
    it('answers 401 without a token and with a wrong one', async () => {
      const none = await fetch(`${api.url}/admin/rule-sets`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="admin"');
      const wrong = await fetch(`${api.url}/admin/rule-sets`, { headers: { Authorization: `Bearer ${TOKEN}x` } });
      expect(wrong.status).toBe(401);
      const short = await fetch(`${api.url}/admin/organizations/X/roster/import`, {
        method: 'POST',
        headers: { Authorization: 'Bearer x', 'Content-Type': 'text/csv' },
        body: 'a;b',
      });
      expect(short.status).toBe(401);
      expect((await call('GET', '/admin/rule-sets')).status).toBe(200);
    });

    it('does not exist at all when ADMIN_API_TOKEN is not configured', async () => {
      const closed = await startAdminTestApp(db, cipher, undefined);
      try {
        for (const [method, path] of [
          ['GET', '/admin/rule-sets'],
          ['POST', '/admin/organizations'],
          ['POST', '/admin/organizations/DEMO/roster/import'],
        ]) {
          const response = await fetch(`${closed.url}${path}`, { method, headers: auth });
          expect(response.status).toBe(404);
        }
      } finally {
        await closed.app.close();
      }
    });
  });

  describe('rule sets', () => {
    it('refuses a bad definition with 422 and the reasons, installs good versions', async () => {
      const nmo = getShippedRuleSet('nmo-709n');
      const broken = {
        ...nmo,
        code: 'nmo-local',
        creditTypes: [{ ...nmo.creditTypes[0], quantity: { min: 10, max: 5, unit: 'hours' } }, ...nmo.creditTypes.slice(1)],
        requried: 1,
      };
      const refused = await call('POST', '/admin/rule-sets', { json: broken });
      expect(refused.status).toBe(422);
      const { errors } = (await refused.json()) as { errors: string[] };
      expect(errors).toEqual(
        expect.arrayContaining(['creditTypes[0].quantity: min (10) is greater than max (5)', expect.stringContaining('requried')]),
      );

      const good = { ...nmo, code: 'nmo-local', minimums: { pk: 74 } };
      const created = await call('POST', '/admin/rule-sets', { json: good });
      expect(created.status).toBe(201);
      expect(await created.json()).toEqual({ code: 'nmo-local', version: 1, created: true });
      const newer = await call('POST', '/admin/rule-sets', { json: { ...good, version: 2 } });
      expect(newer.status).toBe(201);
      const older = await call('POST', '/admin/rule-sets', { json: { ...good, version: 1, minimums: { pk: 70 } } });
      expect(older.status).toBe(422);

      const list = (await (await call('GET', '/admin/rule-sets')).json()) as { ruleSets: Array<{ code: string; version: number }> };
      expect(list.ruleSets).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ code: 'nmo-local', version: 2 }),
          expect.objectContaining({ code: 'nmo-local', version: 1 }),
        ]),
      );
      expect(await (await call('GET', '/admin/rule-sets/nmo-local')).json()).toMatchObject({
        code: 'nmo-local',
        version: 2,
        minimums: { pk: 74 },
      });
      expect((await call('GET', '/admin/rule-sets/nothing-here')).status).toBe(404);
      expect(await db.auditLog.count({ where: { action: 'rule-set.installed', subjectId: 'nmo-local@1', actorType: 'admin' } })).toBe(1);
    });

    it('answers 400, not 500, to a body that is not JSON or not an object', async () => {
      const malformed = await call('POST', '/admin/rule-sets', { body: '{"code": ', headers: { 'Content-Type': 'application/json' } });
      expect(malformed.status).toBe(400);
      expect((await call('POST', '/admin/rule-sets', { json: [1, 2] })).status).toBe(400);
      expect((await call('POST', '/admin/rule-sets', { body: 'code=x', headers: { 'Content-Type': 'text/plain' } })).status).toBe(400);
    });

    it('assigns a rule set to an organization or one of its categories', async () => {
      await createOrganization('RULES1');
      const assigned = await call('PUT', '/admin/organizations/rules1/rule-set', {
        json: { ruleSetCode: 'seed-actions', category: 'фармацевт' },
      });
      expect(assigned.status).toBe(200);
      expect(await assigned.json()).toEqual({ organization: 'RULES1', category: 'PHARMACIST', ruleSetCode: 'seed-actions' });
      expect((await call('PUT', '/admin/organizations/RULES1/rule-set', { json: { ruleSetCode: 'nope' } })).status).toBe(422);
      expect(
        (await call('PUT', '/admin/organizations/RULES1/rule-set', { json: { ruleSetCode: 'nmo-709n', category: 'хирург' } })).status,
      ).toBe(400);
      expect((await call('PUT', '/admin/organizations/RULES1/rule-set', { json: { ruleSet: 'nmo-709n' } })).status).toBe(400);
      expect((await call('PUT', '/admin/organizations/NOWHERE/rule-set', { json: { ruleSetCode: 'nmo-709n' } })).status).toBe(404);
      const overview = await (await call('GET', '/admin/organizations/RULES1')).json();
      expect(overview).toMatchObject({
        code: 'RULES1',
        roster: { total: 0, linked: 0 },
        ruleSets: [{ category: 'PHARMACIST', ruleSetCode: 'seed-actions' }],
      });
    });
  });

  describe('organizations', () => {
    it('creates an organization once and explains bad input', async () => {
      const created = await call('POST', '/admin/organizations', { json: { code: 'gkb7', name: 'ГКБ № 7', contacts: 'hr@gkb7.example' } });
      expect(created.status).toBe(201);
      expect(await created.json()).toMatchObject({ code: 'GKB7', name: 'ГКБ № 7', contacts: 'hr@gkb7.example' });
      expect((await call('POST', '/admin/organizations', { json: { code: 'GKB7', name: 'Другая' } })).status).toBe(409);
      const bad = await call('POST', '/admin/organizations', { json: { code: 'Х', name: '' } });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { message: string }).message).toMatch(/code: .*; name: /);
      expect((await call('POST', '/admin/organizations', { json: { code: 'ГКБ', name: 'Кириллица' } })).status).toBe(400);
      expect((await call('POST', '/admin/organizations')).status).toBe(400);
      const journal = await db.auditLog.findFirstOrThrow({
        where: { action: 'organization.created', after: { path: ['code'], equals: 'GKB7' } },
      });
      expect(journal).toMatchObject({ actorType: 'admin', actorId: 'http' });
    });
  });

  describe('imports and invites', () => {
    const ROSTER_CSV =
      'Табельный номер;ФИО;Категория;СНИЛС;Дата последней аккредитации\nT-1;Иванова Мария Петровна;медсестра;112-233-445 95;15.03.2023\nT-2;Петров Пётр;врач;112-233-445 96;\n';

    it('imports a roster from a raw CSV body and from a multipart XLSX, re-import unchanged', async () => {
      await createOrganization('IMP1');
      const raw = await call('POST', '/admin/organizations/IMP1/roster/import', {
        body: ROSTER_CSV,
        headers: { 'Content-Type': 'text/csv; charset=utf-8' },
      });
      expect(raw.status).toBe(200);
      expect(await raw.json()).toEqual({
        total: 2,
        created: 1,
        updated: 0,
        unchanged: 0,
        rejected: [{ row: 3, reasons: ['snils-checksum'] }],
      });

      const book = new ExcelJS.Workbook();
      const sheet = book.addWorksheet('Штат');
      sheet.addRow(['Таб. №', 'ФИО', 'Категория', 'СНИЛС', 'Дата последней аккредитации']);
      sheet.addRow(['T-1', 'Иванова Мария Петровна', 'медсестра', '112-233-445 95', new Date(Date.UTC(2023, 2, 15))]);
      sheet.addRow(['T-3', 'Смирнов Олег Игоревич', 'лаборант', '', '']);
      const form = new FormData();
      form.append('comment', 'ноябрь');
      form.append('file', new Blob([await book.xlsx.writeBuffer()], { type: XLSX_MEDIA_TYPE }), 'roster.xlsx');
      const multipart = await call('POST', '/admin/organizations/IMP1/roster/import', { body: form });
      expect(multipart.status).toBe(200);
      expect(await multipart.json()).toEqual({ total: 2, created: 1, updated: 0, unchanged: 1, rejected: [] });
    });

    it('refuses what is not an importable file with a clear 4xx', async () => {
      await createOrganization('IMP2');
      const path = '/admin/organizations/IMP2/roster/import';
      const json = await call('POST', path, { json: { rows: [] } });
      expect(json.status).toBe(415);
      const noColumns = await call('POST', path, { body: 'Фамилия;Имя\nИванова;Мария\n', headers: { 'Content-Type': 'text/csv' } });
      expect(noColumns.status).toBe(400);
      expect(await noColumns.json()).toMatchObject({
        code: 'columns-missing',
        message: expect.stringContaining('externalId («Табельный номер»)'),
      });
      const xls = await call('POST', path, {
        body: Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0, 0, 0, 0]),
        headers: { 'Content-Type': 'application/vnd.ms-excel' },
      });
      expect(xls.status).toBe(400);
      expect(await xls.json()).toMatchObject({ code: 'xls-unsupported' });
      const empty = await call('POST', path, { body: '', headers: { 'Content-Type': 'text/csv' } });
      expect(empty.status).toBe(400);
      const noFileField = new FormData();
      noFileField.append('document', new Blob(['a;b']), 'x.csv');
      expect((await call('POST', path, { body: noFileField })).status).toBe(400);
      const huge = await call('POST', path, { body: Buffer.alloc(11 * 1024 * 1024, 0x41), headers: { 'Content-Type': 'text/csv' } });
      expect(huge.status).toBe(413);
      const hugeForm = new FormData();
      hugeForm.append('file', new Blob([Buffer.alloc(11 * 1024 * 1024, 0x41)]), 'big.csv');
      expect((await call('POST', path, { body: hugeForm })).status).toBe(413);
      expect(
        (await call('POST', '/admin/organizations/NOWHERE/roster/import', { body: ROSTER_CSV, headers: { 'Content-Type': 'text/csv' } }))
          .status,
      ).toBe(404);
    });

    it('refuses a forged workbook (a zip bomb declaring small sizes) with 400, and the API keeps answering', async () => {
      await createOrganization('BOMB');
      const book = new ExcelJS.Workbook();
      book.addWorksheet('Сотрудники').addRow(['Табельный номер', 'ФИО', 'Категория']);
      const honest = await JSZip.loadAsync(await book.xlsx.writeBuffer());
      const entries: ZipEntry[] = [];
      for (const file of Object.values(honest.files)) {
        if (file.dir) continue;
        entries.push(
          file.name === 'xl/worksheets/sheet1.xml'
            ? { ...honestEntry(file.name, ''), deflated: await deflatedRepeat(' ', 256 * 1024 * 1024), declaredSize: 1024 }
            : honestEntry(file.name, await file.async('nodebuffer')),
        );
      }
      const forged = await call('POST', '/admin/organizations/BOMB/roster/import', {
        body: writeZip(entries),
        headers: { 'Content-Type': XLSX_MEDIA_TYPE },
      });
      expect(forged.status).toBe(400);
      expect(await forged.json()).toMatchObject({
        code: 'xlsx-forged',
        message: expect.stringContaining('more than the 1024 bytes it declares'),
      });
      const next = await call('POST', '/admin/organizations/BOMB/roster/import', {
        body: ROSTER_CSV,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(next.status).toBe(200);
    });

    it('reports a CSV row with a stray quote by row and column, and imports the rows after it', async () => {
      await createOrganization('QUOT');
      const csv =
        'Табельный номер;ФИО;Категория\nQ-1;Иванова Мария Петровна;медсестра\n"Q-2;Петров Пётр Петрович;врач\nQ-3;Сидоров Иван Ильич;врач\n';
      const response = await call('POST', '/admin/organizations/QUOT/roster/import', {
        body: csv,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(await response.json()).toEqual({
        total: 3,
        created: 2,
        updated: 0,
        unchanged: 0,
        rejected: [{ row: 3, column: 1, reasons: ['csv-quote-unclosed'] }],
      });
    });

    it('imports credits for its own staff only and queues re-evaluation of linked people', async () => {
      await createOrganization('CRA');
      await createOrganization('CRB');
      await call('POST', '/admin/organizations/CRA/roster/import', { body: ROSTER_CSV, headers: { 'Content-Type': 'text/csv' } });
      const roster = 'Табельный номер;ФИО;Категория\nB-1;Орлов Олег Олегович;врач\n';
      await call('POST', '/admin/organizations/CRB/roster/import', { body: roster, headers: { 'Content-Type': 'text/csv' } });
      const a1 = await db.rosterEntry.findFirstOrThrow({ where: { organization: { code: 'CRA' }, externalId: 'T-1' } });
      const person = await db.person.create({ data: { fullName: a1.fullName, onboardingStep: 'LINKED' } });
      await db.rosterEntry.update({ where: { id: a1.id }, data: { personId: person.id, linkedAt: new Date() } });

      const credits = 'Табельный номер;Вид;Часы;Дата;Номер документа\nT-1;ПК;36;10.02.2025;УД-1\nB-1;ПК;36;10.02.2025;УД-2\n';
      const response = await call('POST', '/admin/organizations/CRA/credits/import', {
        body: credits,
        headers: { 'Content-Type': 'text/csv' },
      });
      expect(response.status).toBe(200);
      expect(await response.json()).toEqual({
        total: 2,
        created: 1,
        updated: 0,
        unchanged: 0,
        rejected: [{ row: 3, reasons: ['person-not-found'] }],
      });
      expect(await db.creditEntry.findFirstOrThrow({ where: { externalRef: 'УД-1' } })).toMatchObject({
        personId: person.id,
        rosterEntryId: a1.id,
      });
      expect(await db.creditEntry.count({ where: { rosterEntry: { organization: { code: 'CRB' } } } })).toBe(0);
      expect(api.queued).toEqual([{ name: 'evaluate', data: { personId: person.id, reason: 'import' } }]);
    });

    it('issues invite codes with deep links, shown once', async () => {
      await createOrganization('INV1');
      await call('POST', '/admin/organizations/INV1/roster/import', { body: ROSTER_CSV, headers: { 'Content-Type': 'text/csv' } });
      const response = await call('POST', '/admin/organizations/INV1/invites', { json: { validForDays: 14 } });
      expect(response.status).toBe(201);
      const body = (await response.json()) as {
        invites: Array<{ externalId: string; code: string; link: string; expiresAt: string }>;
        notFound: string[];
      };
      expect(body.invites).toHaveLength(1);
      expect(body.invites[0]).toMatchObject({ externalId: 'T-1', expiresAt: '2026-12-09T09:00:00.000Z' });
      expect(body.invites[0].link).toBe(`https://t.me/nmo_test_bot?start=${body.invites[0].code}`);
      expect((await call('POST', '/admin/organizations/INV1/invites', { json: { externalIds: 'T-1' } })).status).toBe(400);
      expect((await call('POST', '/admin/organizations/INV1/invites', { json: { validForDays: 0 } })).status).toBe(400);
      const revoked = await call('POST', '/admin/organizations/INV1/invites/revoke', { json: { externalIds: ['T-1'] } });
      expect(await revoked.json()).toEqual({ revoked: 1 });
    });
  });
});
