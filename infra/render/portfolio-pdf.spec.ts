import { portfolioViewFixture } from '../../test/support/portfolio-fixture';
import { type PortfolioPdfLabels, renderPortfolioPdf } from './portfolio-pdf';
import { pdfText as extractPdfText } from '../../test/support/pdf-text';

const labels: PortfolioPdfLabels = {
  title: 'Портфолио для аккредитации',
  person: 'Специалист',
  category: 'Категория',
  specialty: 'Специальность',
  organization: 'Организация',
  period: 'Период',
  goal: 'Цель',
  summary: 'Готовность',
  activityReport: 'Отчёт о профессиональной деятельности',
  education: 'Образование',
  noItems: 'Пока пусто',
  hours: 'Часы',
  date: 'Дата',
  link: 'Ссылка',
  documents: 'Документы',
  access: 'Доступ',
  accessLevels: { PRIVATE: 'личный', RESTRICTED: 'ограниченный', PUBLIC: 'публичный' },
  generatedAt: 'Сформировано',
};

describe('renderPortfolioPdf', () => {
  it('sets every part in Cyrillic text that a PDF reader extracts', async () => {
    const pdf = await renderPortfolioPdf({
      lang: 'ru',
      view: portfolioViewFixture(),
      categoryName: 'Медицинская сестра',
      summaryLines: ['Образование: 78 из 144 ЗЕТ', 'Подать портфолио можно с 20.01.2026'],
      generatedAt: new Date('2026-11-25T10:00:00Z'),
      timeZone: 'Europe/Moscow',
      labels,
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = extractPdfText(pdf);
    for (const expected of [
      'Портфолио для аккредитации',
      'Иванова Мария Петровна',
      'Медицинская сестра',
      '20.01.2022 — 19.01.2027',
      'Подать портфолио можно с 20.01.2026',
      'Отчёт о профессиональной деятельности',
      'Сестринское дело в терапии',
      'Часы: 72',
      'Дата: 10.04.2023',
      'Доступ: ограниченный',
      'удостоверение <ПК>.pdf',
      'ИОМ «Сердечно-лёгочная реанимация»',
      'Сформировано: 25.11.2026',
      '1 / 1',
    ])
      expect(text).toContain(expected);
  });

  it('says so when a part is empty, and gives the same bytes for the same input', async () => {
    const view = { ...portfolioViewFixture(), items: [] };
    const input = {
      lang: 'ru' as const,
      view,
      categoryName: null,
      summaryLines: [],
      generatedAt: new Date('2026-11-25T10:00:00Z'),
      timeZone: 'Europe/Moscow',
      labels,
    };
    const [a, b] = await Promise.all([renderPortfolioPdf(input), renderPortfolioPdf(input)]);
    expect(a.equals(b)).toBe(true);
    expect(extractPdfText(a).match(/Пока пусто/g)).toHaveLength(2);
  });
});
