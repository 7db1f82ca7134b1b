import type { CaseStatus } from '../../generated/prisma/client';

export const CASE_STATUSES = ['SUBMITTED', 'UNDER_REVIEW', 'APPROVED', 'REJECTED'] as const satisfies readonly CaseStatus[];

/** A dispute or an appeal: reviewed, then decided; a decision is final (R-DISPUTE, R-APPEAL). */
const NEXT: Record<CaseStatus, readonly CaseStatus[]> = {
  SUBMITTED: ['UNDER_REVIEW', 'APPROVED', 'REJECTED'],
  UNDER_REVIEW: ['APPROVED', 'REJECTED'],
  APPROVED: [],
  REJECTED: [],
};

export type CaseDecision = Extract<CaseStatus, 'APPROVED' | 'REJECTED'>;
export type CaseTransitionCheck = { ok: true } | { ok: false; reason: 'illegal-transition' };

export function caseTransition(from: CaseStatus, to: CaseStatus): CaseTransitionCheck {
  return NEXT[from].includes(to) ? { ok: true } : { ok: false, reason: 'illegal-transition' };
}

export function isFinalCaseStatus(status: CaseStatus): boolean {
  return NEXT[status].length === 0;
}

export function isCaseStatus(value: string): value is CaseStatus {
  return (CASE_STATUSES as readonly string[]).includes(value);
}

export type AppealEligibility = { ok: true } | { ok: false; reason: 'dispute-not-rejected' | 'already-appealed' };

/**
 * Only a rejected dispute may be appealed, once; an appeal's own result is final because appeals have
 * no appeal (the Appeal row points at a dispute, never at another appeal).
 */
export function canAppeal(dispute: { status: CaseStatus }, existingAppeal: unknown | null): AppealEligibility {
  if (dispute.status !== 'REJECTED') return { ok: false, reason: 'dispute-not-rejected' };
  if (existingAppeal) return { ok: false, reason: 'already-appealed' };
  return { ok: true };
}
