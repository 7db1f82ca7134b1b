import type { Consent, ConsentPurpose } from '../../generated/prisma/client';

export const CONSENT_PURPOSES: readonly ConsentPurpose[] = ['PERSONAL_DATA_PROCESSING', 'NOTIFICATIONS', 'SUPPORT_TRANSFER'];

/**
 * Where a purpose stands: its latest record decides. "none" for NOTIFICATIONS means reminders as
 * described in the onboarding consent (the onboarding text names them); only a withdrawal stops them.
 */
export type ConsentState = { state: 'given'; consent: Consent } | { state: 'withdrawn'; consent: Consent } | { state: 'none' };

export function consentState(consents: readonly Consent[], purpose: ConsentPurpose): ConsentState {
  const latest = consents.filter((c) => c.purpose === purpose).sort((a, b) => b.givenAt.getTime() - a.givenAt.getTime())[0];
  if (!latest) return { state: 'none' };
  return latest.withdrawnAt ? { state: 'withdrawn', consent: latest } : { state: 'given', consent: latest };
}

/** Proactive messages stop once the NOTIFICATIONS consent is withdrawn (and until it is given again). */
export function notificationsWithdrawn(consents: readonly Consent[]): boolean {
  return consentState(consents, 'NOTIFICATIONS').state === 'withdrawn';
}
