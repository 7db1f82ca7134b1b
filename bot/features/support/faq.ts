import { InlineKeyboard } from 'grammy';
import type { Translate } from '../../../infra/i18n';
import { callbackData } from '../../../infra/telegram/callback-data';

/** In the order shown; `callbackPattern.supportFaq` accepts exactly these. */
export const SUPPORT_FAQ_TOPICS = ['access', 'faults', 'updates', 'contacts'] as const;
export type SupportFaqTopic = (typeof SUPPORT_FAQ_TOPICS)[number];

/** The answers from «Контакты службы поддержки» and its neighbours, offered before a human is called. */
export function faqKeyboard(t: Translate): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const topic of SUPPORT_FAQ_TOPICS) keyboard.text(t(`support.faq.${topic}.question`), callbackData.supportFaq(topic)).row();
  return keyboard.text(t('support.call-operator'), callbackData.supportCall);
}

export function faqAnswer(t: Translate, topic: SupportFaqTopic): { text: string; keyboard: InlineKeyboard } {
  return {
    text: t(`support.faq.${topic}.answer`),
    keyboard: new InlineKeyboard()
      .text(t('common.back'), callbackData.supportMenu)
      .text(t('support.call-operator'), callbackData.supportCall),
  };
}
