import { createI18n, translatorFor } from './i18n';

describe('translatorFor', () => {
  const i18n = createI18n();

  it('says what i18next says, per language, with and without parameters', () => {
    for (const lang of ['ru', 'en'] as const) {
      const t = translatorFor(i18n, lang);
      const plain = i18n.getFixedT(lang);
      expect(t('help.intro')).toBe(plain('help.intro'));
      // Asked again: the sentence remembered is the same.
      expect(t('help.intro')).toBe(plain('help.intro'));
      expect(t('support.opened', { number: 7 })).toBe(plain('support.opened', { number: 7 }));
      expect(t('support.opened', { number: 8 })).toBe(plain('support.opened', { number: 8 }));
    }
    expect(translatorFor(i18n, 'ru')('help.intro')).not.toBe(translatorFor(i18n, 'en')('help.intro'));
  });

  it('is made once per language and instance', () => {
    expect(translatorFor(i18n, 'en')).toBe(translatorFor(i18n, 'en'));
    expect(translatorFor(createI18n(), 'en')).not.toBe(translatorFor(i18n, 'en'));
  });
});
