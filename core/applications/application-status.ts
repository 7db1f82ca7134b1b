import type { ApplicationStatus } from '../../generated/prisma/client';

export const APPLICATION_STATUSES = [
  'PROCESSING',
  'UNDER_REVIEW',
  'ACTION_REQUIRED',
  'APPROVED',
  'REJECTED',
] as const satisfies readonly ApplicationStatus[];

/**
 * Where an application may go next (R-APPS). ACTION_REQUIRED returns to UNDER_REVIEW once the missing
 * documents arrive; APPROVED and REJECTED are final.
 */
const NEXT: Record<ApplicationStatus, readonly ApplicationStatus[]> = {
  PROCESSING: ['UNDER_REVIEW', 'ACTION_REQUIRED', 'REJECTED'],
  UNDER_REVIEW: ['APPROVED', 'REJECTED', 'ACTION_REQUIRED'],
  ACTION_REQUIRED: ['UNDER_REVIEW', 'REJECTED'],
  APPROVED: [],
  REJECTED: [],
};

export type TransitionCheck = { ok: true } | { ok: false; reason: 'illegal-transition' };

export function transition(from: ApplicationStatus, to: ApplicationStatus): TransitionCheck {
  return NEXT[from].includes(to) ? { ok: true } : { ok: false, reason: 'illegal-transition' };
}

export function nextStatuses(from: ApplicationStatus): readonly ApplicationStatus[] {
  return NEXT[from];
}

export function isFinalApplicationStatus(status: ApplicationStatus): boolean {
  return NEXT[status].length === 0;
}

export function isApplicationStatus(value: string): value is ApplicationStatus {
  return (APPLICATION_STATUSES as readonly string[]).includes(value);
}
