import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ApplicationsService } from '../../core/applications/applications.service';
import { CreditImportService } from '../../core/credits/credit-import.service';
import { noDispatch, recordingEvaluations } from '../support/case-fixtures';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { PersonalDataCipher } from '../../core/people/personal-data';
import { FileRegistrySource, PROCESSED_DIR } from '../../core/registry/file-registry-source';
import { RegistrySyncService, REGISTRY_SYNC_SOURCE } from '../../core/registry/registry-sync.service';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import { FixedClock } from '../../core/shared/clock';
import { createDatabase, type Database } from '../../core/shared/database';
import { readTable } from '../../infra/tabular';
import { seedDemo } from '../../prisma/seed';
import { createTestDatabase, type TestDatabase } from '../support/database';

const SUPPORT_CHAT = -1001234567890n;
const HOUR = 60 * 60 * 1000;

describe('registry sync from files (PostgreSQL)', () => {
  let database: TestDatabase;
  let db: Database;
  let dir: string;
  let clock: FixedClock;
  let sync: RegistrySyncService;
  let applications: ApplicationsService;
  let personId: string;
  let applicationId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = createDatabase(database.url, { max: 3 });
    dir = mkdtempSync(path.join(tmpdir(), 'registry-'));
    clock = new FixedClock(new Date('2026-11-25T07:00:00Z'));
    const cipher = new PersonalDataCipher(randomBytes(32));
    await seedDemo(db, cipher, clock.now());
    const notifications = new NotificationsService(db, noDispatch, clock);
    applications = new ApplicationsService(db, notifications, clock);
    const credits = new CreditImportService(db, cipher, new RuleSetRepository(db), recordingEvaluations(), clock);
    const source = new FileRegistrySource(dir, (bytes) => readTable(bytes));
    sync = new RegistrySyncService(db, source, applications, credits, notifications, clock, { supportChatId: SUPPORT_CHAT });
    personId = (await db.person.create({ data: { fullName: 'Иванова Мария Петровна', onboardingStep: 'LINKED' } })).id;
    applicationId = (
      await applications.create(
        { personId, kind: 'accreditation', title: 'Периодическая аккредитация', externalRef: 'NMO-2026-001' },
        { type: 'system' },
      )
    ).id;
  });

  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  const STATUSES =
    'Номер заявления;Статус;Дата;Комментарий\nNMO-2026-001;На рассмотрении;25.11.2026;Документы приняты\nNMO-404;Одобрено;25.11.2026;\nNMO-2026-001;Почти готово;25.11.2026;\n';

  it('applies a status change through the state machine, tells the person, reports bad rows and moves the file', async () => {
    writeFileSync(path.join(dir, 'application-statuses-2026-11-25.csv'), STATUSES);
    const outcome = await sync.run();
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.summary.files).toHaveLength(1);
    const [file] = outcome.summary.files;
    expect(file).toMatchObject({ outcome: 'applied', kind: 'application-statuses', report: { total: 3, updated: 1 } });
    expect(file.report!.rejected).toEqual([
      { row: 3, reasons: ['application-not-found'] },
      { row: 4, reasons: ['status-unknown'] },
    ]);
    expect((await db.application.findUniqueOrThrow({ where: { id: applicationId } })).status).toBe('UNDER_REVIEW');
    const notices = await db.notification.findMany({ where: { personId, kind: 'application.status' } });
    expect(notices).toHaveLength(1);
    expect(notices[0].payload).toMatchObject({ status: 'UNDER_REVIEW', comment: 'Документы приняты' });
    expect(existsSync(path.join(dir, 'application-statuses-2026-11-25.csv'))).toBe(false);
    expect(readdirSync(path.join(dir, PROCESSED_DIR))).toHaveLength(1);
    const run = await db.syncRun.findUniqueOrThrow({ where: { id: outcome.runId } });
    expect(run).toMatchObject({ source: REGISTRY_SYNC_SOURCE, ok: true });
  });

  it('the same file dropped again (under another name) is not applied twice', async () => {
    writeFileSync(path.join(dir, 'application-statuses-again.csv'), STATUSES);
    const outcome = await sync.run();
    if (!outcome.ok) throw new Error(outcome.error);
    expect(outcome.summary.files).toEqual([expect.objectContaining({ outcome: 'duplicate' })]);
    expect(await db.applicationTransition.count({ where: { applicationId } })).toBe(2);
    expect(await db.notification.count({ where: { personId, kind: 'application.status' } })).toBe(1);
  });

  it('imports credit records for the organization named in the file name; a bad file does not stop the others', async () => {
    writeFileSync(
      path.join(dir, 'credits-DEMO-2026-11.csv'),
      'Табельный номер;Вид;Часы;Дата;Номер документа\nT-0001;ПК;36;10.02.2026;REG-1\nT-9999;ПК;36;10.02.2026;REG-2\n',
    );
    writeFileSync(path.join(dir, 'credits-NOWHERE.csv'), 'Табельный номер;Вид;Часы;Дата\nT-0001;ПК;36;10.02.2026\n');
    const outcome = await sync.run();
    if (!outcome.ok) throw new Error(outcome.error);
    const byName = Object.fromEntries(outcome.summary.files.map((f) => [f.name, f]));
    expect(byName['credits-DEMO-2026-11.csv']).toMatchObject({ outcome: 'applied', report: { total: 2, created: 1 } });
    expect(byName['credits-DEMO-2026-11.csv'].report!.rejected).toHaveLength(1);
    expect(byName['credits-NOWHERE.csv']).toMatchObject({ outcome: 'refused', problem: expect.stringContaining('organization-not-found') });
    expect(await db.creditEntry.count({ where: { externalRef: 'REG-1' } })).toBe(1);
  });

  it('a sync late by more than 2 hours is raised to the support group once per outage', async () => {
    expect(await sync.checkLateness()).toEqual({ late: false });
    clock.advance(2 * HOUR + 60_000);
    expect(await sync.checkLateness()).toMatchObject({ late: true, raised: true });
    clock.advance(HOUR);
    expect(await sync.checkLateness()).toMatchObject({ late: true, raised: false });
    expect(await db.notification.count({ where: { chatId: SUPPORT_CHAT, kind: 'sync.late' } })).toBe(1);
    // Recovery, then a new outage: raised again.
    await sync.run();
    expect(await sync.checkLateness()).toEqual({ late: false });
    clock.advance(3 * HOUR);
    expect(await sync.checkLateness()).toMatchObject({ late: true, raised: true });
    expect(await db.notification.count({ where: { chatId: SUPPORT_CHAT, kind: 'sync.late' } })).toBe(2);
  });
});
