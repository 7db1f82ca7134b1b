import { Composer } from 'grammy';
import type { BotContext } from '../../context';
import { commandList } from './commands';

const composer = new Composer<BotContext>();

/** /help works at any step, linked or not: it is where a lost person looks first. */
composer.chatType('private').command('help', async (ctx) => {
  const lines = commandList.map((c) => `/${c} — ${ctx.t(`commands.${c}`)}`);
  await ctx.reply([ctx.t('help.intro'), '', ...lines, '', ctx.t('help.footer')].join('\n'));
});

export { composer as helpFeature };
