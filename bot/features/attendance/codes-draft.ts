/** The admin's /codes wizard: event → personal or shared → (limit) → validity; buttons carry the nonce. */
export interface CodesDraft {
  nonce: string;
  step: 'event' | 'mode' | 'limit' | 'days';
  eventId?: string;
  mode?: 'personal' | 'shared';
  maxClaims?: number;
}
