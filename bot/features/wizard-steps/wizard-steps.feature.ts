import { Composer } from 'grammy';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { cancelWizards, waitingStep } from '../../wizards/wizards';

/**
 * The running wizard seen from outside its feature (every wizard is listed in `bot/wizards/wizards.ts`):
 * /cancel ends whichever runs, and a message its step cannot take (a sticker, a voice note, a location,
 * a contact, a photo where a number is awaited…) gets that step's own hint, the draft kept.
 */
const cancel = new Composer<BotContext>();
cancel
  .chatType('private')
  .filter(linkedOnly)
  .command('cancel', async (ctx) => {
    const said = await cancelWizards(ctx);
    await ctx.reply(said.length > 0 ? said.map((key) => ctx.t(key)).join('\n') : ctx.t('common.nothing-to-cancel'));
  });

/** Registered after every feature that takes messages (so their own answers win), before the support relay. */
const hint = new Composer<BotContext>();
hint
  .chatType('private')
  .filter(linkedOnly)
  .on('message', async (ctx, next) => {
    // Commands go on to their features, or to `unhandled`.
    if (ctx.message.text?.startsWith('/')) return next();
    const step = await waitingStep(ctx);
    if (!step) return next();
    await ctx.reply([ctx.t(step.hint, step.params), ctx.t('wizard-hint.cancel')].join('\n'));
  });

export { cancel as wizardCancelFeature, hint as wizardHintFeature };
