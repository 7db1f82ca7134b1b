import { addCreditWizard } from '../features/add-credit/add-credit-wizard';
import { codesWizard } from '../features/attendance/codes-draft';
import { attendanceCodeWizard } from '../features/attendance/awaited-code';
import { editCreditWizard } from '../features/credits/edit-credit-wizard';
import { appealWizard, disputeWizard } from '../features/disputes/dispute-draft';
import { eventAdminWizard, eventEditWizard, eventNewWizard, programEditWizard, programNewWizard } from '../features/events/event-draft';
import { identityUploadWizard } from '../features/identity/upload-wizard';
import { announceWizard } from '../features/org-reports/announce-wizard';
import { planWizard } from '../features/plan/plan-draft';
import { portfolioWizard } from '../features/portfolio/portfolio-wizard';
import { deletionWizard } from '../features/privacy/deletion-request';
import { quietHoursWizard } from '../features/settings/pending-input';
import type { BotContext } from '../context';
import type { WaitingStep, Wizard } from './wizard';

/**
 * Every wizard of a linked person, in the order bot.ts registers their features (and each feature
 * checks its own): when drafts of several are left in the session, the one that would take a typed
 * answer is also the one whose hint an unexpected message gets.
 */
export const WIZARDS: readonly Wizard[] = [
  deletionWizard,
  editCreditWizard,
  addCreditWizard,
  planWizard,
  appealWizard,
  disputeWizard,
  identityUploadWizard,
  quietHoursWizard,
  portfolioWizard,
  eventNewWizard,
  eventAdminWizard,
  eventEditWizard,
  programEditWizard,
  programNewWizard,
  codesWizard,
  attendanceCodeWizard,
  announceWizard,
];

/** The running wizard's step, or null when none waits for anything. */
export async function waitingStep(ctx: BotContext): Promise<WaitingStep | null> {
  for (const wizard of WIZARDS) {
    const step = await wizard.waiting(ctx);
    if (step) return step;
  }
  return null;
}

/** Ends every running wizard; answers the locale keys of what each says, nothing saved. */
export async function cancelWizards(ctx: BotContext): Promise<string[]> {
  const said: string[] = [];
  for (const wizard of WIZARDS) if (await wizard.waiting(ctx)) said.push(await wizard.cancel(ctx));
  return said;
}
