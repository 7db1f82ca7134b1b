import type { Notification } from '../../generated/prisma/client';
import { createI18n } from '../../infra/i18n';
import { renderEscalation, renderNotification } from './render';

/** Dispute ids are UUIDs: the appeal button's payload carries one. */
const DISPUTE_ID = '0d150e00-0000-4000-8000-0000000000d1';

/**
 * A date counted over a year with no production calendar carries its mark in every notice that shows it,
 * and the notices about the calendar itself (to the support group, and to a person whose date moved) read
 * as a person expects. Rendered from rows as the outbound worker renders them.
 */
describe('notices with provisional dates', () => {
  const i18n = createI18n();
  const ru = i18n.getFixedT('ru');
  const en = i18n.getFixedT('en');
  const row = (kind: string, payload: Record<string, unknown>) => ({ kind, payload }) as unknown as Notification;
  const NOTE = '(предварительно: календарь на 2027 год ещё не загружен)';

  it('the rejection says until when to appeal, provisionally when the window runs into a year not loaded', () => {
    const payload = { disputeId: DISPUTE_ID, decision: 'REJECTED', comment: null, appealUntil: '2027-01-15T20:59:59.999Z' };
    expect(renderNotification(row('dispute.decided', { ...payload, appealUntilFallbackYear: 2027 }), ru, 'ru').text).toContain(
      `в течение 5 рабочих дней: до 15.01.2027 включительно ${NOTE}.`,
    );
    expect(renderNotification(row('dispute.decided', { ...payload, appealUntilFallbackYear: null }), ru, 'ru').text).toContain(
      'в течение 5 рабочих дней: до 15.01.2027 включительно.',
    );
    // A notice written before the mark existed has no such field: it reads as final.
    expect(renderNotification(row('dispute.decided', payload), en, 'en').text).toContain('by 15/01/2027 inclusive.');
  });

  it('the window-closing reminder and the reviewers’ due list carry the mark', () => {
    const closing = renderNotification(
      row('appeal.window-closing', { disputeId: DISPUTE_ID, until: '2027-01-15T20:59:59.999Z', fallbackYear: 2027 }),
      ru,
      'ru',
    );
    expect(closing.text).toContain(`до 15.01.2027 включительно ${NOTE}.`);
    const due = renderNotification(
      row('review.due', {
        items: [
          { type: 'dispute', id: 'aaaaaaaa-0000-4000-8000-000000000001', dueAt: '2027-01-13T20:59:59.999Z', fallbackYear: 2027 },
          { type: 'appeal', id: 'bbbbbbbb-0000-4000-8000-000000000002', dueAt: '2026-12-30T20:59:59.999Z', fallbackYear: null },
        ],
      }),
      ru,
      'ru',
    );
    expect(due.text).toContain(`• Оспаривание aaaaaaaa — до 13.01.2027 23:59 МСК ${NOTE}`);
    expect(due.text).toContain('• Апелляция bbbbbbbb — до 30.12.2026 23:59 МСК\n');
  });

  it('a ticket’s first-response limit in the support group carries the mark too', () => {
    const limit = new Date('2027-01-11T18:00:00+03:00');
    expect(renderEscalation(ru, 12, limit, 2027)).toBe(
      `⏰ Обращение №12 ждёт первого ответа. Срок — 1 рабочий день: до 11.01.2027 18:00 (мск) ${NOTE}.`,
    );
    expect(renderEscalation(ru, 12, limit, null)).toBe(
      '⏰ Обращение №12 ждёт первого ответа. Срок — 1 рабочий день: до 11.01.2027 18:00 (мск).',
    );
  });

  it('tells the support group which year is missing and how to load it', () => {
    const text = renderNotification(row('calendar.year-missing', { year: 2027 }), ru, 'ru').text;
    expect(text).toMatch(/^⚠️ Нет производственного календаря на 2027 год\. Сроки споров и апелляций, которые приходятся на 2027 год/);
    expect(text).toContain('npm run admin -- calendar:load FILE.xml');
  });

  it('tells a person their appeal window moved, with the button to appeal', () => {
    const moved = renderNotification(
      row('deadline.moved', {
        deadline: 'appeal-window',
        disputeId: DISPUTE_ID,
        before: '2027-01-15T20:59:59.999Z',
        after: '2027-01-16T20:59:59.999Z',
        fallbackYear: null,
        calendarYear: 2027,
      }),
      ru,
      'ru',
    );
    expect(moved.text).toBe(
      '📅 Загружен производственный календарь на 2027 год: подать апелляцию на решение по вашему спору можно до 16.01.2027 включительно (было до 15.01.2027).',
    );
    expect(JSON.stringify(moved.replyMarkup)).toContain(`apl:${DISPUTE_ID}`);
    const appeal = renderNotification(
      row('deadline.moved', {
        deadline: 'appeal-due',
        disputeId: DISPUTE_ID,
        before: '2027-01-28T20:59:59.999Z',
        after: '2027-01-29T20:59:59.999Z',
        fallbackYear: null,
        calendarYear: 2027,
      }),
      en,
      'en',
    );
    expect(appeal).toEqual({
      text: '📅 The production calendar for 2027 is loaded, and the review date of your appeal was recomputed: now by 29/01/2027 (was 28/01/2027).',
    });
  });
});
