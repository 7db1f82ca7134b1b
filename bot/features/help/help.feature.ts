import { Composer } from 'grammy';
import type { BotContext } from '../../context';
import { adminCommandList, commandList } from '../../shared/commands';

const composer = new Composer<BotContext>();

/** /help works at any step, linked or not: it is where a lost person looks first. */
composer.chatType('private').command('help', async (ctx) => {
  const lines = commandList.map((c) => `/${c} — ${ctx.t(`commands.${c}`)}`);
  // The role is re-read by every admin command; here it only decides whether to list them.
  const admin = ctx.person?.onboardingStep === 'LINKED' && ctx.person.orgRole === 'ADMIN';
  const adminLines = admin ? ['', ctx.t('orgAdmin.forAdmins'), ...adminCommandList.map((c) => `/${c} — ${ctx.t(`commands.${c}`)}`)] : [];
  await ctx.reply([ctx.t('help.intro'), '', ...lines, ...adminLines, '', ctx.t('help.footer')].join('\n'));
});

export { composer as helpFeature };
