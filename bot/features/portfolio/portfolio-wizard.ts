import type { Wizard } from '../../wizards/wizard';

/** /portfolio: the goal, the report text or its publication link being typed. */
export const portfolioWizard: Wizard = {
  waiting: (ctx) => (ctx.session.portfolio ? { hint: `wizard-hint.portfolio.${ctx.session.portfolio.step}` } : null),
  cancel(ctx) {
    ctx.session.portfolio = undefined;
    return 'portfolio.input-cancelled';
  },
};
