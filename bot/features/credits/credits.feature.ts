import { Composer, InlineKeyboard } from 'grammy';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { balanceMessage } from './balance-message';

const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

async function showBalance(ctx: BotContext): Promise<void> {
  const balance = await ctx.services.credits.balance(ctx.person!);
  const keyboard = new InlineKeyboard().text(ctx.t('credits.add-button'), callbackData.addStart).text(ctx.t('history.button'), callbackData.history);
  await ctx.reply(balanceMessage(balance, ctx.t, ctx.lang), { parse_mode: 'HTML', reply_markup: keyboard });
}

linked.command('credits', showBalance);
linked.callbackQuery(callbackPattern.showCredits, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showBalance(ctx);
});

export { composer as creditsFeature };
