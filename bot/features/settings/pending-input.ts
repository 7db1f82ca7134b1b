import type { BotContext } from '../../context';
import { pendingQuestion } from '../../shared/pending-questions';
import type { Wizard } from '../../wizards/wizard';

/** «Type your quiet hours»: the next text is a quiet-hours range, for 10 minutes. */
const quietHours = pendingQuestion({ inChat: (prefix, chatId) => `${prefix}:settings:quiet-input:${chatId}` }, 10 * 60);

export async function expectQuietHours(ctx: BotContext): Promise<void> {
  await quietHours.ask(ctx);
}

/** Whether the next text is awaited; `consume` clears the question once answered. */
export async function awaitingQuietHours(ctx: BotContext, consume: boolean): Promise<boolean> {
  return (await (consume ? quietHours.take(ctx) : quietHours.get(ctx))) !== null;
}

/** «Свои часы»: the quiet-hours range awaited for a while. */
export const quietHoursWizard: Wizard = {
  waiting: async (ctx) => ((await awaitingQuietHours(ctx, false)) ? { hint: 'wizard-hint.quiet-hours' } : null),
  async cancel(ctx) {
    await awaitingQuietHours(ctx, true);
    return 'settings.quiet.cancelled';
  },
};
