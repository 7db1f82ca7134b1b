import type { Person } from '../../generated/prisma/client';

export type Step = Person['onboardingStep'];

/** The linking journey's steps in the order they are asked. */
const ORDER: readonly Step[] = ['LANGUAGE', 'CONSENT', 'PHONE', 'FULL_NAME', 'CATEGORY', 'ORGANIZATION', 'INVITE_CODE', 'LINKED'];

/**
 * Answers a person may change before linking, in the order a correction menu offers them (the one most
 * often mistyped first). Consent is not an answer but an act of its own: it is withdrawn in /privacy.
 */
export const CORRECTABLE: readonly Step[] = ['FULL_NAME', 'CATEGORY', 'ORGANIZATION', 'PHONE', 'LANGUAGE'];

/** What onboarding keeps between steps; cleared once the person is linked. */
export interface Draft {
  invite?: string;
  organizationId?: string;
  /** An attendance code from a `code_` deep link opened before linking: claimed once linked. */
  attendanceCode?: string;
  /**
   * Set while the person corrects an earlier answer: the step they came from, where the corrected
   * answer (or «keep as it was») takes them back, every other answer kept.
   */
  returnTo?: Step;
}

export function draftOf(person: Person): Draft {
  const value = person.onboardingDraft;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Draft) : {};
}

export const stepIndex = (step: Step): number => ORDER.indexOf(step);

/** The furthest step the person has reached: where they are, or where a correction returns them. */
export function resumePointOf(person: Person): Step {
  return draftOf(person).returnTo ?? person.onboardingStep;
}

/** Whether the person is changing an earlier answer right now. */
export function correctionPending(person: Person): boolean {
  return person.onboardingStep !== 'LINKED' && draftOf(person).returnTo !== undefined;
}

/** The answers the person has given and may change now (none once linked). */
export function correctableSteps(person: Person): Step[] {
  if (person.onboardingStep === 'LINKED') return [];
  const reached = stepIndex(resumePointOf(person));
  return CORRECTABLE.filter((step) => stepIndex(step) < reached && step !== person.onboardingStep);
}

/**
 * Whether «start over» means anything: some answer after the consent was given. Starting over asks
 * again from the phone; consent stays given (it is withdrawn in /privacy, not by a new start).
 */
export function canStartOver(person: Person): boolean {
  return person.onboardingStep !== 'LINKED' && stepIndex(resumePointOf(person)) > stepIndex('PHONE');
}
