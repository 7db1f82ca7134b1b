import { nmo709n } from '../../core/rules/shipped/nmo-709n';
import { type CreditEntryRecord, toCreditHistoryRows, typeLabel } from './credit-history';

function entry(overrides: Partial<CreditEntryRecord>): CreditEntryRecord {
  return {
    creditTypeCode: 'iom',
    quantity: 2,
    occurredOn: new Date('2025-03-04T00:00:00Z'),
    title: null,
    source: 'SELF',
    verification: 'UNVERIFIED',
    ...overrides,
  };
}

describe('toCreditHistoryRows', () => {
  it('turns stored entries into dated rows, oldest first, keeping the order within a day', () => {
    const rows = toCreditHistoryRows(
      [
        entry({ occurredOn: new Date('2025-05-01T00:00:00Z'), title: 'b' }),
        entry({ occurredOn: new Date('2024-01-10T00:00:00Z'), title: 'a' }),
        entry({ occurredOn: new Date('2025-05-01T00:00:00Z'), title: 'c' }),
      ],
      nmo709n,
    );
    expect(rows.map((row) => [row.date, row.title])).toEqual([
      ['2024-01-10', 'a'],
      ['2025-05-01', 'b'],
      ['2025-05-01', 'c'],
    ]);
  });

  it('computes credits as the engine does and leaves them out where nothing counts', () => {
    const [pk, tooLong, rejected, unknown] = toCreditHistoryRows(
      [
        entry({ creditTypeCode: 'pk', quantity: 36 }),
        entry({ creditTypeCode: 'iom', quantity: 40 }),
        entry({ creditTypeCode: 'pk', quantity: 36, verification: 'REJECTED' }),
        entry({ creditTypeCode: 'webinar', quantity: 3 }),
      ],
      nmo709n,
    );
    expect(pk.credits).toBe(36);
    expect(tooLong.credits).toBe(36); // above the type's max of 36, it counts as 36
    expect(rejected.credits).toBeNull();
    expect(unknown.credits).toBeNull();
    expect(typeLabel(pk, 'ru')).toBe('Повышение квалификации (ПК)');
    expect(typeLabel(pk, 'en')).toBe('Advanced training program');
    expect(typeLabel(unknown, 'ru')).toBe('webinar');
  });
});
