import { escapeHtml } from '../../../core/shared/text';
import type { Person } from '../../../generated/prisma/client';
import type { Step } from '../../../core/linking/onboarding.service';
import type { BotContext } from '../../context';
import { backKeyboard, categoryKeyboard, consentKeyboard, languageKeyboard, shareContactKeyboard } from '../../keyboards/onboarding';

/** Asks the question of the step the person is at; used after every answer and on /start. */
export async function promptStep(ctx: BotContext, person: Person): Promise<void> {
  const { t } = ctx;
  const step: Step = person.onboardingStep;
  switch (step) {
    case 'LANGUAGE':
      await ctx.reply(t('onboarding.language.prompt'), { reply_markup: languageKeyboard(ctx.services.i18n) });
      return;
    case 'CONSENT':
      await ctx.reply(t('onboarding.consent.prompt'), { parse_mode: 'HTML', reply_markup: consentKeyboard(t) });
      return;
    case 'PHONE':
      await ctx.reply(t('onboarding.phone.prompt'), { reply_markup: shareContactKeyboard(t) });
      return;
    case 'FULL_NAME':
      await ctx.reply(t('onboarding.full-name.prompt'), { reply_markup: { remove_keyboard: true } });
      return;
    case 'CATEGORY':
      await ctx.reply(t('onboarding.category.prompt'), { reply_markup: categoryKeyboard(t) });
      return;
    case 'ORGANIZATION':
      await ctx.reply(t('onboarding.organization.prompt'), { reply_markup: { remove_keyboard: true } });
      return;
    case 'INVITE_CODE':
      await ctx.reply(t('onboarding.invite-code.prompt'), { reply_markup: backKeyboard(t) });
      return;
    case 'LINKED':
      await announceLinked(ctx, person);
      return;
  }
}

export async function announceLinked(ctx: BotContext, person: Person): Promise<void> {
  const organization = person.organizationId ? await ctx.services.onboarding.organizationName(person.organizationId) : null;
  await ctx.reply(
    ctx.t('onboarding.linked', {
      name: escapeHtml(person.fullName ?? ''),
      organization: escapeHtml(organization ?? ''),
      category: person.category ? ctx.t(`category.${person.category}`) : '',
    }),
    { parse_mode: 'HTML', reply_markup: { remove_keyboard: true } },
  );
  // The organization named them an admin on their roster entry: show where their part of the bot is.
  if (person.orgRole === 'ADMIN') await ctx.reply(ctx.t('orgAdmin.linkedAsAdmin'));
}
