import type { Lang } from '../../../bot/http/cabinet/wire';

/** Before the session: the browser's language, Russian unless it is English. */
export function browserLang(): Lang {
  return navigator.language?.toLowerCase().startsWith('en') ? 'en' : 'ru';
}
