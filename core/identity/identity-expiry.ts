/** A confirmation is valid for one calendar year from the decision (R-LINK: renewed yearly). */
export const IDENTITY_VALID_YEARS = 1;

/** The same instant a year later; 29 February rolls over to 1 March. */
export function expiryAfter(decidedAt: Date): Date {
  const expiry = new Date(decidedAt);
  expiry.setUTCFullYear(expiry.getUTCFullYear() + IDENTITY_VALID_YEARS);
  return expiry;
}
