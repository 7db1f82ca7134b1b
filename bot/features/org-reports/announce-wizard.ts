import type { AnnounceDraft } from '../../context';
import type { Wizard } from '../../wizards/wizard';

const HINTS: Record<AnnounceDraft['step'], string> = {
  audience: 'wizard-hint.announce.audience',
  text: 'announcements.text-only',
  confirm: 'wizard-hint.announce.confirm',
};

/** /announce: audience, text, confirmation. */
export const announceWizard: Wizard = {
  waiting: (ctx) => (ctx.session.announce ? { hint: HINTS[ctx.session.announce.step] } : null),
  cancel(ctx) {
    ctx.session.announce = undefined;
    return 'announcements.cancelled';
  },
};
