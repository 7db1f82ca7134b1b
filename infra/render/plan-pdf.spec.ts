import { pdfPages } from '../../test/support/pdf-text';
import { type PlanPdfInput, renderPlanPdf } from './plan-pdf';

const input: PlanPdfInput = {
  lang: 'ru',
  person: { name: 'Иванова Мария Петровна', organization: 'ГБУЗ «Городская поликлиника № 3»' },
  ruleSetName: 'НМО по приказу Минздрава России № 709н',
  period: { start: '2023-03-15', end: '2028-03-14' },
  items: [
    {
      startsOn: '2027-02-01',
      endsOn: '2027-02-10',
      title: 'Сестринское дело в педиатрии',
      typeName: 'ПК',
      provider: 'РМАНПО',
      hours: 36,
      deadline: '2027-01-20',
      overlaps: true,
    },
    {
      startsOn: '2027-02-05',
      endsOn: '2027-02-05',
      title: 'Конференция по вакцинации',
      typeName: 'Мероприятие',
      provider: null,
      hours: 6,
      deadline: null,
      overlaps: true,
    },
  ],
  generatedAt: new Date('2026-11-25T11:05:00Z'),
  timeZone: 'Europe/Moscow',
  labels: {
    title: 'План обучения НМО',
    person: 'Специалист',
    organization: 'Организация',
    ruleSet: 'Правила',
    period: 'Период',
    items: 'Запланировано',
    noItems: 'План пуст',
    overlapMark: '(!)',
    overlapLegend: 'даты пересекаются с другим пунктом плана',
    projectionTitle: 'Прогноз',
    projection: 'Если выполнить план, к 14.03.2028 не хватит 30 ЗЕТ, из них ПК — 30.',
    generatedAt: 'Сформировано',
    columns: { dates: 'Даты', title: 'Название', type: 'Вид', provider: 'Организатор', hours: 'Часов', deadline: 'Записаться до' },
  },
};

describe('renderPlanPdf', () => {
  it('writes a PDF whose Cyrillic text a reader extracts back: person, rules, items, overlaps, projection', async () => {
    const pdf = await renderPlanPdf(input);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const [page] = pdfPages(pdf);
    for (const expected of [
      'План обучения НМО',
      'Иванова Мария Петровна',
      'ГБУЗ «Городская поликлиника № 3»',
      'НМО по приказу Минздрава России № 709н',
      '15.03.2023 — 14.03.2028',
      '01.02.2027 — 10.02.2027',
      'Сестринское дело в педиатрии',
      'РМАНПО',
      'Конференция по вакцинации',
      '20.01.2027',
      'даты пересекаются с другим пунктом плана',
      'не хватит 30 ЗЕТ, из них ПК — 30',
      'Сформировано: 25.11.2026 14:05',
    ]) {
      expect(page).toContain(expected);
    }
  });

  it('says so when the plan is empty', async () => {
    expect(pdfPages(await renderPlanPdf({ ...input, items: [] }))[0]).toContain('План пуст');
  });
});
