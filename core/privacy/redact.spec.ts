import type { Consent } from '../../generated/prisma/client';
import { consentState, notificationsWithdrawn } from './consents';
import { REDACTED, redactJson } from './redact';

describe('redactJson', () => {
  it('replaces every string and number holding a personal value, deep inside, and keeps the rest', () => {
    const journal = {
      before: { fullName: 'Иванова Мария Петровна', category: 'NURSE' },
      after: [{ chat: 918273645, note: 'звонок +79161234567' }],
      n: 3,
    };
    expect(redactJson(journal, ['иванова мария петровна', '+79161234567', '918273645'])).toEqual({
      before: { fullName: REDACTED, category: 'NURSE' },
      after: [{ chat: REDACTED, note: REDACTED }],
      n: 3,
    });
  });
});

describe('consent state', () => {
  const consent = (purpose: Consent['purpose'], givenAt: string, withdrawnAt?: string): Consent =>
    ({
      id: givenAt,
      personId: 'p',
      purpose,
      policyVersion: 'v',
      givenAt: new Date(givenAt),
      withdrawnAt: withdrawnAt ? new Date(withdrawnAt) : null,
    }) as Consent;

  it('follows the latest record of a purpose', () => {
    const history = [consent('NOTIFICATIONS', '2026-01-01', '2026-02-01'), consent('NOTIFICATIONS', '2026-03-01')];
    expect(consentState(history, 'NOTIFICATIONS').state).toBe('given');
    expect(notificationsWithdrawn(history)).toBe(false);
    expect(notificationsWithdrawn(history.slice(0, 1))).toBe(true);
    expect(consentState(history, 'SUPPORT_TRANSFER').state).toBe('none');
  });
});
