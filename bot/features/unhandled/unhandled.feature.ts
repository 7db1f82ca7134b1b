import { Composer } from 'grammy';
import type { BotContext } from '../../context';

/** Registered last: whatever no feature understood gets a pointer instead of silence. */
const composer = new Composer<BotContext>();
const privateChat = composer.chatType('private');

privateChat.on('callback_query', async (ctx) => {
  await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
});

privateChat.on('message', async (ctx) => {
  await ctx.reply(ctx.t('unhandled.message'));
});

export { composer as unhandledFeature };
