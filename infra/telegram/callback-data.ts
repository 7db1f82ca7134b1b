/**
 * Every inline button payload in one place: a reader finds a button's format here, and a handler's
 * pattern sits next to the builder that produces it. Payloads stay under Telegram's 64 bytes.
 */
export const callbackData = {
  language: (lang: 'ru' | 'en') => `lang:${lang}`,
  consent: (answer: 'yes' | 'no') => `consent:${answer}`,
  category: (category: string) => `cat:${category}`,
  onboardingBack: 'onb:back',
  privacyPolicy: 'privacy:policy',
  showCredits: 'credits:show',
  addStart: 'add:start',
  addType: (nonce: string, typeCode: string) => `add:t:${nonce}:${typeCode}`,
  addToday: (nonce: string) => `add:today:${nonce}`,
  addConfirm: (nonce: string) => `add:ok:${nonce}`,
  addCancel: (nonce: string) => `add:x:${nonce}`,
} as const;

export const callbackPattern = {
  language: /^lang:(ru|en)$/,
  consent: /^consent:(yes|no)$/,
  category: /^cat:([A-Z_]+)$/,
  onboardingBack: /^onb:back$/,
  privacyPolicy: /^privacy:policy$/,
  showCredits: /^credits:show$/,
  addStart: /^add:start$/,
  addType: /^add:t:([a-z0-9]+):([a-z0-9_-]+)$/,
  addToday: /^add:today:([a-z0-9]+)$/,
  addConfirm: /^add:ok:([a-z0-9]+)$/,
  addCancel: /^add:x:([a-z0-9]+)$/,
} as const;
