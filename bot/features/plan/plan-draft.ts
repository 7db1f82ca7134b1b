import type { Wizard } from '../../wizards/wizard';

/** The /plan add wizard's answers so far; the nonce makes buttons of an abandoned wizard stale. */
export interface PlanDraft {
  nonce: string;
  step: 'kind' | 'title' | 'dates' | 'hours' | 'provider' | 'confirm';
  typeCode?: string;
  title?: string;
  startsOn?: string;
  endsOn?: string;
  hours?: number;
  provider?: string;
}

/** /plan «Добавить»: each step's hint is `wizard-hint.plan.<step>`. */
export const planWizard: Wizard = {
  waiting: (ctx) => (ctx.session.plan ? { hint: `wizard-hint.plan.${ctx.session.plan.step}` } : null),
  cancel(ctx) {
    ctx.session.plan = undefined;
    return 'plan.cancelled';
  },
};
