/** Validation of reply_markup as Telegram does it, for the errors a bot bug would meet in production. */
import type { ForceReply, InlineKeyboardMarkup, ReplyKeyboardMarkup, ReplyKeyboardRemove } from 'grammy/types';
import { ApiError } from './types';

export type AnyMarkup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;

const INLINE_ACTIONS = [
  'url',
  'callback_data',
  'web_app',
  'login_url',
  'switch_inline_query',
  'switch_inline_query_current_chat',
  'switch_inline_query_chosen_chat',
  'copy_text',
  'callback_game',
  'pay',
];

function bad(description: string): never {
  throw new ApiError(400, `Bad Request: ${description}`);
}

function isValidButtonUrl(url: string): boolean {
  if (/^tg:\/\//i.test(url)) return true;
  try {
    const u = new URL(url);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname.length > 0;
  } catch {
    return false;
  }
}

/**
 * Telegram opens Mini Apps over HTTPS only. Its test environment also takes plain HTTP, which the
 * stand-in allows for this machine (the demo serves the cabinet on 127.0.0.1).
 */
export function isWebAppUrl(url: unknown): boolean {
  if (typeof url !== 'string' || !URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || (protocol === 'http:' && ['127.0.0.1', 'localhost', '[::1]'].includes(hostname));
}

export function validateMarkup(markup: unknown): AnyMarkup | undefined {
  if (markup === undefined || markup === null) return undefined;
  if (typeof markup !== 'object' || Array.isArray(markup)) bad("can't parse reply keyboard markup JSON object");
  const m = markup as Record<string, unknown>;
  if ('inline_keyboard' in m) {
    const rows = m.inline_keyboard;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
      bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        if (typeof b !== 'object' || b === null) bad("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
        const button = b as Record<string, unknown>;
        if (typeof button.text !== 'string') bad('can\'t parse inline keyboard button: Field "text" must be of type String');
        const actions = INLINE_ACTIONS.filter((k) => k in button);
        if (actions.length === 0) bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
        if (actions.length > 1) bad(`can't parse inline keyboard button: only one of ${actions.join(', ')} may be used`);
        if ('callback_data' in button) {
          const data = button.callback_data;
          if (typeof data !== 'string' || Buffer.byteLength(data, 'utf8') < 1 || Buffer.byteLength(data, 'utf8') > 64) {
            bad('BUTTON_DATA_INVALID');
          }
        }
        if ('web_app' in button) {
          const url = (button.web_app as { url?: unknown } | null)?.url;
          if (!isWebAppUrl(url)) bad(`inline keyboard button Web App URL '${String(url)}' is invalid: Only HTTPS links are allowed`);
        }
        if ('url' in button) {
          if (typeof button.url !== 'string' || !isValidButtonUrl(button.url)) {
            bad(`inline keyboard button URL '${String(button.url)}' is invalid: Wrong HTTP URL`);
          }
        }
      }
    }
    return m as unknown as InlineKeyboardMarkup;
  }
  if ('keyboard' in m) {
    const rows = m.keyboard;
    if (!Array.isArray(rows) || rows.some((r) => !Array.isArray(r))) {
      bad('field "keyboard" of the ReplyKeyboardMarkup must be an Array of Arrays');
    }
    for (const row of rows as unknown[][]) {
      for (const b of row) {
        const text = typeof b === 'string' ? b : typeof b === 'object' && b !== null ? (b as { text?: unknown }).text : undefined;
        if (typeof text !== 'string') bad('can\'t parse keyboard button: Field "text" must be of type String');
        if (text.length === 0) bad('keyboard button text must be non-empty');
      }
    }
    return m as unknown as ReplyKeyboardMarkup;
  }
  if ('remove_keyboard' in m) return m as unknown as ReplyKeyboardRemove;
  if ('force_reply' in m) return m as unknown as ForceReply;
  bad("can't parse reply keyboard markup JSON object: none of inline_keyboard, keyboard, remove_keyboard, force_reply");
}

export function isInline(m: AnyMarkup | undefined): m is InlineKeyboardMarkup {
  return !!m && 'inline_keyboard' in m;
}

export function isReplyKeyboard(m: AnyMarkup | undefined): m is ReplyKeyboardMarkup {
  return !!m && 'keyboard' in m;
}
