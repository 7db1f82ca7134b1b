import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { AnnouncementsService } from '../../core/announcements/announcements.service';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { ComplianceReportService } from '../../core/reports/compliance-report.service';
import { ProgramReportService } from '../../core/reports/program-report.service';
import type { Database } from '../../core/shared/database';
import { type CliTest, startCliTest } from '../../test/support/cli';
import { dbDateOf } from '../../core/shared/local-date';
import { createLinkedPerson } from '../../test/support/people';
import { type CliContext, runCommand } from './commands';

/** A department that works from the terminal: the compliance workbook to a file, and an announcement to the nurses. */
describe('admin CLI: report:compliance and announce', () => {
  let cli: CliTest;
  let db: Database;
  let dir: string;
  let lines: string[];
  let context: CliContext;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nmo-cli-reports-'));
    cli = await startCliTest({
      extra: ({ db, clock, ruleSets }) => ({
        reports: { compliance: new ComplianceReportService(db, ruleSets, clock), programs: new ProgramReportService(db, clock) },
        announcements: new AnnouncementsService(db, new NotificationsService(db, { dispatch: async () => undefined }, clock), clock),
        writeFile: (file, bytes) => writeFile(path.resolve(dir, file), bytes),
      }),
    });
    ({ db, lines, context } = cli);
    await db.organization.create({ data: { code: 'CLIR', name: 'Поликлиника № 7' } });
    await createLinkedPerson({ db }, 9501, {
      organizationCode: 'CLIR',
      externalId: 'N-1',
      fullName: 'Соколова Нина',
      category: 'NURSE',
      lastAccreditationDate: dbDateOf('2022-03-01'),
    });
    await createLinkedPerson({ db }, 9502, {
      organizationCode: 'CLIR',
      externalId: 'D-1',
      fullName: 'Волков Денис',
      category: 'DOCTOR',
      lastAccreditationDate: dbDateOf('2025-06-01'),
    });
  });

  beforeEach(() => cli.clear());

  afterAll(async () => {
    await cli?.stop();
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
    expect(journal).toMatchObject({
      actorType: 'admin',
      actorId: 'cli',
      after: expect.objectContaining({ channel: 'cli', format: 'xlsx', filters: { category: 'NURSE' } }),
    });

    await expect(runCommand(['report:compliance', 'CLIR', '--format', 'pdf'], context)).rejects.toThrow('--out');
    cli.clear();
    await runCommand(['report:compliance', 'CLIR', '--deadline-months', '6'], context);
    expect(JSON.parse(lines.join('\n')).rows.map((r: { fullName: string }) => r.fullName)).toEqual(['Соколова Нина']);
  });

  it('announces to one category and says how many it reaches', async () => {
    await runCommand(['announce', 'CLIR', '--category', 'DOCTOR', 'Собрание', 'врачей', 'в', 'пятницу'], context);
    expect(lines).toEqual([expect.stringMatching(/^Announcement [0-9a-f-]{36} queued for 1 people\.$/)]);
    const announcement = await db.announcement.findFirstOrThrow({ where: { organization: { code: 'CLIR' } } });
    expect(announcement).toMatchObject({
      category: 'DOCTOR',
      text: 'Собрание врачей в пятницу',
      recipients: 1,
      authorType: 'admin',
      authorId: 'cli',
    });
    expect(await db.notification.count({ where: { kind: 'announcement', subjectId: announcement.id, state: 'PENDING' } })).toBe(1);
    await expect(runCommand(['announce', 'CLIR', '--category', 'SANITARY', 'никому'], context)).rejects.toThrow('nobody to send to');
  });
});
