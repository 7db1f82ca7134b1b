import { mapColumns } from './import-table';
import { checkRosterRow, ROSTER_COLUMNS } from './roster-import.service';

const HEADERS = ['Табельный номер', 'ФИО', 'Категория', 'Специальность', 'Телефон', 'СНИЛС', 'Дата последней аккредитации'];
const mapped = mapColumns(HEADERS, ROSTER_COLUMNS);
if (!mapped.ok) throw new Error('headers');
const context = { today: '2026-11-25', lookupHash: (value: string) => `h(${value})` };
const check = (cells: string[], columns = mapped.columns) => checkRosterRow({ row: 7, cells }, columns, context);

describe('roster row validation', () => {
  it('normalises a valid row and keeps phone and СНИЛС only as hashes', () => {
    expect(
      check(['T-1', ' иванова  мария петровна ', 'медсестра', 'Сестринское дело', '8 (916) 123-45-67', '112-233-445 95', '15.03.2023']),
    ).toEqual({
      ok: true,
      draft: {
        row: 7,
        externalId: 'T-1',
        fullName: 'Иванова Мария Петровна',
        category: 'NURSE',
        specialty: 'Сестринское дело',
        phoneHash: 'h(+79161234567)',
        snilsHash: 'h(11223344595)',
        lastAccreditationDate: '2023-03-15',
      },
    });
  });

  it('reports every problem of a row at once', () => {
    expect(check(['', 'Иванова', 'хирург', '', '12', '112-233-445 96', '31.02.2023'])).toEqual({
      ok: false,
      reasons: ['external-id-missing', 'name-words', 'category-unknown', 'phone-format', 'snils-checksum', 'date-invalid'],
    });
    expect(check(['T-1', 'Иванова Мария', '', '', '', '', '01.01.2027'])).toEqual({
      ok: false,
      reasons: ['category-missing', 'date-in-future'],
    });
  });

  it('sets empty cells to none and leaves absent columns undefined (kept as stored)', () => {
    const empty = check(['T-1', 'Иванова Мария', 'врач', '', '', '', '']);
    expect(empty).toMatchObject({ ok: true, draft: { specialty: null, phoneHash: null, snilsHash: null, lastAccreditationDate: null } });
    const narrow = mapColumns(['Табельный номер', 'ФИО', 'Категория'], ROSTER_COLUMNS);
    if (!narrow.ok) throw new Error('headers');
    const absent = check(['T-1', 'Иванова Мария', 'врач'], narrow.columns);
    expect(absent).toEqual({
      ok: true,
      draft: {
        row: 7,
        externalId: 'T-1',
        fullName: 'Иванова Мария',
        category: 'DOCTOR',
        specialty: undefined,
        phoneHash: undefined,
        snilsHash: undefined,
        lastAccreditationDate: undefined,
      },
    });
  });

  it('accepts a СНИЛС that Excel stored as a number without its leading zero', () => {
    // 012-345-678 19: 0·9+1·8+2·7+3·6+4·5+5·4+6·3+7·2+8·1 = 120 → 120 mod 101 = 19
    expect(check(['T-1', 'Иванова Мария', 'врач', '', '', '1234567819', ''])).toMatchObject({
      ok: true,
      draft: { snilsHash: 'h(01234567819)' },
    });
  });
});
