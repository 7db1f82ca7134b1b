import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createI18n, LANGUAGES, translatorFor } from './i18n';
import { localesDir } from './paths';

/** Every key of a locale file whose sentence has placeholders, with their names. */
function sentencesWithPlaceholders(lang: string): Array<{ key: string; names: string[] }> {
  const out: Array<{ key: string; names: string[] }> = [];
  const walk = (node: unknown, prefix: string): void => {
    if (typeof node === 'string') {
      const names = [...new Set([...node.matchAll(/\{\{(.+?)\}\}/g)].map((m) => m[1].trim()))];
      // Plural forms are asked for by their base key with `count`.
      if (names.length > 0 && !/_(zero|one|two|few|many|other)$/.test(prefix)) out.push({ key: prefix, names });
      return;
    }
    for (const [name, child] of Object.entries(node as Record<string, unknown>)) walk(child, prefix ? `${prefix}.${name}` : name);
  };
  walk(JSON.parse(readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')), '');
  return out;
}

/** Every key asked for by its plural forms (`key_one`, `key_few`, …) in a locale file. */
function pluralBases(lang: string): string[] {
  const out = new Set<string>();
  const walk = (node: unknown, prefix: string): void => {
    if (typeof node === 'string') {
      const form = /^(.*)_(zero|one|two|few|many|other)$/.exec(prefix);
      if (form) out.add(form[1]);
      return;
    }
    for (const [name, child] of Object.entries(node as Record<string, unknown>)) walk(child, prefix ? `${prefix}.${name}` : name);
  };
  walk(JSON.parse(readFileSync(path.join(localesDir, `${lang}.json`), 'utf8')), '');
  return [...out];
}

describe('translatorFor', () => {
  const i18n = createI18n();

  it('says what i18next says, per language, with and without parameters', () => {
    for (const lang of LANGUAGES) {
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

  it('fills every sentence with placeholders of both locale files as i18next does, whatever the values', () => {
    const samples: unknown[] = [7, 'Петрова А. С.', '{{number}} $& $1 <b>', 0, null, undefined, 12.5, ''];
    let compared = 0;
    for (const lang of LANGUAGES) {
      const t = translatorFor(i18n, lang) as unknown as (key: string, values: object) => string;
      const plain = i18n.getFixedT(lang) as unknown as (key: string, values: object) => string;
      for (const { key, names } of [...sentencesWithPlaceholders('ru'), ...sentencesWithPlaceholders('en')]) {
        for (const sample of samples) {
          const values = Object.fromEntries(names.map((name, i) => [name, i % 2 === 0 ? sample : `${name}-${String(sample)}`]));
          expect([key, t(key, values)]).toEqual([key, plain(key, values)]);
          // One placeholder not given: left as i18next leaves it.
          const fewer = Object.fromEntries(Object.entries(values).slice(1));
          expect([key, t(key, fewer)]).toEqual([key, plain(key, fewer)]);
          compared += 2;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('picks and fills the plural form of every sentence asked with a count as i18next does, in both languages', () => {
    const counts: unknown[] = [0, 1, 2, 3, 4, 5, 11, 12, 21, 22, 25, 101, 111, 1.5, 0.5, -1, -2, NaN, '3'];
    let compared = 0;
    const asked = new Set([...pluralBases('ru'), ...pluralBases('en')]);
    expect(asked.size).toBeGreaterThan(10);
    // And sentences without plural forms asked with a count, as /credits asks «{{count}} × {{type}}».
    for (const { key } of sentencesWithPlaceholders('ru')) asked.add(key);
    for (const lang of LANGUAGES) {
      const t = translatorFor(i18n, lang) as unknown as (key: string, values: object) => string;
      const plain = i18n.getFixedT(lang) as unknown as (key: string, values: object) => string;
      for (const key of asked) {
        for (const count of counts) {
          const values = { count, formattedCount: `${String(count)}!`, start: 'с', end: 'по', type: 'ИОМ', each: '36 ч' };
          expect([key, count, t(key, values)]).toEqual([key, count, plain(key, values)]);
          expect([key, count, t(key, { count })]).toEqual([key, count, plain(key, { count })]);
          compared += 2;
        }
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });

  it('finds a form English lacks where i18next does: in Russian, by its own rules', () => {
    const i18nWithGap = createI18n();
    i18nWithGap.addResourceBundle('en', 'translation', { gap: { days_other: '{{count}} days' } }, true, true);
    i18nWithGap.addResourceBundle(
      'ru',
      'translation',
      { gap: { days_one: '{{count}} день', days_few: '{{count}} дня', days_many: '{{count}} дней' } },
      true,
      true,
    );
    const t = translatorFor(i18nWithGap, 'en');
    const plain = i18nWithGap.getFixedT('en');
    for (const count of [1, 2, 5, 21]) expect(t('gap.days', { count })).toBe(plain('gap.days', { count }));
    expect(t('gap.days', { count: 1 })).toBe('1 день');
  });

  it("leaves context and i18next's own options to i18next", () => {
    const plain = i18n.getFixedT('ru');
    const t = translatorFor(i18n, 'ru');
    expect(t('support.opened', { number: 3, lng: 'en' })).toBe(plain('support.opened', { number: 3, lng: 'en' }));
    expect(t('support.opened', { number: 3, lng: 'en' })).toBe(translatorFor(i18n, 'en')('support.opened', { number: 3 }));
    expect(t('no.such.key', { number: 3 })).toBe(plain('no.such.key', { number: 3 }));
  });

  it('is made once per language and instance', () => {
    expect(translatorFor(i18n, 'en')).toBe(translatorFor(i18n, 'en'));
    expect(translatorFor(createI18n(), 'en')).not.toBe(translatorFor(i18n, 'en'));
  });
});
