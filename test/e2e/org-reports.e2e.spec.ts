import ExcelJS from 'exceljs';
import { dbDateOf } from '../../core/shared/local-date';
import type { SimulatedUser } from '../../standin';
import { createLinkedPerson, createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Ольга runs the education department of the demo hospital. In her private chat she asks for the
 * compliance report of the nurses behind pace and gets a workbook; she announces a webinar to the nurses,
 * previews it, confirms, and sees it queued and delivered. A nurse who is not an admin is refused both.
 */
jest.setTimeout(120_000);

describe('organization reports and announcements in the bot (ru)', () => {
  let system: RunningSystem;
  let olga: SimulatedUser;
  let nurse: SimulatedUser;
  const last = (user: SimulatedUser) =>
    user
      .messages()
      .map((m) => m.text ?? m.caption ?? '')
      .at(-1) ?? '';

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00'), worker: true });
    await createOrgAdmin(system, 7501);
    await createLinkedPerson(system, 7502, {
      fullName: 'Петрова Анна Игоревна',
      category: 'NURSE',
      lastAccreditationDate: dbDateOf('2022-03-01'),
    });
    await createLinkedPerson(system, 7503, {
      fullName: 'Орлов Пётр Петрович',
      category: 'DOCTOR',
      lastAccreditationDate: dbDateOf('2025-06-01'),
    });
    olga = system.standin.user({ id: 7501, first_name: 'Ольга', language_code: 'ru' });
    nurse = system.standin.user({ id: 7502, first_name: 'Анна', language_code: 'ru' });
    system.standin.user({ id: 7503, first_name: 'Пётр', language_code: 'ru' });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('sends the compliance report as an .xlsx document, filtered, and journals the read', async () => {
    await olga.sendCommand('/report');
    expect(last(olga)).toContain('Отчёты организации');
    await olga.pressButton('Категория: Все категории');
    await olga.pressButton('Средний медперсонал');
    await olga.pressButton('Соответствие — XLSX');
    const message = olga.lastBotMessage()!;
    expect(message.document?.file_name).toMatch(/^compliance-DEMO-2026-11-25\.xlsx$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(olga.fileOf(message) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    const names = [...Array(sheet.rowCount - 1).keys()].map((i) => sheet.getRow(i + 2).getCell(2).value);
    expect(names).toContain('Петрова Анна Игоревна');
    expect(names).not.toContain('Орлов Пётр Петрович');
    const journal = await system.db.auditLog.findFirstOrThrow({ where: { action: 'report.compliance.read' }, orderBy: { at: 'desc' } });
    expect(journal.after).toMatchObject({ format: 'xlsx', channel: 'bot', filters: { category: 'NURSE' } });

    await olga.sendCommand('/report');
    await olga.pressButton('Программы — PDF');
    expect(olga.lastBotMessage()!.document?.file_name).toMatch(/^programs-DEMO-.*\.pdf$/);
  });

  it('announces to the nurses: preview, confirm, queued, delivered', async () => {
    const nursesBefore = await system.db.person.count({
      where: {
        organization: { code: 'DEMO' },
        category: 'NURSE',
        onboardingStep: 'LINKED',
        deletedAt: null,
        telegramIdentities: { some: {} },
      },
    });
    await olga.sendCommand('/announce');
    await olga.pressButton('Средний медперсонал');
    expect(last(olga)).toContain('Напишите текст объявления');
    await olga.sendText('Вебинар по СЛР завтра в 10:00');
    expect(last(olga)).toContain(`Так его увидят ${nursesBefore} чел.`);
    expect(last(olga)).toContain('Вебинар по СЛР завтра в 10:00');
    await olga.pressButton('Отправить');
    expect(last(olga)).toContain(`поставлено в очередь для ${nursesBefore}`);

    const deadline = Date.now() + 30_000;
    while (!nurse.messages().some((m) => (m.text ?? '').includes('Вебинар по СЛР'))) {
      if (Date.now() > deadline) throw new Error('the nurse did not receive the announcement');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(nurse.messages().find((m) => (m.text ?? '').includes('Вебинар по СЛР'))!.text).toContain('📢');

    await olga.sendCommand('/announce_status');
    expect(last(olga)).toContain('Последние объявления');
    expect(last(olga)).toMatch(/доставлено: [1-9]/);
  });

  it('refuses a staff member who is not an admin', async () => {
    await nurse.sendCommand('/report');
    expect(last(nurse)).toContain('для администраторов');
    await nurse.sendCommand('/announce');
    expect(last(nurse)).toContain('для администраторов');
  });
});
