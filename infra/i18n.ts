import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import i18next, { type TFunction, type i18n } from 'i18next';
import { localesDir } from './paths';

export type Translate = TFunction;
export const LANGUAGES = ['ru', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Lang = 'ru';

/**
 * Every sentence a person reads lives in locales/<lang>.json; code names keys only. Missing keys in
 * English fall back to Russian, and a key missing everywhere shows as the key (caught by a test).
 */
export function createI18n(): i18n {
  const resources = Object.fromEntries(
    readdirSync(localesDir)
      .filter((f) => f.endsWith('.json'))
      .map((f) => [path.basename(f, '.json'), { translation: JSON.parse(readFileSync(path.join(localesDir, f), 'utf8')) }]),
  );
  const instance = i18next.createInstance();
  void instance.init({
    resources,
    lng: DEFAULT_LANGUAGE,
    fallbackLng: DEFAULT_LANGUAGE,
    supportedLngs: [...LANGUAGES],
    initAsync: false,
    interpolation: { escapeValue: false },
    returnNull: false,
  });
  return instance;
}

/** Per i18next instance and language: the translator every update of that language shares. */
const translators = new WeakMap<i18n, Map<Lang, Translate>>();
/** Sentences kept per translator at most: the locale files' keys, with room to spare. */
const MAX_REMEMBERED = 5000;

/**
 * `getFixedT(lang)`, made once per language, remembering each sentence without parameters: a sentence
 * with no parameters never changes while the process runs, and the bot asks for the same ones (/help's
 * twenty lines, button labels) on every update. Calls with options go to i18next as they are.
 */
export function translatorFor(instance: i18n, lang: Lang): Translate {
  let byLang = translators.get(instance);
  if (!byLang) translators.set(instance, (byLang = new Map()));
  let translate = byLang.get(lang);
  if (!translate) {
    const fixed = instance.getFixedT(lang) as unknown as (key: string | string[], ...rest: unknown[]) => string;
    const remembered = new Map<string, string>();
    translate = ((key: string | string[], ...rest: unknown[]) => {
      if (rest.length > 0 || typeof key !== 'string') return fixed(key, ...rest);
      let text = remembered.get(key);
      if (text === undefined) {
        text = fixed(key);
        if (remembered.size < MAX_REMEMBERED) remembered.set(key, text);
      }
      return text;
    }) as unknown as Translate;
    byLang.set(lang, translate);
  }
  return translate;
}

export function asLang(value: string | null | undefined): Lang {
  return value === 'en' ? 'en' : 'ru';
}
