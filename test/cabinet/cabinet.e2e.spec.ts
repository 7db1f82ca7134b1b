import { writeFileSync } from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Page } from 'playwright-core';
import { CreditsService } from '../../core/credits/credits.service';
import { DisputesService } from '../../core/disputes/disputes.service';
import { DocumentsService } from '../../core/documents/documents.service';
import { tinyPdf } from '../../core/documents/fixtures';
import { EventsService } from '../../core/events/events.service';
import { PlanService } from '../../core/plan/plan.service';
import { PortfolioService } from '../../core/portfolio/portfolio.service';
import { dbDateOf } from '../../core/shared/local-date';
import type { Person } from '../../generated/prisma/client';
import type { SimulatedUser } from '../../standin';
import { cabinetUrl, type RunningBrowser, SCREENSHOTS, startBrowser } from '../support/browser';
import { ensureCabinetBuilt } from '../support/cabinet-build';
import { type LaunchUser, signedInitData } from '../support/init-data';
import { createLinkedPerson, createOrgAdmin } from '../support/people';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * The cabinet in a real browser at a phone's size, opened as Telegram opens it (launch parameters with a
 * correctly signed initData in the URL's fragment). Мария, a nurse, reads her cycle, entries, cases, plan
 * and portfolio: the numbers are the ones /credits tells her in the chat; she adds a course in the cabinet
 * and /history in the chat shows it. Ольга, head of the education department, reads the compliance table:
 * its numbers are those of the workbook /report sends her. Пётр, with his own initData, sees only his own
 * cycle; a tampered initData opens nothing. A screenshot of each screen goes to test-output/cabinet/.
 */
jest.setTimeout(180_000);

const CABINET_URL = 'https://nmo.example.org/cabinet/';

