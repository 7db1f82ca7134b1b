import { randomBytes } from 'node:crypto';
import ExcelJS from 'exceljs';
import { CreditsService } from '../../core/credits/credits.service';
import { evaluate } from '../../core/credits/engine';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { createDatabase, type Database } from '../../core/shared/database';
import { dbDateOf } from '../../core/shared/local-date';
import { type AdminTestApp, startAdminTestApp } from '../../test/support/admin-app';
import { createTestDatabase } from '../../test/support/database';
import { pdfPages } from '../../test/support/pdf-text';
import { createLinkedPerson } from '../../test/support/people';

const TOKEN = 'test-admin-token-0123456789abcdef';

/**
 * The education department reads its compliance report through the admin API with its own key: every
 * staff member with the engine's figures, as JSON, a workbook Excel sorts and filters, or a PDF; the key
 * of one hospital never reads another's staff, and every read is journaled.
 */
describe('compliance and program reports through the admin API', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let api: AdminTestApp;
  let alphaKey: string;
  const people: Record<string, string> = {};

  const call = (path: string, token: string) => fetch(`${api.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 4 });
    api = await startAdminTestApp(db, new PersonalDataCipher(randomBytes(32)), TOKEN);
    for (const code of ['ALPHA', 'BETA']) {
      const created = await fetch(`${api.url}/admin/organizations`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
        body: JSON.stringify({ code, name: `Больница ${code}` }),
      });
      expect(created.status).toBe(201);
    }
    const admin = await createLinkedPerson({ db }, 8001, {
      organizationCode: 'ALPHA',
      externalId: 'A-ADM',
      fullName: 'Админова Анна',
      category: 'ADMINISTRATOR',
      orgRole: 'ADMIN',
      lastAccreditationDate: dbDateOf('2024-01-15'),
    });
    people.admin = admin.id;
    // A nurse whose cycle ends within months, far behind; a doctor with a fresh cycle and some credits.
    const nurse = await createLinkedPerson({ db }, 8002, {
      organizationCode: 'ALPHA',
      externalId: 'A-2',
      fullName: 'Петрова Ольга Сергеевна',
      category: 'NURSE',
      lastAccreditationDate: dbDateOf('2022-03-01'),
    });
    const doctor = await createLinkedPerson({ db }, 8003, {
      organizationCode: 'ALPHA',
      externalId: 'A-3',
      fullName: 'Сидоров Илья Ильич',
      category: 'DOCTOR',
      lastAccreditationDate: dbDateOf('2025-06-01'),
    });
    people.nurse = nurse.id;
    people.doctor = doctor.id;
    await db.creditEntry.createMany({
      data: [
        { personId: nurse.id, creditTypeCode: 'pk', quantity: 36, occurredOn: dbDateOf('2023-05-10'), source: 'IMPORT' },
        { personId: nurse.id, creditTypeCode: 'iom', quantity: 6, occurredOn: dbDateOf('2024-02-01') },
        { personId: doctor.id, creditTypeCode: 'iom', quantity: 12, occurredOn: dbDateOf('2026-03-01') },
        {
          personId: doctor.id,
          creditTypeCode: 'iom',
          quantity: 5,
          occurredOn: dbDateOf('2026-04-01'),
          deletedAt: new Date('2026-04-02T00:00:00Z'),
        },
      ],
    });
    const dispute = await db.dispute.create({
      data: { personId: nurse.id, subjectType: 'CREDIT_ENTRY', reason: 'не учтено', dueAt: new Date('2026-12-10T00:00:00Z') },
    });
    await db.dispute.create({
      data: {
        personId: nurse.id,
        subjectType: 'CREDIT_ENTRY',
        reason: 'решено',
        status: 'APPROVED',
        dueAt: new Date('2026-12-10T00:00:00Z'),
      },
    });
    await db.appeal.create({
      data: {
        disputeId: dispute.id,
        personId: nurse.id,
        reason: 'не согласна',
        status: 'UNDER_REVIEW',
        dueAt: new Date('2026-12-20T00:00:00Z'),
      },
    });
    // Not linked yet: on the roster with imported credits.
    const alpha = await db.organization.findUniqueOrThrow({ where: { code: 'ALPHA' } });
    const roster = await db.rosterEntry.create({
      data: {
        organizationId: alpha.id,
        externalId: 'A-4',
        fullName: 'Кузнецова Вера',
        category: 'NURSE',
        lastAccreditationDate: dbDateOf('2023-09-01'),
      },
    });
    await db.creditEntry.create({
      data: {
        rosterEntryId: roster.id,
        creditTypeCode: 'pk',
        quantity: 18,
        occurredOn: dbDateOf('2024-10-01'),
        source: 'IMPORT',
        externalRef: 'r1',
      },
    });
    // Another hospital's staff member: must never appear in ALPHA's report.
    await createLinkedPerson({ db }, 8100, {
      organizationCode: 'BETA',
      externalId: 'B-1',
      fullName: 'Чужая Бета Бетовна',
      category: 'NURSE',
      lastAccreditationDate: dbDateOf('2022-03-01'),
    });

    const key = await fetch(`${api.url}/admin/organizations/ALPHA/admins/A-ADM/keys`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: '{}',
    });
    expect(key.status).toBe(201);
    alphaKey = ((await key.json()) as { key: string }).key;
  });

  afterAll(async () => {
    await api?.app.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it('lists every staff member of the organization with the figures the engine gives them, most urgent first', async () => {
    const response = await call('/admin/organizations/ALPHA/reports/compliance', alphaKey);
    expect(response.status).toBe(200);
    const report = (await response.json()) as {
      rows: Array<{
        fullName: string;
        personId: string | null;
        linked: boolean;
        total: number;
        remaining: number;
        openDisputes: number;
        openAppeals: number;
        met: boolean;
        cycleEnd: string;
      }>;
    };
    expect(report.rows.map((r) => r.fullName).sort()).toEqual([
      'Админова Анна',
      'Кузнецова Вера',
      'Петрова Ольга Сергеевна',
      'Сидоров Илья Ильич',
    ]);
    expect(JSON.stringify(report)).not.toContain('Чужая');
    expect(report.rows[0].fullName).toBe('Петрова Ольга Сергеевна');
    expect(report.rows[0]).toMatchObject({ openDisputes: 1, openAppeals: 1 });
    expect(report.rows.find((r) => r.fullName === 'Кузнецова Вера')).toMatchObject({ linked: false, personId: null, total: 18 });
  });

  it('filters: behind pace, cycle ending within N months, category', async () => {
    const within = (await (await call('/admin/organizations/ALPHA/reports/compliance?deadlineWithinMonths=6', alphaKey)).json()) as {
      rows: Array<{ fullName: string }>;
    };
    expect(within.rows.map((r) => r.fullName)).toEqual(['Петрова Ольга Сергеевна']);
    const doctors = (await (await call('/admin/organizations/ALPHA/reports/compliance?category=DOCTOR', alphaKey)).json()) as {
      rows: Array<{ fullName: string }>;
    };
    expect(doctors.rows.map((r) => r.fullName)).toEqual(['Сидоров Илья Ильич']);
    const behind = (await (await call('/admin/organizations/ALPHA/reports/compliance?behindPace=true', alphaKey)).json()) as {
      rows: Array<{ behindPace: boolean; fullName: string }>;
    };
    expect(behind.rows.length).toBeGreaterThan(0);
    expect(behind.rows.every((r) => r.behindPace)).toBe(true);
    expect(behind.rows.map((r) => r.fullName)).toContain('Петрова Ольга Сергеевна');
    expect((await call('/admin/organizations/ALPHA/reports/compliance?category=SURGEON', alphaKey)).status).toBe(400);
  });

  it('writes a workbook with typed cells, a frozen filtered header, and the engine numbers of each person', async () => {
    const response = await call('/admin/organizations/ALPHA/reports/compliance?format=xlsx', alphaKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('spreadsheetml');
    expect(response.headers.get('content-disposition')).toContain('.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await response.arrayBuffer()) as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const headers = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(headers).toEqual([
      'Табельный №',
      'ФИО',
      'Категория',
      'Отделение',
      'В боте',
      'Правила',
      'Начало цикла',
      'Конец цикла',
      'Набрано',
      'Требуется',
      'Осталось',
      'Выполнено, %',
      'Темп',
      'Дней до конца',
      'Открытые споры',
      'Открытые апелляции',
      'Последняя активность',
    ]);
    const col = (name: string) => headers.indexOf(name) + 1;

    const ruleSets = new RuleSetRepository(db);
    const credits = new CreditsService(db, ruleSets, { request: async () => undefined }, api.clock);
    expect(sheet.rowCount).toBe(5);
    for (let r = 2; r <= sheet.rowCount; r++) {
      const row = sheet.getRow(r);
      const total = row.getCell(col('Набрано'));
      const remaining = row.getCell(col('Осталось'));
      expect(total.type).toBe(ExcelJS.ValueType.Number);
      expect(remaining.type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(col('Конец цикла')).type).toBe(ExcelJS.ValueType.Date);
      expect(row.getCell(col('Конец цикла')).numFmt).toBe('dd.mm.yyyy');
      expect(row.getCell(col('Дней до конца')).type).toBe(ExcelJS.ValueType.Number);

      const externalId = String(row.getCell(col('Табельный №')).value);
      const entry = await db.rosterEntry.findFirstOrThrow({ where: { externalId }, include: { person: true } });
      let expected: { total: number; remaining: number; period: { end: string } };
      if (entry.person) {
        expected = (await credits.balance(entry.person)).evaluation;
      } else {
        const entries = await db.creditEntry.findMany({ where: { rosterEntryId: entry.id, deletedAt: null } });
        const ruleSet = await ruleSets.forPerson({ organizationId: entry.organizationId, category: entry.category });
        expected = evaluate(
          ruleSet,
          entries.map((e) => ({
            id: e.id,
            typeCode: e.creditTypeCode,
            quantity: e.quantity,
            date: e.occurredOn.toISOString().slice(0, 10),
            verification: e.verification,
          })),
          { category: entry.category, cycleStart: '2023-09-01' },
          '2026-11-25',
        );
      }
      expect(total.value).toBe(expected.total);
      expect(remaining.value).toBe(expected.remaining);
      expect((row.getCell(col('Конец цикла')).value as Date).toISOString().slice(0, 10)).toBe(expected.period.end);
    }
    // The doctor's deleted entry does not count: 12 ЗЕТ of ИОМ, not 17.
    const doctorRow = [...Array(sheet.rowCount - 1).keys()]
      .map((i) => sheet.getRow(i + 2))
      .find((row) => row.getCell(col('ФИО')).value === 'Сидоров Илья Ильич')!;
    expect(doctorRow.getCell(col('Набрано')).value).toBe(12);
  });

  it('prints the PDF with Cyrillic names', async () => {
    const response = await call('/admin/organizations/ALPHA/reports/compliance?format=pdf', alphaKey);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/pdf');
    const text = pdfPages(Buffer.from(await response.arrayBuffer())).join(' ');
    expect(text).toContain('Петрова Ольга Сергеевна');
    expect(text).toContain('Отчёт о соответствии требованиям НМО');
    expect(text).not.toContain('Чужая');
  });

  it("refuses another organization's report to an organization key, and journals every read", async () => {
    const before = await db.auditLog.count({ where: { action: 'report.compliance.read' } });
    const other = await call('/admin/organizations/BETA/reports/compliance', alphaKey);
    expect(other.status).toBe(403);
    expect(JSON.stringify(await other.json())).not.toContain('Чужая');
    expect((await call('/admin/organizations/BETA/reports/programs?format=xlsx', alphaKey)).status).toBe(403);
    expect(await db.auditLog.count({ where: { action: 'report.compliance.read' } })).toBe(before);

    expect((await call('/admin/organizations/ALPHA/reports/compliance?format=xlsx&behindPace=true&category=NURSE', alphaKey)).status).toBe(
      200,
    );
    const journal = await db.auditLog.findFirstOrThrow({ where: { action: 'report.compliance.read' }, orderBy: { at: 'desc' } });
    const alpha = await db.organization.findUniqueOrThrow({ where: { code: 'ALPHA' } });
    expect(journal).toMatchObject({ actorType: 'admin', actorId: people.admin, subjectType: 'organization', subjectId: alpha.id });
    expect(journal.after).toMatchObject({ format: 'xlsx', channel: 'api', filters: { behindPace: true, category: 'NURSE' } });
    expect(await db.auditLog.count({ where: { action: 'report.compliance.read' } })).toBe(before + 1);
  });

  it('sums budget and participation per program', async () => {
    const alpha = await db.organization.findUniqueOrThrow({ where: { code: 'ALPHA' } });
    const program = await db.program.create({ data: { organizationId: alpha.id, title: 'Сестринское дело 2026', budget: '100000.00' } });
    const event = (title: string, cost: string, status: 'SCHEDULED' | 'CANCELLED' = 'SCHEDULED') =>
      db.event.create({
        data: {
          organizationId: alpha.id,
          programId: program.id,
          title,
          format: 'WEBINAR',
          kind: 'EVENT',
          startsAt: new Date('2026-10-01T07:00:00Z'),
          endsAt: new Date('2026-10-01T09:00:00Z'),
          zet: 2,
          cost,
          status,
        },
      });
    const held = await event('Вебинар 1', '30000.10');
    const second = await event('Вебинар 2', '20000.20');
    await event('Отменён', '99999.00', 'CANCELLED');
    for (const personId of [people.nurse, people.doctor]) await db.eventRegistration.create({ data: { eventId: held.id, personId } });
    await db.eventRegistration.create({ data: { eventId: second.id, personId: people.nurse, cancelledAt: new Date() } });
    const code = await db.attendanceCode.create({
      data: { eventId: held.id, codeHash: 'h1', maxClaims: 10, expiresAt: new Date('2027-01-01T00:00:00Z') },
    });
    await db.attendanceClaim.create({ data: { eventId: held.id, personId: people.nurse, codeId: code.id } });

    const report = (await (await call('/admin/organizations/ALPHA/reports/programs', alphaKey)).json()) as {
      staff: number;
      programs: Array<Record<string, unknown>>;
    };
    expect(report.staff).toBe(3);
    expect(report.programs).toEqual([
      expect.objectContaining({
        title: 'Сестринское дело 2026',
        budget: 100000,
        spent: 50000.3,
        budgetLeft: 49999.7,
        events: 2,
        cancelledEvents: 1,
        signUps: 2,
        attendance: 1,
        participants: 1,
        zetAwarded: 2,
        attendanceRate: 0.5,
      }),
    ]);
    expect(report.programs[0].reach).toBeCloseTo(1 / 3);

    const xlsx = await call('/admin/organizations/ALPHA/reports/programs?format=xlsx', alphaKey);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await xlsx.arrayBuffer()) as ExcelJS.Buffer);
    const row = workbook.worksheets[0].getRow(2);
    expect(row.getCell(3).value).toBe(50000.3);
    expect(row.getCell(3).type).toBe(ExcelJS.ValueType.Number);
    const pdf = pdfPages(
      Buffer.from(await (await call('/admin/organizations/ALPHA/reports/programs?format=pdf', alphaKey)).arrayBuffer()),
    ).join(' ');
    expect(pdf).toContain('Сестринское дело 2026');
    expect(await db.auditLog.count({ where: { action: 'report.programs.read' } })).toBe(3);
  });
});
