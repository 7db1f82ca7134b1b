import { createHash } from 'node:crypto';
import { pdfText as extractPdfText } from '../support/pdf-text';
import { validatePortfolioXml } from '../support/portfolio-xsd';
import type { SimulatedUser } from '../../standin';
import { tinyPdf } from '../../core/documents/fixtures';
import { startSystem, type RunningSystem } from '../support/system';

/**
 * Мария, a nurse accredited on 20.01.2022, builds her accreditation portfolio on 25.11.2026: the cycle ends
 * 19.01.2027, so the submission window opened on 20.01.2026. She imports her education from credit
 * entries (the rejected one stays out), writes her activity report with a publication link (a bad link is
 * refused first), makes the report public, sees what is missing, and exports PDF and XML.
 */
describe('portfolio: create, import, report, access, completeness, exports (ru)', () => {
  let system: RunningSystem;
  let maria: SimulatedUser;
  let personId: string;

  const texts = (user: SimulatedUser) => user.messages().map((m) => m.text ?? m.caption ?? '');
  const last = (user: SimulatedUser) => texts(user).at(-1) ?? '';
  const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

  beforeAll(async () => {
    system = await startSystem({ now: new Date('2026-11-25T10:00:00+03:00') });
    maria = system.standin.user({ id: 7101, first_name: 'Мария', language_code: 'ru' });
    const organization = await system.db.organization.findUniqueOrThrow({ where: { code: 'DEMO' } });
    const person = await system.db.person.create({
      data: {
        fullName: 'Иванова Мария Петровна',
        onboardingStep: 'LINKED',
        organizationId: organization.id,
        language: 'ru',
        category: 'NURSE',
        specialty: 'Сестринское дело',
        lastAccreditationDate: day('2022-01-20'),
      },
    });
    personId = person.id;
    await system.db.telegramIdentity.create({ data: { telegramUserId: 7101n, chatId: 7101n, personId } });
    const proof = await system.db.document.create({
      data: {
        personId,
        kind: 'CERTIFICATE',
        sha256: createHash('sha256').update('удостоверение').digest('hex'),
        mediaType: 'application/pdf',
        sizeBytes: 1000,
        storageKey: 'k/7101',
        originalName: 'удостоверение.pdf',
      },
    });
    await system.db.creditEntry.createMany({
      data: [
        {
          personId,
          creditTypeCode: 'pk',
          quantity: 36,
          occurredOn: day('2023-04-10'),
          title: 'Сестринское дело в терапии',
          source: 'IMPORT',
          verification: 'VERIFIED',
          documentId: proof.id,
        },
        { personId, creditTypeCode: 'iom', quantity: 6, occurredOn: day('2024-02-01'), title: 'Сердечно-лёгочная реанимация' },
        { personId, creditTypeCode: 'event', quantity: 4, occurredOn: day('2025-05-15'), title: 'Конференция медсестёр' },
        {
          personId,
          creditTypeCode: 'iom',
          quantity: 3,
          occurredOn: day('2025-06-01'),
          title: 'Отклонённый модуль',
          verification: 'REJECTED',
        },
      ],
    });
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('offers to create the portfolio for the current cycle and creates it with a goal', async () => {
    await maria.sendCommand('/portfolio');
    expect(last(maria)).toContain('за цикл 20.01.2022 – 19.01.2027 ещё не создано');
    await maria.pressButton('📁 Создать портфолио');
    expect(last(maria)).toContain('Какова цель портфолио?');
    await maria.sendText('Периодическая аккредитация по специальности Сестринское дело');
    const overview = last(maria);
    expect(overview).toContain('Портфолио для аккредитации 20.01.2022 – 19.01.2027');
    expect(overview).toContain('Цель: Периодическая аккредитация');
    expect(overview).toContain('нет отчёта о профессиональной деятельности');
    expect(overview).toContain('раздел «Образование» пуст');
    expect(overview).toContain('Подать портфолио можно с 20.01.2026 — окно подачи уже открыто.');
    const portfolios = await system.db.portfolio.findMany({ where: { personId } });
    expect(portfolios).toHaveLength(1);
    expect(portfolios[0].periodEnd.toISOString().slice(0, 10)).toBe('2027-01-19');
  });

  it('imports education from credit entries once, with the entry’s proof attached', async () => {
    await maria.pressButton('🎓 Импорт из баллов');
    expect(texts(maria)).toContain('Добавлено 3 записи в раздел «Образование».');
    expect(last(maria)).toContain('Образование: 46 из 144 ЗЕТ');
    expect(last(maria)).toContain('«Повышение квалификации (ПК)»: 36 ЗЕТ, а нужно не меньше 72');
    expect(last(maria)).toContain('2 элемента без подтверждающего документа');
    await maria.pressButton('🎓 Импорт из баллов');
    expect(texts(maria)).toContain('Новых записей о баллах для импорта нет.');
    const items = await system.db.portfolioItem.findMany({ where: { portfolio: { personId }, section: 'EDUCATION' } });
    expect(items.map((i) => i.title).sort()).toEqual([
      'Конференция медсестёр',
      'Сердечно-лёгочная реанимация',
      'Сестринское дело в терапии',
    ]);
    const pk = items.find((i) => i.hours === 36)!;
    expect(await system.db.documentLink.count({ where: { subjectType: 'PORTFOLIO_ITEM', subjectId: pk.id } })).toBe(1);
  });

  it('adds the activity report, refuses a bad link, keeps a good one', async () => {
    await maria.pressButton('📝 Добавить отчёт');
    await maria.sendText('Палатная медсестра ОРИТ, наставник трёх студентов; внедрила чек-лист профилактики пролежней.');
    expect(last(maria)).toContain('Пришлите ссылку на публикацию');
    await maria.sendText('javascript:alert(1)');
    expect(last(maria)).toBe('Подходят только ссылки http:// или https://.');
    await maria.sendText('https://cyberleninka.ru/article/n/profilaktika-proleZhney?a=1&b=2');
    expect(texts(maria)).toContain('Ссылка сохранена.');
    expect(last(maria)).not.toContain('нет отчёта о профессиональной деятельности');
    const report = await system.db.portfolioItem.findFirstOrThrow({ where: { portfolio: { personId }, section: 'ACTIVITY_REPORT' } });
    expect(report.url).toBe('https://cyberleninka.ru/article/n/profilaktika-proleZhney?a=1&b=2');
  });

  it('attaches a document she sends to the activity report item', async () => {
    await maria.sendDocument({ buffer: tinyPdf('Публикация'), file_name: 'публикация.pdf', mime_type: 'application/pdf' });
    await maria.pressButton('📎 Прикрепить к записи');
    const report = await system.db.portfolioItem.findFirstOrThrow({ where: { portfolio: { personId }, section: 'ACTIVITY_REPORT' } });
    await maria.pressButton(`Портфолио: ${report.title.slice(0, 40)}`);
    expect(last(maria)).toBe('📎 Документ прикреплён к пункту портфолио.');
    expect(await system.db.documentLink.count({ where: { subjectType: 'PORTFOLIO_ITEM', subjectId: report.id } })).toBe(1);
  });

  it('sets an item’s access level', async () => {
    await maria.pressButton('🔐 Элементы и доступ');
    expect(last(maria)).toContain('Отчёт о профессиональной деятельности');
    const report = await system.db.portfolioItem.findFirstOrThrow({ where: { portfolio: { personId }, section: 'ACTIVITY_REPORT' } });
    const items = await system.db.portfolioItem.findMany({ where: { portfolio: { personId } }, orderBy: { createdAt: 'asc' } });
    await maria.pressButton(`🔒 ${items.findIndex((i) => i.id === report.id) + 1}`);
    expect(last(maria)).toContain('Доступ: Личный');
    await maria.pressButton('Публичный');
    expect((await system.db.portfolioItem.findUniqueOrThrow({ where: { id: report.id } })).accessLevel).toBe('PUBLIC');
  });

  it('exports a PDF with Cyrillic text and an XML valid against schemas/portfolio.xsd', async () => {
    await maria.sendCommand('/portfolio');
    await maria.pressButton('⬇️ PDF');
    const pdfMessage = maria.lastBotMessage()!;
    expect(pdfMessage.document?.file_name).toBe('nmo-portfolio-2026-11-25.pdf');
    const text = extractPdfText(maria.fileOf(pdfMessage));
    for (const expected of [
      'Портфолио для аккредитации',
      'Иванова Мария Петровна',
      'Медсестра / акушерка',
      'Сестринское дело в терапии',
      'Палатная медсестра ОРИТ',
      'Доступ: Публичный',
      'удостоверение.pdf',
      'Подать портфолио можно с 20.01.2026',
    ])
      expect(text).toContain(expected);

    await maria.sendCommand('/portfolio');
    await maria.pressButton('⬇️ XML');
    const xmlMessage = maria.lastBotMessage()!;
    expect(xmlMessage.document?.file_name).toBe('nmo-portfolio-2026-11-25.xml');
    const xml = maria.fileOf(xmlMessage);
    expect(await validatePortfolioXml(xml)).toEqual({ valid: true, errors: [] });
    const body = xml.toString('utf8');
    expect(body).toContain('<fullName>Иванова Мария Петровна</fullName>');
    expect(body).toContain('<url>https://cyberleninka.ru/article/n/profilaktika-proleZhney?a=1&amp;b=2</url>');
    expect(body).toContain('<submissionWindow opensOn="2026-01-20" open="true"/>');
    expect(body).toContain('access="public"');
    expect(body).not.toContain('Отклонённый модуль');
  });
});
