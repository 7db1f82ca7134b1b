import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { AnnouncementsService } from '../../core/announcements/announcements.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { ComplianceReportService } from '../../core/reports/compliance-report.service';
import { ProgramReportService } from '../../core/reports/program-report.service';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { FixedClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { dbDateOf } from '../../core/shared/local-date';
import { createTestDatabase } from '../../test/support/database';
import { createLinkedPerson } from '../../test/support/people';
import { createAdminServices } from '../services';
import { type CliContext, runCommand } from './commands';

/** A department that works from the terminal: the compliance workbook to a file, and an announcement to the nurses. */
describe('admin CLI: report:compliance and announce', () => {
  let database: { url: string; drop(): Promise<void> };
  let db: Database;
  let dir: string;
  let lines: string[];
  let context: CliContext;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 2 });
    dir = mkdtempSync(path.join(tmpdir(), 'nmo-cli-reports-'));
    const clock = new FixedClock(new Date('2026-11-25T09:00:00Z'));
    const ruleSets = new RuleSetRepository(db);
    const services = createAdminServices({ db, cipher: new PersonalDataCipher(randomBytes(32)), clock, ruleSets, evaluations: { request: async () => undefined } });
    context = {
      services,
      out: (line) => lines.push(line),
      err: (line) => lines.push(`! ${line}`),
      readFile: async () => Buffer.alloc(0),
      botUsername: async () => 'nmo_bot',
      reports: { compliance: new ComplianceReportService(db, ruleSets, clock), programs: new ProgramReportService(db, clock) },
      announcements: new AnnouncementsService(db, new NotificationsService(db, { dispatch: async () => undefined }, clock), clock),
      writeFile: (file, bytes) => writeFile(path.resolve(dir, file), bytes),
    };
    await db.organization.create({ data: { code: 'CLIR', name: 'Поликлиника № 7' } });
    await createLinkedPerson({ db }, 9501, { organizationCode: 'CLIR', externalId: 'N-1', fullName: 'Соколова Нина', category: 'NURSE', lastAccreditationDate: dbDateOf('2022-03-01') });
    await createLinkedPerson({ db }, 9502, { organizationCode: 'CLIR', externalId: 'D-1', fullName: 'Волков Денис', category: 'DOCTOR', lastAccreditationDate: dbDateOf('2025-06-01') });
  });

  beforeEach(() => {
    lines = [];
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes the compliance workbook to --out, filtered, and journals the read', async () => {
    await runCommand(['report:compliance', 'CLIR', '--format', 'xlsx', '--out', 'nurses.xlsx', '--category', 'медсестра'], context);
    expect(lines).toEqual([expect.stringMatching(/^! Wrote .*nurses\.xlsx \(\d+ bytes\)\.$/)]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(readFileSync(path.join(dir, 'nurses.xlsx')) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    expect(sheet.rowCount).toBe(2);
    expect(sheet.getRow(2).getCell(2).value).toBe('Соколова Нина');
    const journal = await db.auditLog.findFirstOrThrow({ where: { action: 'report.compliance.read' } });
    expect(journal).toMatchObject({ actorType: 'admin', actorId: 'cli', after: expect.objectContaining({ channel: 'cli', format: 'xlsx', filters: { category: 'NURSE' } }) });

    await expect(runCommand(['report:compliance', 'CLIR', '--format', 'pdf'], context)).rejects.toThrow('--out');
    lines = [];
    await runCommand(['report:compliance', 'CLIR', '--deadline-months', '6'], context);
    expect(JSON.parse(lines.join('\n')).rows.map((r: { fullName: string }) => r.fullName)).toEqual(['Соколова Нина']);
  });

  it('announces to one category and says how many it reaches', async () => {
    await runCommand(['announce', 'CLIR', '--category', 'DOCTOR', 'Собрание', 'врачей', 'в', 'пятницу'], context);
    expect(lines).toEqual([expect.stringMatching(/^Announcement [0-9a-f-]{36} queued for 1 people\.$/)]);
    const announcement = await db.announcement.findFirstOrThrow({ where: { organization: { code: 'CLIR' } } });
    expect(announcement).toMatchObject({ category: 'DOCTOR', text: 'Собрание врачей в пятницу', recipients: 1, authorType: 'admin', authorId: 'cli' });
    expect(await db.notification.count({ where: { kind: 'announcement', subjectId: announcement.id, state: 'PENDING' } })).toBe(1);
    await expect(runCommand(['announce', 'CLIR', '--category', 'SANITARY', 'никому'], context)).rejects.toThrow('nobody to send to');
  });
});
