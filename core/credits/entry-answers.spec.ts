import { getShippedRuleSet } from '../rules';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import { FixedClock } from '../shared/clock';
import type { Database } from '../shared/database';
import { CreditsService } from './credits.service';

/**
 * Every answer of the /add wizard a person can get wrong, and the reason code the bot turns into a
 * sentence (locales: add.refused.<reason>; test/locales.spec.ts checks each code has one).
 */
describe('answers to /add, checked one field at a time', () => {
  const nmo = getShippedRuleSet('nmo-709n');
  const credits = new CreditsService(
    {} as Database,
    {} as RuleSetRepository,
    { request: async () => undefined },
    new FixedClock(new Date('2026-11-25T09:00:00Z')),
  );
  const today = '2026-11-25';
  const cycle = { start: '2023-03-15', end: '2028-03-14', startKnown: true };

  it.each([
    ['36', { ok: true, value: 36 }],
    ['36,0', { ok: true, value: 36 }],
    ['много', { ok: false, reason: 'quantity-not-a-number' }],
    ['-5', { ok: false, reason: 'quantity-not-a-number' }],
    ['1e3', { ok: false, reason: 'quantity-not-a-number' }],
    ['5', { ok: false, reason: 'quantity-below-min', params: { min: 16 } }],
    ['1001', { ok: false, reason: 'quantity-above-max', params: { max: 1000 } }],
    ['36,5', { ok: false, reason: 'quantity-off-step', params: { step: 1 } }],
  ])('quantity %j for a ПК program → %j', (text, expected) => {
    expect(credits.checkQuantity(nmo, 'pk', text, today)).toEqual(expected);
  });

  it('refuses a type the rule set does not have', () => {
    expect(credits.checkQuantity(nmo, 'audit', '1', today)).toMatchObject({ ok: false, reason: 'unknown-type' });
  });

  it.each([
    ['20.11.2026', { ok: true, value: '2026-11-20' }],
    ['1.3.2024', { ok: true, value: '2024-03-01' }],
    ['31.02.2026', { ok: false, reason: 'date-invalid' }],
    ['вчера', { ok: false, reason: 'date-invalid' }],
    ['01.12.2026', { ok: false, reason: 'date-in-future', params: { today } }],
    ['01.03.2023', { ok: false, reason: 'date-before-period', params: { start: '2023-03-15' } }],
  ])('date %j → %j', (text, expected) => {
    expect(credits.checkDate(nmo, 'pk', text, today, cycle)).toEqual(expected);
  });

  it('refuses a date after the period of a cycle that has already ended', () => {
    const ended = { start: '2020-01-10', end: '2025-01-09', startKnown: true };
    expect(credits.checkDate(nmo, 'pk', '10.01.2025', today, ended)).toEqual({
      ok: false,
      reason: 'date-after-period',
      params: { end: '2025-01-09' },
    });
  });
});
