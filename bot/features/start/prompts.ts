import { escapeHtml } from '../../../core/shared/text';
import type { Person } from '../../../generated/prisma/client';
import type { Step } from '../../../core/linking/onboarding.service';
import { correctableSteps, correctionPending } from '../../../core/linking/onboarding-steps';
import type { BotContext } from '../../context';
import {
  categoryKeyboard,
  codeStepKeyboard,
  consentKeyboard,
  fixButton,
  keepButton,
  languageKeyboard,
  shareContactKeyboard,
} from '../../keyboards/onboarding';
import { InlineKeyboard } from 'grammy';

/** Steps whose question carries «✏️ Исправить ответ» itself; elsewhere /start and /cancel offer it. */
const FIX_ON_PROMPT: readonly Step[] = ['CATEGORY', 'ORGANIZATION', 'INVITE_CODE'];

export const fixOfferedByPrompt = (person: Person): boolean => FIX_ON_PROMPT.includes(person.onboardingStep) && !correctionPending(person);

/**
 * Asks the question of the step the person is at; used after every answer and on /start. While an
 * earlier answer is being corrected, the question offers «↩️ Оставить как было» instead.
 */
export async function promptStep(ctx: BotContext, person: Person): Promise<void> {
  const { t } = ctx;
  const step: Step = person.onboardingStep;
  const correcting = correctionPending(person);
  const canFix = correctableSteps(person).length > 0;
  /** The inline keyboard of a question, with the way to change or keep an answer under it. */
  const withWayBack = (keyboard: InlineKeyboard) => (correcting ? keepButton(keyboard, t) : canFix ? fixButton(keyboard, t) : keyboard);
  switch (step) {
    case 'LANGUAGE': {
      const keyboard = languageKeyboard(ctx.services.i18n);
      await ctx.reply(t('onboarding.language.prompt'), { reply_markup: correcting ? keepButton(keyboard, t) : keyboard });
      return;
    }
    case 'CONSENT':
      await ctx.reply(t('onboarding.consent.prompt'), { parse_mode: 'HTML', reply_markup: consentKeyboard(t) });
      return;
    case 'PHONE':
      await ctx.reply(t('onboarding.phone.prompt'), { reply_markup: shareContactKeyboard(t, correcting) });
      return;
    case 'FULL_NAME':
      // Right after the share-contact keyboard: take it away, unless the name is being corrected.
      await ctx.reply(t('onboarding.full-name.prompt'), {
        reply_markup: correcting ? keepButton(new InlineKeyboard(), t) : { remove_keyboard: true },
      });
      return;
    case 'CATEGORY':
      await ctx.reply(t('onboarding.category.prompt'), { reply_markup: withWayBack(categoryKeyboard(t)) });
      return;
    case 'ORGANIZATION': {
      const keyboard = withWayBack(new InlineKeyboard());
      await ctx.reply(t('onboarding.organization.prompt'), {
        reply_markup: keyboard.inline_keyboard.length > 0 ? keyboard : { remove_keyboard: true },
      });
      return;
    }
    case 'INVITE_CODE':
      await ctx.reply(
        [await summaryText(ctx, person), '', t('onboarding.invite-code.prompt'), t('onboarding.summary.fix-hint')].join('\n'),
        {
          parse_mode: 'HTML',
          reply_markup: codeStepKeyboard(t),
        },
      );
      return;
    case 'LINKED':
      await announceLinked(ctx, person);
      return;
  }
}

/** Every answer given, so that a typo is seen before the code is typed (and the roster compared). */
async function summaryText(ctx: BotContext, person: Person): Promise<string> {
  const { t } = ctx;
  const summary = await ctx.services.onboarding.summary(person);
  const lines = [t('onboarding.summary.title')];
  if (summary.fullName) lines.push(t('onboarding.summary.full-name', { value: escapeHtml(summary.fullName) }));
  if (summary.category) lines.push(t('onboarding.summary.category', { value: t(`category.${summary.category}`) }));
  if (summary.organization) {
    const { name, code } = summary.organization;
    lines.push(t('onboarding.summary.organization', { value: `${escapeHtml(name)} (${escapeHtml(code)})` }));
  }
  if (summary.phoneEnding) lines.push(t('onboarding.summary.phone', { value: summary.phoneEnding }));
  lines.push(t('onboarding.summary.language', { value: ctx.services.i18n.getFixedT(summary.language)('language-name') }));
  return lines.join('\n');
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
