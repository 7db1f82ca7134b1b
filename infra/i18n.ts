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
 * A sentence's text as the locale file has it, and the names of its `{{placeholders}}`; `undefined` when
 * i18next must fill it (not a string, or nested `$t(…)`).
 */
interface Template {
  text: string;
  names: ReadonlySet<string>;
}

const PLACEHOLDER = /\{\{(.+?)\}\}/g;
/** Options that change which sentence i18next picks (plural forms, context): never filled here. */
const CHOOSING_OPTIONS = new Set(['count', 'context', 'ordinal']);
/** A key the language's own file has, under which `fill` finds nothing to fill (not a string, or nesting): i18next decides. */
const UNFILLABLE = null;

/**
 * `getFixedT(lang)`, made once per language. A sentence without parameters never changes while the
 * process runs, and the bot asks for the same ones (/help's twenty lines, button labels) on every update:
 * each is remembered. A sentence with parameters that are only its own `{{placeholders}}` is filled here,
 * from its text remembered once, as i18next fills it (interpolation without escaping, a missing value
 * left as `{{name}}`, one given as undefined or null made empty, no value read twice); i18next's own
 * path cost a tenth of the bot's thread at 1,000 updates/s. A numeric `count` picks the plural form as
 * i18next does within the language's own file (`_zero` for 0 where there is one, then the form
 * `Intl.PluralRules` names, then the key itself), and that form is filled the same way; a form the
 * language lacks (English falling back to Russian) goes to i18next. Anything else (context, i18next's
 * own options) goes to i18next as it is.
 */
export function translatorFor(instance: i18n, lang: Lang): Translate {
  let byLang = translators.get(instance);
  if (!byLang) translators.set(instance, (byLang = new Map()));
  let translate = byLang.get(lang);
  if (!translate) {
    const fixed = instance.getFixedT(lang) as unknown as (key: string | string[], ...rest: unknown[]) => unknown;
    const remembered = new Map<string, string>();
    const templates = new Map<string, Template | undefined>();
    const templateOf = (key: string): Template | undefined => {
      if (templates.has(key)) return templates.get(key);
      const text = fixed(key, { skipInterpolation: true });
      const template = templateFrom(text);
      if (templates.size < MAX_REMEMBERED) templates.set(key, template);
      return template;
    };
    // The language's own sentences by exact key, for plural forms: undefined where the file has none.
    const own = new Map<string, Template | typeof UNFILLABLE | undefined>();
    const ownTemplateOf = (key: string): Template | typeof UNFILLABLE | undefined => {
      if (own.has(key)) return own.get(key);
      const text: unknown = instance.getResource(lang, 'translation', key);
      const template = text === undefined ? undefined : (templateFrom(text) ?? UNFILLABLE);
      if (own.size < MAX_REMEMBERED) own.set(key, template);
      return template;
    };
    const rules = new Intl.PluralRules(lang);
    /** i18next's lookup of a plural sentence within this language: undefined when it would look further. */
    const pluralTemplateOf = (key: string, count: number): Template | undefined => {
      const form = `${key}_${rules.select(count)}`;
      const forms = count === 0 ? [`${key}_zero`, form, key] : [form, key];
      for (const candidate of forms) {
        const template = ownTemplateOf(candidate);
        // The first key the file has decides, as in i18next's lookup; one `fill` cannot fill goes to i18next.
        if (template !== undefined) return template ?? undefined;
      }
      return undefined;
    };
    translate = ((key: string | string[], ...rest: unknown[]) => {
      if (typeof key !== 'string') return fixed(key, ...rest);
      if (rest.length === 0) {
        let text = remembered.get(key);
        if (text === undefined) {
          text = fixed(key) as string;
          if (remembered.size < MAX_REMEMBERED) remembered.set(key, text);
        }
        return text;
      }
      const values = rest[0];
      if (rest.length !== 1 || !isPlainValues(values)) return fixed(key, ...rest);
      const given = values as Record<string, unknown>;
      const count = given.count;
      const template = typeof count === 'number' ? pluralTemplateOf(key, count) : templateOf(key);
      if (!template || !fillable(template, given, typeof count === 'number')) return fixed(key, ...rest);
      return fill(template.text, given);
    }) as unknown as Translate;
    byLang.set(lang, translate);
  }
  return translate;
}

/** A sentence `fill` can fill: a string, without nested `$t(…)`. */
function templateFrom(text: unknown): Template | undefined {
  if (typeof text !== 'string' || text.includes('$t(')) return undefined;
  return { text, names: new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1].trim())) };
}

function isPlainValues(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;
}

/**
 * Every option given is one of the sentence's placeholders, and none chooses the sentence (but `count`,
 * once it has chosen the plural form: then it need not appear in it).
 */
function fillable(template: Template, values: Record<string, unknown>, plural: boolean): boolean {
  for (const name of Object.keys(values)) {
    if (plural && name === 'count') continue;
    if (CHOOSING_OPTIONS.has(name) || !template.names.has(name)) return false;
  }
  return true;
}

function fill(text: string, values: Record<string, unknown>): string {
  return text.replace(PLACEHOLDER, (whole: string, name: string) => {
    const key = name.trim();
    if (!Object.prototype.hasOwnProperty.call(values, key)) return whole;
    const value = values[key];
    return value === undefined || value === null ? '' : String(value);
  });
}

export function asLang(value: string | null | undefined): Lang {
  return value === 'en' ? 'en' : 'ru';
}
