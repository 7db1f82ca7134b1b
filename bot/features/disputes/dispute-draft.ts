import type { DisputeSubject } from '../../../generated/prisma/client';

/** The /dispute wizard's state; the service checks everything again when it is sent. */
export interface DisputeWizard {
  /** Changes on every /dispute, so buttons of an abandoned wizard are recognised as stale. */
  nonce: string;
  step: 'kind' | 'subject' | 'reason' | 'value' | 'evidence' | 'confirm';
  subjectType?: DisputeSubject;
  subjectId?: string;
  field?: string;
  reason?: string;
  requestedValue?: string;
  documentIds: string[];
}

/** The /appeal reason being typed for one rejected dispute. */
export interface AppealWizard {
  disputeId: string;
}

declare module '../../context' {
  interface SessionData {
    dispute?: DisputeWizard;
    appeal?: AppealWizard;
  }
}
