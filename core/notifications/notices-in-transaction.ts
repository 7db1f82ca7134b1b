/**
 * An outcome of a transaction that also wrote notices (NotificationsService.writeInTransaction): the
 * keys ride along to be dispatched after the commit, and are stripped before the outcome is returned.
 */
export type WithNotices<T> = T extends { ok: true } ? T & { notices: string[] } : T;

export function stripNotices<T>(outcome: WithNotices<T>): T {
  if (typeof outcome === 'object' && outcome !== null && 'notices' in outcome) {
    const { notices: _notices, ...rest } = outcome;
    return rest as T;
  }
  return outcome as T;
}