describe('the cabinet in a browser (Telegram Mini App)', () => {
  let system: RunningSystem;
  let browser: RunningBrowser;
  let maria: Person;
  let mariaChat: SimulatedUser;
  let olgaChat: SimulatedUser;
  const mariaUser: LaunchUser = { id: 9301, first_name: 'Мария', language_code: 'ru' };
  const olgaUser: LaunchUser = { id: 9302, first_name: 'Ольга', language_code: 'ru' };
  const petrUser: LaunchUser = { id: 9303, first_name: 'Пётр', language_code: 'ru' };

  const shot = (page: Page, name: string) => page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  const lastText = (user: SimulatedUser) =>
    user
      .messages()
      .map((m) => m.text ?? m.caption ?? '')
      .filter((text) => text !== '')
      .at(-1) ?? '';

  async function open(user: LaunchUser): Promise<Page> {
    const page = await browser.phone();
    await page.goto(cabinetUrl(system.baseUrl, signedInitData(user)));
    return page;
  }

  async function tab(page: Page, name: string): Promise<void> {
    await page.getByRole('navigation').getByRole('button', { name }).click();
  }

  beforeAll(async () => {
    ensureCabinetBuilt();
    // The public URL only names the buttons; the browser opens the same page on the loopback server.
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00'), env: { CABINET_URL } });
    browser = await startBrowser();
    maria = await createLinkedPerson(system, mariaUser.id, {
      category: 'NURSE',
      lastAccreditationDate: dbDateOf('2022-03-01'),
      externalId: 'N-101',
    });
    await createOrgAdmin(system, olgaUser.id);
    const petr = await createLinkedPerson(system, petrUser.id, {
      fullName: 'Орлов Пётр Петрович',
      category: 'DOCTOR',
      lastAccreditationDate: dbDateOf('2024-06-01'),
      externalId: 'D-201',
    });
    await system.db.rosterEntry.updateMany({ where: { personId: maria.id }, data: { department: 'Неврология' } });
    await system.db.rosterEntry.updateMany({ where: { personId: petr.id }, data: { department: 'Хирургия' } });
    await system.db.creditEntry.createMany({
      data: [
        {
          personId: maria.id,
          creditTypeCode: 'pk',
          quantity: 36,
          occurredOn: dbDateOf('2023-04-10'),
          source: 'IMPORT',
          verification: 'VERIFIED',
        },
        { personId: maria.id, creditTypeCode: 'iom', quantity: 6, occurredOn: dbDateOf('2025-02-01'), source: 'SELF' },
        { personId: petr.id, creditTypeCode: 'pk', quantity: 18, occurredOn: dbDateOf('2025-01-15'), source: 'SELF' },
      ],
    });

    // Мария's evidence, a dispute about the imported course, a plan and a portfolio, through the core services.
    const documents = system.bot.get(DocumentsService);
    const stored = await documents.store(maria, { bytes: tinyPdf('Удостоверение ПК'), originalName: 'удостоверение-пк.pdf' });
    if (!stored.ok) throw new Error('fixture PDF refused');
    const iom = await system.db.creditEntry.findFirstOrThrow({ where: { personId: maria.id, creditTypeCode: 'iom' } });
    await documents.attach(maria, stored.document.id, { type: 'CREDIT_ENTRY', id: iom.id });
    const pk = await system.db.creditEntry.findFirstOrThrow({ where: { personId: maria.id, creditTypeCode: 'pk' } });
    const filed = await system.bot.get(DisputesService).file(maria, {
      subjectType: 'CREDIT_ENTRY',
      subjectId: pk.id,
      reason: 'Курс был 72 часа, а засчитано 36',
      requestedValue: '72',
      documentIds: [stored.document.id],
    });
    if (!filed.ok) throw new Error(`dispute refused: ${filed.reason}`);
    const planned = await system.bot.get(PlanService).add(maria, {
      title: 'Сестринское дело в кардиологии',
      typeCode: 'pk',
      startsOn: '2026-12-07',
      endsOn: '2026-12-18',
      hours: 36,
    });
    if (!planned.ok) throw new Error(`plan refused: ${planned.reason}`);
    await system.bot.get(PortfolioService).create(maria, { name: 'Портфолио для аккредитации', goal: 'Периодическая аккредитация' });
    await system.bot.get(PortfolioService).importEducation(maria);
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    const event = await system.bot.get(EventsService).createEvent(
      organization.id,
      {
        title: 'Вебинар: СЛР у взрослых',
        format: 'WEBINAR',
        kind: 'EVENT',
        startsAt: new Date('2026-12-03T10:00:00+03:00'),
        endsAt: new Date('2026-12-03T12:00:00+03:00'),
        link: 'https://webinar.example.ru/slr',
        zet: 2,
        capacity: 30,
      },
      { type: 'admin', id: 'test' },
    );
    if (!event.ok) throw new Error(`event refused: ${JSON.stringify(event)}`);

    mariaChat = system.standin.user({ id: mariaUser.id, first_name: 'Мария', language_code: 'ru' });
    olgaChat = system.standin.user({ id: olgaUser.id, first_name: 'Ольга', language_code: 'ru' });
    system.standin.user({ id: petrUser.id, first_name: 'Пётр', language_code: 'ru' });
  });

  afterAll(async () => {
    await browser?.close();
    await system?.stop();
  });

  it('shows Мария her cycle with the numbers /credits gives her in the chat', async () => {
    await mariaChat.sendCommand('/credits');
    const credits = mariaChat.messages().find((m) => (m.text ?? '').includes('Набрано'))!.text!;
    const [, total, required] = /Набрано ([\d,\s]+) из ([\d,\s]+) ЗЕТ/.exec(credits)!;
    const [, remaining] = /Осталось набрать: ([\d,\s]+) ЗЕТ/.exec(credits)!;
    const [, percent] = /([\d,]+)%/.exec(credits)!;
    // Under the chart: «Открыть кабинет», a Mini App button; and the chat's menu button opens it too.
    const chart = mariaChat.messages().find((m) => m.photo)!;
    expect((chart.reply_markup as InlineKeyboardMarkup).inline_keyboard.flat()).toContainEqual({
      text: '🗂 Открыть кабинет',
      web_app: { url: CABINET_URL },
    });
    expect(system.standin.menuButton()).toEqual({ type: 'web_app', text: 'Кабинет', web_app: { url: CABINET_URL } });

    const page = await open(mariaUser);
    await page.getByTestId('cycle-total').waitFor();
    // How long the first screen took from navigation start on the loopback server, for people to read (never
    // asserted: it depends on the machine's load).
    const shownAfter = Math.round(await page.evaluate(() => performance.now()));
    const timeline = await page.evaluate(() =>
      performance
        .getEntries()
        .map((e) => `${e.entryType} ${e.name.replace(/#.*$/, '')} ${Math.round(e.startTime)}–${Math.round(e.startTime + e.duration)} ms`),
    );
    writeFileSync(
      path.join(SCREENSHOTS, 'first-screen.txt'),
      [`first screen (page, session, cycle, chart) shown ${shownAfter} ms after navigation`, ...timeline].join('\n') + '\n',
    );
    expect(await page.getByTestId('cycle-total').innerText()).toBe(total.trim());
    expect(await page.getByTestId('cycle-required').textContent()).toBe(required.trim());
    expect(await page.getByTestId('cycle-remaining').innerText()).toBe(remaining.trim());
    expect(await page.getByTestId('cycle-percent').innerText()).toBe(`${percent}%`);
    await expect(page.getByTestId('group-pk').innerText()).resolves.toContain('36 / 72 ЗЕТ');
    // The chart is drawn (uPlot's canvas) with its legend: earned, pace, requirement, ПК and its minimum.
    await page.getByTestId('progress-chart').locator('canvas').waitFor();
    await expect(page.getByTestId('progress-chart').innerText()).resolves.toContain('Минимум Повышение квалификации: 72');
    // The launch parameters are gone from the address bar once read.
    expect(page.url()).toBe(`${system.baseUrl}/cabinet/`);
    await shot(page, '01-cycle');
    await page.close();
  });

  it('lists entries with source, state and documents, and opens a document in the cabinet', async () => {
    const page = await open(mariaUser);
    await tab(page, 'Записи');
    const entries = page.getByTestId('entry');
    await entries.first().waitFor();
    expect(await entries.count()).toBe(2);
    const iom = entries.filter({ hasText: 'Интерактивный образовательный модуль' });
    await expect(iom.innerText()).resolves.toMatch(/внесено вами[\s\S]*ожидает подтверждения/);
    await shot(page, '02-entries');
    await iom.getByRole('button', { name: /удостоверение-пк\.pdf/ }).click();
    await page.getByTestId('document-viewer').waitFor();
    const frame = page.getByTestId('document-viewer').locator('iframe');
    expect(await frame.getAttribute('src')).toMatch(/^blob:/);
    await shot(page, '03-document');
    await page.getByRole('button', { name: '‹ Назад' }).click();
    await page.getByTestId('screen-entries').waitFor();
    await page.close();
  });

  it('shows the dispute with its working-day deadline, the plan as a calendar, the portfolio with what is missing', async () => {
    const page = await open(mariaUser);
    await tab(page, 'Заявки');
    const dispute = page.getByTestId('dispute');
    await dispute.waitFor();
    // Filed on Wednesday 25.11.2026: 10 working days from the next day end on 09.12.2026; today still counts.
    await expect(dispute.getByTestId('deadline').innerText()).resolves.toMatch(/Рассмотрение до: 09\.12\.2026 · осталось 11 рабочих дней/);
    await expect(dispute.innerText()).resolves.toContain('Курс был 72 часа, а засчитано 36');
    await shot(page, '04-cases');

    await tab(page, 'План');
    await page.getByTestId('plan-calendar').waitFor();
    await expect(page.getByTestId('plan-item').innerText()).resolves.toContain('Сестринское дело в кардиологии');
    await page.getByRole('button', { name: 'Следующий месяц' }).click();
    await expect(page.locator('.calendar-day.planned').count()).resolves.toBe(12);
    await expect(page.getByTestId('event').innerText()).resolves.toContain('Вебинар: СЛР у взрослых');
    await shot(page, '05-plan');

    await tab(page, 'Портфолио');
    await page.getByTestId('portfolio').waitFor();
    await expect(page.getByTestId('portfolio-missing').innerText()).resolves.toContain('нет отчёта о профессиональной деятельности');
    await shot(page, '06-portfolio');
    await page.close();
  });

  it('adds a course in the cabinet through the same service as /add, and /history in the chat shows it', async () => {
    const page = await open(mariaUser);
    await page.getByRole('button', { name: '➕ Добавить обучение' }).click();
    const form = page.getByTestId('overlay-add-entry');
    await form.locator('select[name="type"]').selectOption('iom');
    await form.locator('input[name="quantity"]').fill('4');
    await form.locator('input[name="date"]').fill('2026-11-20');
    await form.locator('input[name="title"]').fill('Модуль: ЭКГ для медсестёр');
    await shot(page, '07-add-entry');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect(form.getByRole('status').innerText()).resolves.toMatch(/Сохранено[\s\S]*Набрано 46 из 144 ЗЕТ/);

    await mariaChat.sendCommand('/history');
    expect(lastText(mariaChat)).toContain('20.11.2026 — Интерактивный образовательный модуль (ИОМ): 4 ЗЕТ · внесено вами');
    const journal = await system.db.auditLog.findFirstOrThrow({ where: { action: 'credit-entry.created', actorId: maria.id } });
    expect(journal.actorType).toBe('person');

    await form.getByRole('button', { name: 'Готово' }).click();
    await expect(page.getByTestId('cycle-total').innerText()).resolves.toBe('46');
    await page.close();
  });

  it("refuses a bad entry with the chat's own sentence and saves nothing", async () => {
    const page = await open(mariaUser);
    await page.getByRole('button', { name: '➕ Добавить обучение' }).click();
    const form = page.getByTestId('overlay-add-entry');
    await form.locator('select[name="type"]').selectOption('iom');
    await form.locator('input[name="quantity"]').fill('40');
    await form.getByRole('button', { name: 'Сохранить' }).click();
    await expect(form.getByRole('alert').innerText()).resolves.toContain('Слишком много для одной записи: не больше 36');
    expect(await system.db.creditEntry.count({ where: { personId: maria.id, quantity: 40 } })).toBe(0);
    await page.close();
  });

  it("gives Ольга the compliance table with /report's numbers, filtered by department", async () => {
    await olgaChat.sendCommand('/report');
    await olgaChat.pressButton('Соответствие — XLSX');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(olgaChat.fileOf(olgaChat.lastBotMessage()!) as unknown as ExcelJS.Buffer);
    const sheet = workbook.worksheets[0];
    const headers = (sheet.getRow(1).values as unknown[]).map(String);
    const col = (name: string) => headers.indexOf(name);
    // Name, total and remaining of every row (the demo roster has namesakes: compared as sorted lists).
    const number = (value: number) => new Intl.NumberFormat('ru-RU', { maximumFractionDigits: 2 }).format(value);
    const fromReport: string[] = [];
    sheet.eachRow((row, index) => {
      if (index === 1) return;
      const cell = (name: string) => row.getCell(col(name)).value;
      fromReport.push(`${String(cell('ФИО'))} | ${number(Number(cell('Набрано')))} | ${number(Number(cell('Осталось')))}`);
    });
    expect(fromReport.length).toBeGreaterThan(2);

    const page = await open(olgaUser);
    await tab(page, 'Отдел');
    const table = page.getByTestId('compliance-table');
    await table.waitFor();
    const rows = table.getByTestId('compliance-row');
    const inCabinet: string[] = [];
    for (const row of await rows.all()) {
      const [name, total, remaining] = await Promise.all(
        ['row-name', 'row-total', 'row-remaining'].map((id) => row.getByTestId(id).innerText()),
      );
      inCabinet.push(`${name} | ${total} | ${remaining}`);
    }
    expect(inCabinet.sort()).toEqual(fromReport.sort());
    const { evaluation } = await system.bot.get(CreditsService).balance(maria);
    expect(inCabinet).toContain(`Иванова Мария Петровна | ${number(evaluation.total)} | ${number(evaluation.remaining)}`);
    await shot(page, '08-admin-compliance');

    await page.locator('select[name="department"]').selectOption('Неврология');
    // The table is read again for the department: the other rows go away.
    await rows.nth(1).waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(1);
    await expect(rows.getByTestId('row-name').innerText()).resolves.toBe('Иванова Мария Петровна');
    const reads = await system.db.auditLog.findMany({
      where: { action: 'report.compliance.read', actorId: { not: null } },
      orderBy: { at: 'asc' },
    });
    expect(reads.at(-1)!.after).toMatchObject({ channel: 'cabinet', filters: { department: 'Неврология' } });

    await page.getByRole('tab', { name: 'Мероприятия' }).click();
    await page.getByTestId('admin-event').first().waitFor();
    await page.getByRole('button', { name: 'Вебинар: СЛР у взрослых' }).click();
    await page.getByTestId('event-people').waitFor();
    await shot(page, '09-admin-events');
    await page.getByRole('tab', { name: 'Объявления' }).click();
    await page.getByTestId('admin-announcements').waitFor();
    await shot(page, '10-admin-announcements');
    await page.close();
  });

  it('shows Пётр only his own cycle, and no admin part; an unlinked user how to link; a tampered initData nothing', async () => {
    const page = await open(petrUser);
    await page.getByTestId('cycle-total').waitFor();
    expect(await page.getByTestId('cycle-total').innerText()).toBe('18');
    expect(await page.getByRole('navigation').getByRole('button', { name: 'Отдел' }).count()).toBe(0);
    await tab(page, 'Записи');
    await page.getByTestId('entry').first().waitFor();
    expect(await page.getByTestId('entry').count()).toBe(1);
    await expect(page.getByTestId('screen-entries').innerText()).resolves.not.toContain('удостоверение-пк.pdf');
    await page.close();

    // Someone who never linked the bot is told how to, and sees nothing else.
    const stranger = await open({ id: 9399, first_name: 'Гость', language_code: 'ru' });
    await expect(stranger.getByTestId('unlinked').innerText()).resolves.toContain('/start');
    expect(await stranger.getByRole('navigation').count()).toBe(0);
    await shot(stranger, '12-not-linked');
    await stranger.close();

    const forged = await browser.phone();
    const tampered = signedInitData(mariaUser).replace(`%22id%22%3A${mariaUser.id}`, `%22id%22%3A${petrUser.id}`);
    await forged.goto(cabinetUrl(system.baseUrl, tampered));
    await expect(forged.getByRole('alert').innerText()).resolves.toContain('Telegram не подтвердил');
    await shot(forged, '11-refused');
    await forged.close();
  });
});
