import { toDayNumber } from '../shared/dates';
import { ENTRY_FIELD as US, ENTRY_RECORD as RS, parseEntriesAggregate } from './entries-aggregate';

const A = '0b0e5c6a-4f7c-4d3e-9a51-3c2f4e9d8a10';
const B = 'ffffffff-0000-4000-a000-000000000001';
const record = (id: string, verification: string, date: string, quantity: string, type: string) =>
  [id + verification, String(toDayNumber(date)), quantity, type].join(US);

describe('parseEntriesAggregate', () => {
  it('reads what PostgreSQL aggregates, entry by entry', () => {
    const text = [record(A, 'VERIFIED', '2024-02-29', '36', 'pk'), record(B, 'REJECTED', '1969-12-31', '1.5', 'iom')].join(RS);
    expect(parseEntriesAggregate(text)).toEqual([
      { id: A, verification: 'VERIFIED', date: '2024-02-29', quantity: 36, typeCode: 'pk' },
      { id: B, verification: 'REJECTED', date: '1969-12-31', quantity: 1.5, typeCode: 'iom' },
    ]);
  });

  it('reads every quantity as Number() reads PostgreSQL’s text of it', () => {
    const texts = [
      '0',
      '0.1',
      '0.5',
      '2.675',
      '1234.5678',
      '72',
      '999999999999999',
      '0.30000000000000004',
      '1e+21',
      '1.5e-07',
      'NaN',
      'Infinity',
      '-Infinity',
      '-3',
      '-0',
    ];
    const text = texts.map((q) => record(A, 'UNVERIFIED', '2025-01-01', q, 'event')).join(RS);
    expect(parseEntriesAggregate(text).map((e) => e.quantity)).toEqual(texts.map(Number));
  });

  it('keeps unknown verifications and odd type codes as they are, one string per code', () => {
    const codes: string[] = [];
    const text = [record(A, 'DISPUTED', '2025-01-01', '1', 'i?m'), record(B, 'VERIFIED', '2025-01-02', '2', 'i?m')].join(RS);
    const [first, second] = parseEntriesAggregate(text, codes);
    expect(first).toMatchObject({ verification: 'DISPUTED', typeCode: 'i?m' });
    expect(second.typeCode).toBe('i?m');
    expect(codes).toEqual(['i?m']);
  });

  it('reads nothing from an empty aggregate', () => {
    expect(parseEntriesAggregate('')).toEqual([]);
  });
});
