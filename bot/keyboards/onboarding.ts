import { InlineKeyboard, Keyboard } from 'grammy';
import { CATEGORIES } from '../../core/linking/onboarding.service';
import type { Step } from '../../core/linking/onboarding-steps';
import type { i18n } from 'i18next';
import { LANGUAGES, type Translate } from '../../infra/i18n';
import { callbackData } from '../callback-data/callback-data';

/** Each language names itself (its own locale's `language-name`), readable before any choice. */
export function languageKeyboard(i18n: i18n): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const lang of LANGUAGES) keyboard.text(i18n.getFixedT(lang)('language-name'), callbackData.language(lang));
  return keyboard;
}

export function consentKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t('onboarding.consent.agree'), callbackData.consent('yes'))
    .row()
    .text(t('onboarding.consent.decline'), callbackData.consent('no'))
    .row()
    .text(t('privacy.policy-button'), callbackData.privacyPolicy);
}

/** While the phone is being corrected, a second button keeps the number given before. */
export function shareContactKeyboard(t: Translate, offerKeep = false): Keyboard {
  const keyboard = new Keyboard().requestContact(t('onboarding.phone.button'));
  if (offerKeep) keyboard.row().text(t('onboarding.correct.keep'));
  return keyboard.resized().oneTime();
}

export function categoryKeyboard(t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  CATEGORIES.forEach((category, i) => {
    keyboard.text(t(`category.${category}`), callbackData.category(category));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard;
}

/** The confirmation-code step: correct any earlier answer, or go back to the organization code. */
export function codeStepKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard()
    .text(t('onboarding.fix-button'), callbackData.onboardingFixMenu)
    .text(t('common.back'), callbackData.onboardingBack);
}

export function fixButton(keyboard: InlineKeyboard, t: Translate): InlineKeyboard {
  return keyboard.row().text(t('onboarding.fix-button'), callbackData.onboardingFixMenu);
}

export function keepButton(keyboard: InlineKeyboard, t: Translate): InlineKeyboard {
  return keyboard.row().text(t('onboarding.correct.keep'), callbackData.onboardingKeep);
}

/** Which answer to correct: only those given so far. */
export function fixMenuKeyboard(t: Translate, steps: readonly Step[]): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  steps.forEach((step, i) => {
    keyboard.text(t(`onboarding.correct.field.${step}`), callbackData.onboardingFix(step));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row().text(t('onboarding.correct.nothing'), callbackData.onboardingFixClose);
}

/** /cancel before linking: nothing is cancelled, but an answer can be corrected or the questions asked again. */
export function linkingCancelKeyboard(t: Translate, options: { fix: boolean; startOver: boolean }): InlineKeyboard | undefined {
  if (!options.fix && !options.startOver) return undefined;
  const keyboard = new InlineKeyboard();
  if (options.fix) keyboard.text(t('onboarding.fix-button'), callbackData.onboardingFixMenu);
  if (options.startOver) keyboard.text(t('onboarding.start-over-button'), callbackData.onboardingStartOver);
  return keyboard;
}
