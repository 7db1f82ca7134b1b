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

export function asLang(value: string | null | undefined): Lang {
  return value === 'en' ? 'en' : 'ru';
}
