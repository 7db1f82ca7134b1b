import type { Appeal, Dispute } from '../../generated/prisma/client';
import { createI18n } from '../i18n';
import { itemLine } from './review-queue';

/** The review queue's lines in the support group: a due date counted without its year's calendar says so. */
describe('review queue lines', () => {
  const t = createI18n().getFixedT('ru');
  const dispute = {
    id: 'd1',
    subjectType: 'CREDIT_ENTRY',
    dueAt: new Date('2027-01-13T20:59:59.999Z'),
    dueFallbackYear: 2027,
  } as unknown as Dispute;
  const appeal = { id: 'a1', dueAt: new Date('2027-01-28T20:59:59.999Z'), dueFallbackYear: null } as unknown as Appeal;

  it('marks a provisional due date, and only that one', () => {
    expect(itemLine(t, { kind: 'd', id: 'd1', personId: 'p', fullName: 'Иванова <Мария>', dispute })).toBe(
      '⚖️ Спор · Иванова &lt;Мария&gt; · запись о баллах · до 13.01.2027 (предварительно: календарь на 2027 год ещё не загружен)',
    );
    expect(itemLine(t, { kind: 'a', id: 'a1', personId: 'p', fullName: 'Иванова Мария', appeal, dispute })).toBe(
      '📣 Апелляция · Иванова Мария · до 28.01.2027',
    );
  });
});
