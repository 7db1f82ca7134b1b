import type { Wizard } from '../../wizards/wizard';

/** /history «Изменить…»: the new quantity or date of an own entry being typed. */
export const editCreditWizard: Wizard = {
  waiting: (ctx) => (ctx.session.editCredit ? { hint: `wizard-hint.edit-credit.${ctx.session.editCredit.field}` } : null),
  cancel(ctx) {
    ctx.session.editCredit = undefined;
    return 'history.edit-cancelled';
  },
};
