import type { AddCreditDraft } from '../../context';
import type { Wizard } from '../../wizards/wizard';

const HINTS: Record<AddCreditDraft['step'], string> = {
  type: 'wizard-hint.add.type',
  quantity: 'wizard-hint.add.quantity',
  date: 'wizard-hint.add.date',
  proof: 'add.proof-expected',
  confirm: 'wizard-hint.add.confirm',
};

/** /add: type, quantity, date, proof, confirmation. */
export const addCreditWizard: Wizard = {
  waiting: (ctx) => (ctx.session.addCredit ? { hint: HINTS[ctx.session.addCredit.step] } : null),
  cancel(ctx) {
    ctx.session.addCredit = undefined;
    return 'add.cancelled';
  },
};
