/** Profile fields a person may dispute (what the roster and the registry say about them). */
export const DISPUTABLE_PROFILE_FIELDS = ['fullName', 'category', 'specialty', 'lastAccreditationDate', 'organization'] as const;
export type DisputableProfileField = (typeof DISPUTABLE_PROFILE_FIELDS)[number];

export function isDisputableProfileField(value: string): value is DisputableProfileField {
  return (DISPUTABLE_PROFILE_FIELDS as readonly string[]).includes(value);
}

/** Review periods in working days (R-DISPUTE, R-APPEAL). */
export const DISPUTE_REVIEW_WORKING_DAYS = 10;
export const APPEAL_WINDOW_WORKING_DAYS = 5;
export const APPEAL_REVIEW_WORKING_DAYS = 15;

export const MAX_REASON_LENGTH = 2000;
