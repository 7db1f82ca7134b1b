import type { Lang } from '../../../bot/http/cabinet/wire';

/**
 * The few sentences the page needs before the server has sent its strings (or when it cannot be reached),
 * in both languages. Everything else comes from locales/*.json (`cabinet`) through the session.
 */
export const FALLBACK = {
  ru: {
    'open-from-telegram': 'Откройте кабинет из чата с ботом в Telegram: кнопка «Кабинет» или «Открыть кабинет» под /credits.',
    network: 'Нет связи с сервером. Проверьте интернет и попробуйте ещё раз.',
    server: 'На сервере что-то пошло не так; ничего не сохранено наполовину. Попробуйте ещё раз через минуту.',
    retry: 'Повторить',
    loading: 'Загрузка…',
  },
  en: {
    'open-from-telegram':
      'Open the cabinet from your chat with the bot in Telegram: the «Cabinet» button or «Open cabinet» under /credits.',
    network: 'The server cannot be reached. Check the connection and try again.',
    server: 'Something went wrong on the server; nothing was saved half way. Try again in a minute.',
    retry: 'Try again',
    loading: 'Loading…',
  },
} satisfies Record<Lang, Record<string, string>>;

export type FallbackKey = keyof (typeof FALLBACK)['ru'];
