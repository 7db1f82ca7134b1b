import { parse } from 'csv-parse/sync';
import type { CreditHistoryRow } from './credit-history';
import { type CreditsCsvLabels, renderCreditsCsv } from './credits-csv';

const ru: CreditsCsvLabels = {
  columns: {
    date: 'Дата',
    type: 'Вид',
    quantity: 'Количество',
    credits: 'ЗЕТ',
    title: 'Название',
    source: 'Источник',
    verification: 'Проверка',
  },
  sources: { SELF: 'Вручную', IMPORT: 'Импорт', REVIEW: 'Проверка', ATTENDANCE_CODE: 'Код посещения' },
  verifications: { UNVERIFIED: 'Не проверено', VERIFIED: 'Подтверждено', REJECTED: 'Отклонено' },
};

const en: CreditsCsvLabels = {
  columns: {
    date: 'Date',
    type: 'Type',
    quantity: 'Quantity',
    credits: 'Credits',
    title: 'Title',
    source: 'Source',
    verification: 'Status',
  },
  sources: { SELF: 'Manual', IMPORT: 'Import', REVIEW: 'Review', ATTENDANCE_CODE: 'Attendance code' },
  verifications: { UNVERIFIED: 'Unverified', VERIFIED: 'Verified', REJECTED: 'Rejected' },
};

function row(overrides: Partial<CreditHistoryRow>): CreditHistoryRow {
  return {
    date: '2025-03-04',
    typeCode: 'iom',
    typeName: { ru: 'Интерактивный образовательный модуль (ИОМ)', en: 'Interactive educational module' },
    quantity: 2,
    credits: 2,
    title: 'Кардиология; часть "1"',
    source: 'SELF',
    verification: 'VERIFIED',
    ...overrides,
  };
}

/** Reads the file back as Excel would: BOM for the encoding, `;` between cells, CRLF between lines. */
function readBack(csv: Buffer): string[][] {
  const text = csv.toString('utf8');
  expect(text.startsWith('\uFEFF')).toBe(true);
  return parse(text.slice(1), { delimiter: ';', record_delimiter: '\r\n', relax_column_count: false });
}

describe('renderCreditsCsv', () => {
  it('writes a header and one line per entry, in Russian number and date forms', () => {
    const csv = renderCreditsCsv(
      [row({ quantity: 1.5, credits: 1.5 }), row({ typeCode: 'pk', typeName: null, credits: null, verification: 'REJECTED', title: null })],
      'ru',
      ru,
    );
    expect(readBack(csv)).toEqual([
      ['Дата', 'Вид', 'Количество', 'ЗЕТ', 'Название', 'Источник', 'Проверка'],
      ['04.03.2025', 'Интерактивный образовательный модуль (ИОМ)', '1,5', '1,5', 'Кардиология; часть "1"', 'Вручную', 'Подтверждено'],
      ['04.03.2025', 'pk', '2', '', '', 'Вручную', 'Отклонено'],
    ]);
  });

  it('ends every line, the last too, with CRLF and nothing else', () => {
    const text = renderCreditsCsv([row({ title: 'первая\nвторая' })], 'ru', ru).toString('utf8');
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')).toHaveLength(3);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/\r(?!\n)/);
    expect(readBack(Buffer.from(text, 'utf8'))[1][4]).toBe('первая\nвторая');
  });

  it('quotes cells with separators, quotes and line breaks', () => {
    const text = renderCreditsCsv([row({ title: 'a;b "c"\r\nd' })], 'ru', ru).toString('utf8');
    expect(text).toContain(';"a;b ""c""\r\nd";');
  });

  it('keeps cells a spreadsheet would run as formulas inert with a leading apostrophe', () => {
    const titles = ['=HYPERLINK("http://x","y")', '+7 999', '-1+1', '@SUM(A1)', '\tcmd', 'обычный'];
    const lines = readBack(
      renderCreditsCsv(
        titles.map((title) => row({ title })),
        'ru',
        ru,
      ),
    );
    expect(lines.slice(1).map((line) => line[4])).toEqual([
      `'=HYPERLINK("http://x","y")`,
      `'+7 999`,
      `'-1+1`,
      `'@SUM(A1)`,
      `'\tcmd`,
      'обычный',
    ]);
  });

  it('writes ISO dates, decimal points and English names in English', () => {
    const lines = readBack(renderCreditsCsv([row({ quantity: 0.5, credits: 0.5, source: 'ATTENDANCE_CODE' })], 'en', en));
    expect(lines[1]).toEqual([
      '2025-03-04',
      'Interactive educational module',
      '0.5',
      '0.5',
      'Кардиология; часть "1"',
      'Attendance code',
      'Verified',
    ]);
  });

  it('writes only the header for an empty history', () => {
    expect(readBack(renderCreditsCsv([], 'ru', ru))).toHaveLength(1);
  });
});
