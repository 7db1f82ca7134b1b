import { Composer } from 'grammy';
import { CONSENT_POLICY_VERSION } from '../../../core/privacy/policy';
import { callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';

/** The processing policy (152-ФЗ) is reachable from anywhere: a command and a button, linked or not. */
const composer = new Composer<BotContext>();
const privateChat = composer.chatType('private');

async function showPolicy(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t('privacy.policy', { version: CONSENT_POLICY_VERSION }), { parse_mode: 'HTML' });
}

privateChat.command('privacy', showPolicy);
privateChat.callbackQuery(callbackPattern.privacyPolicy, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showPolicy(ctx);
});

export { composer as privacyFeature };
