import type { Wizard } from '../../wizards/wizard';

/**
 * The admin's /codes wizard: event → personal or shared → (limit) → validity; buttons carry the nonce.
 * At `mode` the admin may also see who claimed the event, or ask to revoke its codes (`revoke`: waiting
 * for the second press).
 */
export interface CodesDraft {
  nonce: string;
  step: 'event' | 'mode' | 'limit' | 'days' | 'revoke';
  eventId?: string;
  mode?: 'personal' | 'shared';
  maxClaims?: number;
}

/** /codes: each step's hint is `wizard-hint.codes.<step>`; a pending revocation is withdrawn by /cancel. */
export const codesWizard: Wizard = {
  waiting: (ctx) => (ctx.session.codes ? { hint: `wizard-hint.codes.${ctx.session.codes.step}` } : null),
  cancel(ctx) {
    const revoking = ctx.session.codes?.step === 'revoke';
    ctx.session.codes = undefined;
    return revoking ? 'attendance.codes.revoke-cancelled' : 'attendance.codes.cancelled';
  },
};
