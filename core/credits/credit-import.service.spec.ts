import type { RosterEntry, StaffCategory } from '../../generated/prisma/client';
import { mapColumns } from '../organizations/import-table';
import { getShippedRuleSet } from '../rules';
import { dbDateOf } from '../shared/local-date';
import { checkCreditRow, CREDIT_COLUMNS, type CreditRowContext, groupBySnils, resolveCreditType } from './credit-import.service';

const nmo = getShippedRuleSet('nmo-709n');
const seedActions = getShippedRuleSet('seed-actions');

function rosterEntry(overrides: Partial<RosterEntry>): RosterEntry {
  return {
    id: 'r-1',
    organizationId: 'org',
    externalId: 'T-1',
    fullName: 'Иванова Мария Петровна',
    category: 'NURSE',
    specialty: null,
    department: null,
    phoneHash: null,
    snilsHash: 'h(11223344595)',
    lastAccreditationDate: dbDateOf('2023-03-15'),
    role: 'MEMBER',
    personId: null,
    linkedAt: null,
    createdAt: new Date(),
    updatedAt: new Date(),
    ...overrides,
  };
}

const roster = [
  rosterEntry({}),
  rosterEntry({ id: 'r-2', externalId: 'T-2', category: 'PHARMACIST', snilsHash: null, lastAccreditationDate: null }),
];
const context: CreditRowContext = {
  today: '2026-11-25',
  lookupHash: (value) => `h(${value})`,
  byExternalId: new Map(roster.map((entry) => [entry.externalId, entry])),
  bySnilsHash: groupBySnils(roster),
  ruleSetOf: async (category: StaffCategory) => (category === 'PHARMACIST' ? seedActions : nmo),
};
const HEADERS = ['Табельный номер', 'СНИЛС', 'Вид', 'Часы', 'Дата', 'Название', 'Номер документа'];
const mapped = mapColumns(HEADERS, CREDIT_COLUMNS);
if (!mapped.ok) throw new Error('headers');
const check = (cells: string[]) => checkCreditRow({ row: 3, cells }, mapped.columns, context);

describe('credit row validation', () => {
  it('finds the person by табельный номер and reads the type by its Russian abbreviation', async () => {
    const result = await check(['T-1', '', 'ПК', '36', '10.02.2025', 'Сестринское дело в терапии', 'УД-0042']);
    expect(result).toMatchObject({
      ok: true,
      draft: { row: 3, typeCode: 'pk', quantity: 36, date: '2025-02-10', title: 'Сестринское дело в терапии', externalRef: 'УД-0042' },
    });
    expect(result.ok && result.draft.roster.id).toBe('r-1');
  });

  it('finds the person by СНИЛС when the табельный номер is empty', async () => {
    const result = await check(['', '112-233-445 95', 'мероприятие', '6', '2025-05-20', '', '']);
    expect(result).toMatchObject({ ok: true, draft: { typeCode: 'event', quantity: 6 } });
    expect(result.ok && result.draft.roster.id).toBe('r-1');
  });

  it('derives a stable reference from the content when there is no document number', async () => {
    const a = await check(['T-1', '', 'iom', '2', '01.06.2025', 'Модуль  по ЭКГ', '']);
    const b = await check(['T-1', '', 'ИОМ', '2,0', '2025-06-01', 'модуль по ЭКГ', '']);
    const other = await check(['T-1', '', 'iom', '3', '01.06.2025', 'Модуль по ЭКГ', '']);
    if (!a.ok || !b.ok || !other.ok) throw new Error('rows should pass');
    expect(a.draft.externalRef).toMatch(/^row:/);
    expect(b.draft.externalRef).toBe(a.draft.externalRef);
    expect(other.draft.externalRef).not.toBe(a.draft.externalRef);
  });

  it.each([
    [['T-9', '', 'ПК', '36', '10.02.2025', '', ''], ['person-not-found']],
    [['', '', 'ПК', '36', '10.02.2025', '', ''], ['person-missing']],
    [['', '112-233-445 96', 'ПК', '36', '10.02.2025', '', ''], ['snils-checksum']],
    [['T-1', '', 'ПК', '36', '10.02.2025', 'x'.repeat(301), ''], ['title-too-long']],
    [['T-1', '', 'йога', '36', '10.02.2025', '', ''], ['unknown-type']],
    [['T-1', '', 'ПК', '2000', '10.02.2025', '', ''], ['quantity-above-max']],
    [['T-1', '', 'ПК', '8', '10.02.2025', '', ''], ['quantity-below-min']],
    [['T-1', '', 'ПК', '36,5', '10.02.2025', '', ''], ['quantity-off-step']],
    [
      ['T-1', '', 'ПК', 'много', '32.01.2025', '', ''],
      ['quantity-not-a-number', 'date-invalid'],
    ],
    [['T-1', '', 'ПК', '36', '01.12.2026', '', ''], ['date-in-future']],
    [['T-1', '', 'ПК', '36', '01.01.2023', '', ''], ['date-before-period']],
    [
      ['T-9', '', 'ПК', 'x', 'y', '', ''],
      ['person-not-found', 'quantity-not-a-number', 'date-invalid'],
    ],
  ])('refuses %j with %j', async (cells, reasons) => {
    expect(await check(cells)).toEqual({ ok: false, reasons });
  });

  it('uses the rule set of the person’s category', async () => {
    // T-2 is a pharmacist under seed-actions: calendar-year period, its own type codes.
    expect(await check(['T-2', '', 'online-event', '1', '10.02.2026', '', ''])).toMatchObject({
      ok: true,
      draft: { typeCode: 'online-event' },
    });
    expect(await check(['T-2', '', 'ПК', '36', '10.02.2026', '', ''])).toEqual({ ok: false, reasons: ['unknown-type'] });
    expect(await check(['T-2', '', 'online-event', '1', '10.02.2025', '', ''])).toEqual({ ok: false, reasons: ['date-before-period'] });
  });

  it('refuses a СНИЛС that contradicts the табельный номер', async () => {
    expect(await check(['T-1', '156-247-853 87', 'ПК', '36', '10.02.2025', '', ''])).toEqual({ ok: false, reasons: ['snils-mismatch'] });
  });

  it('resolves type names, codes and bracketed abbreviations of any rule set', () => {
    expect(resolveCreditType(nmo, 'Повышение квалификации')).toBe('pk');
    expect(resolveCreditType(nmo, 'Интерактивный образовательный модуль (ИОМ)')).toBe('iom');
    expect(resolveCreditType(nmo, 'EVENT')).toBe('event');
    expect(resolveCreditType(nmo, '')).toBeNull();
    expect(resolveCreditType(seedActions, 'ПК')).toBeNull();
  });
});
