import { parseCategory } from './categories';
import {
  cellOf,
  type ColumnMap,
  describeFileProblem,
  mapColumns,
  missingColumns,
  normaliseHeader,
  parseDateCell,
  parseQuantityCell,
  restoreSnilsDigits,
} from './import-table';
import { ROSTER_COLUMNS } from './roster-import.service';

describe('import columns', () => {
  it('compares headers regardless of case, ё, spaces and punctuation', () => {
    expect(normaliseHeader(' Табельный  номер ')).toBe('табельныйномер');
    expect(normaliseHeader('Дата последней аккредитации')).toBe(normaliseHeader('дата_последней_аккредитации'));
    expect(normaliseHeader('Таб. №')).toBe('таб');
    expect(normaliseHeader('External ID')).toBe(normaliseHeader('externalId'));
  });

  it('maps Russian and English headers to fields and ignores unknown columns', () => {
    const mapped = mapColumns(['ТАБЕЛЬНЫЙ НОМЕР', 'Примечание', 'fullName', 'Категория', 'Дата аккредитации'], ROSTER_COLUMNS);
    expect(mapped).toEqual({ ok: true, columns: { externalId: 0, fullName: 2, category: 3, lastAccreditationDate: 4 } });
  });

  it('refuses two columns for one field and names missing ones', () => {
    expect(mapColumns(['ФИО', 'Full name'], ROSTER_COLUMNS)).toEqual({
      ok: false,
      problem: { code: 'column-ambiguous', column: 'fullName', headers: ['ФИО', 'Full name'] },
    });
    const mapped = mapColumns(['ФИО'], ROSTER_COLUMNS);
    if (!mapped.ok) throw new Error('mapped');
    const missing = missingColumns(mapped.columns, ROSTER_COLUMNS, ['externalId', 'fullName', 'category']);
    expect(missing).toEqual(['externalId («Табельный номер»)', 'category («Категория»)']);
    expect(describeFileProblem({ code: 'columns-missing', columns: missing })).toBe(
      'missing column(s): externalId («Табельный номер»), category («Категория»)',
    );
  });

  it('tells an absent column from an empty cell', () => {
    const row = { row: 2, cells: ['T-1', '  '] };
    const withPhone: ColumnMap<'externalId' | 'phone'> = { externalId: 0, phone: 1 };
    const withoutPhone: ColumnMap<'externalId' | 'phone'> = { externalId: 0 };
    expect(cellOf(row, withPhone, 'phone')).toBe('');
    expect(cellOf(row, withoutPhone, 'phone')).toBeUndefined();
  });
});

describe('import cells', () => {
  it.each([
    ['15.03.2023', '2023-03-15'],
    ['5.3.2023', '2023-03-05'],
    ['2023-03-15', '2023-03-15'],
    ['2023-03-15T00:00:00.000Z', '2023-03-15'],
    ['29.02.2023', null],
    ['2023-13-01', null],
    ['вчера', null],
  ])('reads the date %s as %s', (text, expected) => {
    expect(parseDateCell(text)).toBe(expected);
  });

  it.each([
    ['36', 36],
    ['36,5', 36.5],
    ['1 000', 1000],
    ['1\u00a0000', 1000],
    ['-3', null],
    ['36 часов', null],
    ['', null],
  ])('reads the quantity %s as %s', (text, expected) => {
    expect(parseQuantityCell(text)).toBe(expected);
  });

  it('restores the leading zeros Excel drops from a СНИЛС', () => {
    expect(restoreSnilsDigits('1234567890')).toBe('01234567890');
    expect(restoreSnilsDigits('112-233-445 95')).toBe('112-233-445 95');
  });

  it.each([
    ['врач', 'DOCTOR'],
    ['Медицинская сестра', 'NURSE'],
    ['медсестра/акушерка', 'NURSE'],
    ['акушерка', 'NURSE'],
    ['Фармацевт', 'PHARMACIST'],
    ['лаборант', 'LAB_TECHNICIAN'],
    ['LAB_TECHNICIAN', 'LAB_TECHNICIAN'],
    ['санитарный работник', 'SANITARY'],
    ['Администратор', 'ADMINISTRATOR'],
    ['doctor', 'DOCTOR'],
    ['главный врач-кардиолог', null],
    ['', null],
  ])('reads the category %s as %s', (text, expected) => {
    expect(parseCategory(text)).toBe(expected);
  });
});
