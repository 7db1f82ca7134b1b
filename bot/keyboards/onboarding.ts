import { InlineKeyboard, Keyboard } from 'grammy';
import { CATEGORIES } from '../../core/linking/onboarding.service';
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

export function shareContactKeyboard(t: Translate): Keyboard {
  return new Keyboard().requestContact(t('onboarding.phone.button')).resized().oneTime();
}

export function categoryKeyboard(t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  CATEGORIES.forEach((category, i) => {
    keyboard.text(t(`category.${category}`), callbackData.category(category));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard;
}

export function backKeyboard(t: Translate): InlineKeyboard {
  return new InlineKeyboard().text(t('common.back'), callbackData.onboardingBack);
}
