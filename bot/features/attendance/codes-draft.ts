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
