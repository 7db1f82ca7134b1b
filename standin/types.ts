/**
 * Public types of the Telegram Bot API stand-in. Telegram objects (Update, Message, ...) come from
 * grammY's own type package so that tests and the bot agree on the wire shapes.
 */
import type { ForceReply, InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update } from 'grammy/types';

export type { Message, Update, User } from 'grammy/types';

/** The body Telegram answers with when a call fails. */
export interface ApiErrorBody {
  ok: false;
  error_code: number;
  description: string;
  parameters?: { retry_after?: number; migrate_to_chat_id?: number };
}

/** A failure thrown inside a method handler; turned into {ok:false,...} with HTTP status error_code. */
export class ApiError extends Error {
  constructor(
    readonly error_code: number,
    readonly description: string,
    readonly parameters?: { retry_after?: number; migrate_to_chat_id?: number },
  ) {
    super(`${error_code}: ${description}`);
    this.name = 'ApiError';
  }

  toBody(): ApiErrorBody {
    return {
      ok: false,
      error_code: this.error_code,
      description: this.description,
      ...(this.parameters ? { parameters: this.parameters } : {}),
    };
  }
}

export interface StandinOptions {
  /** Only this token is accepted (others get 401 Unauthorized). Default: any token is accepted. */
  token?: string;
  /** getMe answers. Defaults: id 777000001, first_name 'NMO Assistant', username 'nmo_test_bot'. */
  botId?: number;
  botUsername?: string;
  botFirstName?: string;
  /** The update_id of the first update. Default 1000. */
  firstUpdateId?: number;
  /** Delays between webhook delivery attempts of one update; the last one repeats. Default [50, 100, 200, 400, 800, 1000]. */
  webhookRetryDelaysMs?: number[];
  /** Give an update up after this many failed webhook attempts (it is then dropped, as Telegram does eventually). Default: never. */
  webhookMaxAttempts?: number;
  /** How long one webhook POST may take before it counts as failed. Default 15000. */
  webhookTimeoutMs?: number;
  /** Upper bound for a getUpdates long poll, whatever timeout the bot asks for. Default 50000 (Telegram's own cap). */
  maxLongPollMs?: number;
  /** Default timeout of the waits of simulated users (handover of an update, nextBotMessage, ...). Default 5000. */
  defaultWaitMs?: number;
  /**
   * Like telegram-bot-api --local: getFile writes the file under this folder and answers its absolute path
   * as file_path (so @grammyjs/files' download() copies it instead of fetching over https, which is all it
   * can fetch). Default: relative paths, downloads over http from /file/bot<token>/<file_path>.
   */
  localFilesDir?: string;
  /** Clock used for message dates and rate limits. Default Date.now. */
  now?: () => number;
}

/** One API call the bot made, as the stand-in saw it. Uploaded files appear in params as UploadedFileParam. */
export interface CallRecord {
  /** Position in the call log since start (never reused, not reset by clearCalls). */
  index: number;
  method: string;
  params: Record<string, unknown>;
  at: Date;
  /** The chat the call concerns (chat_id, or the chat of the callback query for answerCallbackQuery). */
  chatId?: number;
  ok: boolean;
  result?: unknown;
  error?: ApiErrorBody;
  /** 'http' for ordinary calls, 'webhook-reply' for a method returned in the body of a webhook answer. */
  via: 'http' | 'webhook-reply';
}

/** How an uploaded multipart file shows in CallRecord.params. */
export interface UploadedFileParam {
  upload: true;
  file_name: string;
  size: number;
  /** The file_id the stand-in gave the stored bytes (after the call succeeded). */
  file_id?: string;
}

export type FaultSpec =
  | { error_code: number; description: string; retry_after?: number; migrate_to_chat_id?: number }
  /** Destroy the connection without answering (a network failure as the client sees it). */
  | { reset: true };

export interface RateLimitConfig {
  /** Message-creating calls per second over all chats (Telegram: about 30). */
  perSecond?: number;
  /** Message-creating calls per second into one chat (Telegram: about 1). */
  perChatPerSecond?: number;
  /** Message-creating calls per minute into one group chat (Telegram: 20). */
  perGroupPerMinute?: number;
}

export interface StandinStats {
  /** Calls answered (any method, any outcome). */
  calls: number;
  /** Successful message-creating calls (send*, copyMessage, forwardMessage). */
  sent: number;
  /** Calls answered 429 by the rate limiter. */
  rateLimited: number;
  /** Calls answered 403 because the user blocked the bot. */
  forbidden: number;
  /** Calls answered by a failNext fault. */
  injected: number;
  /** Calls answered with ok:false for any reason. */
  errors: number;
  byMethod: Record<string, number>;
  webhook: { delivered: number; failedAttempts: number; dropped: number };
  /** Largest number of message-creating calls accepted (counted by the rate limits) within any 1 s window. */
  maxSentPerSecond: number;
}

export interface CallbackAnswer {
  callback_query_id: string;
  text?: string;
  show_alert?: boolean;
  url?: string;
  cache_time?: number;
  at: Date;
}

export interface UserSpec {
  id: number;
  first_name: string;
  last_name?: string;
  username?: string;
  language_code?: string;
  is_premium?: boolean;
  /** Phone the user shares with a request_contact button. Default '7900' + id padded to 7 digits. */
  phone?: string;
  /** false: the user never opened the bot, sends to them answer 403 until they write. Default true. */
  started?: boolean;
}

export interface GroupSpec {
  id: number;
  title: string;
  username?: string;
  is_forum?: boolean;
  /** Administrators (getChatAdministrators/getChatMember). */
  admins?: Array<UserSpec | { user: UserSpec; status: 'creator' | 'administrator' }>;
  /** Other members. Users who post in the group become members anyway. */
  members?: UserSpec[];
  /** Whether the bot is an administrator (may manage topics). Default true. */
  botIsAdmin?: boolean;
}

/** What a chat shows for one message: Telegram's Message, except that reply_markup also carries reply keyboards. */
export type ShownMessage = Omit<Message, 'reply_markup'> & {
  reply_markup?: InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove | ForceReply;
};

export interface DeliveryResult {
  update: Update;
  /** How the update reached the bot; 'filtered' when allowed_updates excluded it (it was never delivered). */
  via: 'webhook' | 'getUpdates' | 'filtered' | 'dropped';
  attempts: number;
}

export type StandinEvent =
  | { type: 'message'; chatId: number; message: ShownMessage }
  | { type: 'edit'; chatId: number; message: ShownMessage }
  | { type: 'delete'; chatId: number; messageId: number }
  | { type: 'callbackAnswer'; chatId?: number; answer: CallbackAnswer }
  | { type: 'chatAction'; chatId: number; action: string }
  | { type: 'call'; call: CallRecord };

export interface StoredFile {
  kind: 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'animation' | 'sticker' | 'video_note';
  file_id: string;
  file_unique_id: string;
  file_size: number;
  file_path: string;
  file_name?: string;
  mime_type?: string;
  /** The bytes; undefined for files sent by URL (the stand-in fetches nothing). */
  bytes?: Buffer;
  url?: string;
}

export interface WaitOptions {
  timeoutMs?: number;
}
