/**
 * What the stand-in's parts share: the state of a chat, a message, a pending update, a call in progress,
 * the Bot API's constants, and the small helpers every method handler uses (bad request, clone, reading
 * a parameter). Nothing here is part of the stand-in's API (index.ts says what is).
 */
import { ApiError, type DeliveryResult, type Update, type User } from './types';
import type { AnyMarkup } from './markup';
import type { UploadedPart } from './body';

/* eslint-disable @typescript-eslint/no-explicit-any */
export type AnyObj = Record<string, any>;
export type Params = Record<string, unknown>;

export interface StoredMessage {
  /** The Message as Telegram returns it (reply_markup: inline keyboards only). */
  message: AnyObj;
  /** The markup the bot sent with it, reply keyboards included. */
  markup?: AnyMarkup;
  fromBot: boolean;
  service: boolean;
  seq: number;
  threadId?: number;
}

export interface TopicState {
  message_thread_id: number;
  name: string;
  icon_color: number;
  icon_custom_emoji_id?: string;
  is_closed: boolean;
  deleted: boolean;
}

export interface ChatState {
  chat: AnyObj;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  replyKeyboard?: AnyMarkup;
  started: boolean;
  blockedByUser: boolean;
  topics: Map<number, TopicState>;
  admins: Map<number, { user: User; status: 'creator' | 'administrator' }>;
  members: Map<number, User>;
  botIsAdmin: boolean;
  menuButton?: unknown;
}

export interface PendingUpdate {
  update: Update;
  raw: boolean;
  chatKey: string;
  handedOver: boolean;
  inflight: boolean;
  attempts: number;
  nextAttemptAt: number;
  settle: (r: DeliveryResult | Error) => void;
  delivered: Promise<DeliveryResult>;
}

export interface Poller {
  limit: number;
  finish: (r: Update[] | ApiError) => void;
}

export interface CallCtx {
  files: Map<string, UploadedPart>;
  recordParams: Params;
  /** Registers what to do when the HTTP client goes away before the answer. */
  onAbort?: (fn: () => void) => void;
}

export interface WebhookState {
  url: string;
  secret_token?: string;
  max_connections: number;
  last_error_date?: number;
  last_error_message?: string;
}

/** A result that comes with a description in the OK body, as setWebhook's "Webhook was set". */
export class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

export const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendVoice', 'copyMessage', 'forwardMessage']);

/** Calls refused with 403 when the user blocked the bot. */
export const BLOCKABLE_METHODS = new Set([
  ...SEND_METHODS,
  'sendChatAction',
  'editMessageText',
  'editMessageReplyMarkup',
  'editMessageCaption',
]);

export const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

export const TOPIC_COLORS = new Set([7322096, 16766590, 13338331, 9367192, 16749490, 16478047]);

export const DEFAULT_EXCLUDED_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

export const SERVICE_KEYS = ['forum_topic_created', 'forum_topic_edited', 'forum_topic_closed', 'forum_topic_reopened'];

export const FILE_KEYS = ['document', 'photo', 'voice', 'audio', 'video', 'animation', 'sticker', 'video_note'] as const;

export const MAX_BODY_BYTES = 60 * 1024 * 1024;

export function bad(description: string): never {
  throw new ApiError(400, `Bad Request: ${description}`);
}

export function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

export function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

export function stableKey(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableKey).join(',')}]`;
  return `{${Object.keys(v as AnyObj)
    .sort()
    .filter((k) => (v as AnyObj)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableKey((v as AnyObj)[k])}`)
    .join(',')}}`;
}

/** Index of the first time > t in an ascending list (binary search). */
export function firstAfter(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

export function updateType(update: Update): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

export function chatKeyOf(update: AnyObj): string {
  const inner = update[updateType(update as Update)] as AnyObj | undefined;
  const chatId = inner?.chat?.id ?? inner?.message?.chat?.id;
  if (chatId !== undefined) return `c${chatId}`;
  if (inner?.from?.id !== undefined) return `u${inner.from.id}`;
  return `x${update.update_id}`;
}
