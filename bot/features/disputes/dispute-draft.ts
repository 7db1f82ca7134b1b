import type { DisputeSubject } from '../../../generated/prisma/client';
import type { Wizard } from '../../wizards/wizard';

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

/** /dispute: each step's hint is `wizard-hint.dispute.<step>`. */
export const disputeWizard: Wizard = {
  waiting: (ctx) => (ctx.session.dispute ? { hint: `wizard-hint.dispute.${ctx.session.dispute.step}` } : null),
  cancel(ctx) {
    ctx.session.dispute = undefined;
    return 'disputes.cancelled';
  },
};

/** /appeal: the reason being typed (it takes the text before the dispute wizard does). */
export const appealWizard: Wizard = {
  waiting: (ctx) => (ctx.session.appeal ? { hint: 'wizard-hint.appeal' } : null),
  cancel(ctx) {
    ctx.session.appeal = undefined;
    return 'disputes.appeal.cancelled';
  },
};
