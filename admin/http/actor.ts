/** Who the audit journal names for changes made through the HTTP admin API. */
export const ADMIN_ACTOR = { type: 'admin', id: 'http' } as const;
