import type { Notification } from '../../generated/prisma/client';
import { createI18n } from '../../infra/i18n';
import { renderNotification } from './render';

/** The pace nudge is worded by how far behind the person is, as the pace line under /credits is. */
describe('the behind-pace nudge', () => {
  const i18n = createI18n();
  const ru = i18n.getFixedT('ru');
  const en = i18n.getFixedT('en');
  const nudge = (lag?: string) =>
    ({
      kind: 'credits.behind-pace',
      payload: { total: 0, required: 144, remaining: 144, periodEnd: '2028-03-14', daysLeft: 470, ...(lag ? { lag } : {}) },
    }) as unknown as Notification;

  it('says «slightly» only when slightly behind', () => {
    expect(renderNotification(nudge('slightly'), ru, 'ru').text).toContain('вы чуть отстаёте от графика');
    expect(renderNotification(nudge('well'), ru, 'ru').text).toBe(
      '🟠 Вы заметно отстаёте от графика: набрано 0 из 144, период заканчивается 14.03.2028. Чтобы успеть, запланируйте обучение уже сейчас — варианты в разделе «Мои баллы».',
    );
    expect(renderNotification(nudge('at-risk'), ru, 'ru').text).toMatch(
      /^🔴 Есть риск не успеть набрать баллы к 14\.03\.2028: набрано 0 из 144\./,
    );
    expect(renderNotification(nudge('at-risk'), en, 'en').text).toMatch(
      /^🔴 You are at risk of not reaching the requirement by 14\/03\/2028/,
    );
    expect(renderNotification(nudge('well'), en, 'en').text).toMatch(/^🟠 You are well behind schedule/);
  });

  it('a nudge queued before it carried how far behind reads as it did then', () => {
    expect(renderNotification(nudge(), en, 'en').text).toContain('you are a little behind schedule');
  });
});
