import { checkStatusRow, parseApplicationStatus } from './application-status-rows';

describe('registry status rows', () => {
  it('reads Russian names and codes alike', () => {
    expect(parseApplicationStatus('На рассмотрении')).toBe('UNDER_REVIEW');
    expect(parseApplicationStatus(' ТРЕБУЕТСЯ  ДЕЙСТВИЕ ')).toBe('ACTION_REQUIRED');
    expect(parseApplicationStatus('under_review')).toBe('UNDER_REVIEW');
    expect(parseApplicationStatus('Отказано')).toBe('REJECTED');
    expect(parseApplicationStatus('Почти готово')).toBeNull();
  });

  it('reports every reason of a bad row at once', () => {
    const columns = { externalRef: 0, status: 1, date: 2, comment: 3 };
    expect(checkStatusRow({ row: 2, cells: ['NMO-1', 'Одобрено', '25.11.2026', ' ок '] }, columns)).toEqual({
      ok: true,
      change: { row: 2, externalRef: 'NMO-1', status: 'APPROVED', date: '2026-11-25', comment: 'ок' },
    });
    expect(checkStatusRow({ row: 3, cells: ['', 'что-то', '31.02.2026', ''] }, columns)).toEqual({
      ok: false,
      reasons: ['external-ref-missing', 'status-unknown', 'date-invalid'],
    });
  });
});
