import { pdfPages } from '../../test/support/pdf-text';
import { nmo709n } from '../../core/rules/shipped/nmo-709n';
import type { CreditHistoryRow } from './credit-history';
import { type CreditsPdfInput, type CreditsPdfLabels, renderCreditsPdf } from './credits-pdf';

const labels: CreditsPdfLabels = {
  title: 'Отчёт о баллах НМО',
  person: 'Специалист',
  organization: 'Организация',
  ruleSet: 'Правила',
  period: 'Период',
  total: 'Набрано, ЗЕТ',
  required: 'Требуется, ЗЕТ',
  remaining: 'Осталось, ЗЕТ',
  byType: 'По видам обучения',
  history: 'История записей',
  noEntries: 'Записей пока нет',
  generatedAt: 'Сформировано',
  columns: {
    date: 'Дата',
    type: 'Вид',
    quantity: 'Кол-во',
    credits: 'ЗЕТ',
    title: 'Название',
    verification: 'Проверка',
    entries: 'Записей',
    counted: 'Засчитано',
    cap: 'Лимит',
  },
  verifications: { UNVERIFIED: 'Не проверено', VERIFIED: 'Подтверждено', REJECTED: 'Отклонено' },
};

function historyRow(i: number): CreditHistoryRow {
  const pk = i % 5 === 0;
  return {
    date: `2024-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
    typeCode: pk ? 'pk' : 'iom',
    typeName: pk ? nmo709n.creditTypes[0].name : nmo709n.creditTypes[1].name,
    quantity: pk ? 36 : 2,
    credits: pk ? 36 : 2,
    title: pk ? `Программа повышения квалификации «Неотложная кардиология» № ${i}` : `Модуль ${i}: острый коронарный синдром`,
    source: 'SELF',
    verification: i % 7 === 0 ? 'REJECTED' : 'VERIFIED',
  };
}

function reportInput(rows: number): CreditsPdfInput {
  return {
    lang: 'ru',
    person: { name: 'Иванова Мария Петровна', organization: 'ГБУЗ «Городская поликлиника № 3»' },
    ruleSet: nmo709n,
    evaluation: {
      period: { start: '2023-03-15', end: '2028-03-14' },
      total: 80,
      required: 144,
      remaining: 64,
      percent: 55.5,
      met: false,
      byType: [
        { code: 'pk', group: 'pk', raw: 72, counted: 72, cap: null, entries: 2, unverified: 0 },
        { code: 'iom', group: 'iom', raw: 8, counted: 8, cap: null, entries: 4, unverified: 2 },
        { code: 'event', group: 'event', raw: 0, counted: 0, cap: 12.5, entries: 0, unverified: 0 },
      ],
    },
    history: Array.from({ length: rows }, (_, i) => historyRow(i + 1)),
    generatedAt: new Date('2025-11-20T11:05:00Z'),
    timeZone: 'Europe/Moscow',
    labels,
  };
}

describe('renderCreditsPdf', () => {
  it('writes a PDF whose Cyrillic text a reader extracts back', async () => {
    const pdf = await renderCreditsPdf(reportInput(6));
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const [page, ...rest] = pdfPages(pdf);
    expect(rest).toEqual([]);
    for (const expected of [
      'Отчёт о баллах НМО',
      'Иванова Мария Петровна',
      'ГБУЗ «Городская поликлиника № 3»',
      'НМО по приказу Минздрава России № 709н',
      '15.03.2023 — 14.03.2028',
      'Набрано, ЗЕТ',
      '55,5',
      'Повышение квалификации (ПК)',
      '12,5',
      'Модуль 2: острый коронарный синдром',
      'Подтверждено',
      'Сформировано: 20.11.2025 14:05',
      '1 / 1',
    ]) {
      expect(page).toContain(expected);
    }
  });

  it('continues a long history on further pages, repeating the table header', async () => {
    const pages = pdfPages(await renderCreditsPdf(reportInput(80)));
    expect(pages.length).toBeGreaterThan(1);
    for (const [index, page] of pages.entries()) {
      expect(page).toContain(`${index + 1} / ${pages.length}`);
      if (index > 0) expect(page).toContain('Дата Вид Кол-во ЗЕТ Название Проверка');
    }
    expect(pages[0]).toContain('Модуль 1: острый коронарный синдром');
    expect(pages[pages.length - 1]).toContain('«Неотложная кардиология» № 80');
  });

  it('says so when there are no entries', async () => {
    expect(pdfPages(await renderCreditsPdf(reportInput(0)))[0]).toContain('Записей пока нет');
  });

  it('gives the same bytes for the same input', async () => {
    const [one, again] = await Promise.all([renderCreditsPdf(reportInput(10)), renderCreditsPdf(reportInput(10))]);
    expect(again.equals(one)).toBe(true);
  });

  it('names the rule set and dates in English for English readers', async () => {
    const page = pdfPages(await renderCreditsPdf({ ...reportInput(1), lang: 'en' }))[0];
    expect(page).toContain('Continuing medical education under Ministry of Health order No. 709n');
    expect(page).toContain('2023-03-15 — 2028-03-14');
    expect(page).toContain('Advanced training program');
  });
});
