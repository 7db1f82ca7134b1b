import type { Message, MessageEntity } from 'grammy/types';
import { CAPTION_LIMIT, cutWithEllipsis, splitFormatted, TEXT_LIMIT } from './text-parts';

/** Kinds Telegram lets us re-caption when copying; others are copied as they are. */
const CAPTIONED = ['photo', 'document', 'voice', 'video', 'audio', 'animation'] as const;
const UNCAPTIONED = ['sticker', 'video_note'] as const;

type CaptionedKind = (typeof CAPTIONED)[number];
export type MediaKind = CaptionedKind | (typeof UNCAPTIONED)[number];

/**
 * What a relayed message carries through the outbound queue (a notification's payload): a text with its
 * formatting, or the source message to copy by numeric ids (never a forward, which would show the author).
 * A copy also carries the media's file id: when the source is deleted before the worker sends it, the file
 * is sent by its id instead, so nothing is lost.
 */
export type RelayContent =
  | { type: 'text'; text: string; entities?: MessageEntity[] }
  | {
      type: 'copy';
      fromChatId: number;
      messageId: number;
      captioned: boolean;
      caption?: string;
      captionEntities?: MessageEntity[];
      file?: { kind: MediaKind; fileId: string };
    };

export function isCaptioned(message: Message): boolean {
  return CAPTIONED.some((kind) => message[kind] !== undefined);
}

/** The media of a message by kind and file id (the largest size of a photo). */
function fileOf(message: Message): { kind: MediaKind; fileId: string } | undefined {
  const photo = message.photo?.at(-1);
  if (photo) return { kind: 'photo', fileId: photo.file_id };
  for (const kind of [...CAPTIONED, ...UNCAPTIONED]) {
    const media = kind === 'photo' ? undefined : message[kind];
    if (media) return { kind, fileId: media.file_id };
  }
  return undefined;
}

export function contentOf(message: Message): RelayContent {
  if (message.text !== undefined) return { type: 'text', text: message.text, entities: message.entities };
  const file = fileOf(message);
  const source = { type: 'copy' as const, fromChatId: message.chat.id, messageId: message.message_id, ...(file ? { file } : {}) };
  if (!isCaptioned(message)) return { ...source, captioned: false };
  return { ...source, captioned: true, caption: message.caption, captionEntities: message.caption_entities };
}

/**
 * Room kept for the header line the worker puts above a relay (👤 №N · ФИО, or the agents' role name):
 * a header is never longer (see `relayHeader`), so parts sized with this room always fit with it.
 */
export const HEADER_ROOM = 200;

/** The header as sent: cut with «…» when a name (or SUPPORT_AGENT_NAME) would leave it longer than its room. */
export function relayHeader(header: string): string {
  return cutWithEllipsis(header, HEADER_ROOM - 1);
}

/**
 * What one relayed message takes to arrive whole within Telegram's limits once `headerLength` units of
 * header (and its line break) are put above it: a text longer than the room is split into several texts
 * (4,096 units each, the first one minus the header); a caption that no longer fits under the header
 * moves into a text of its own right after the media, which then carries the header alone. Only the
 * first part carries the header. Nothing a person or an agent wrote is cut off.
 */
export function relayParts(content: RelayContent, headerLength: number = HEADER_ROOM): RelayContent[] {
  const room = (limit: number) => limit - (headerLength > 0 ? headerLength + 1 : 0);
  if (content.type === 'text') return textParts(content, room(TEXT_LIMIT));
  if (!content.captioned || content.caption === undefined || content.caption.length <= room(CAPTION_LIMIT)) return [content];
  const { caption, captionEntities, ...media } = content;
  return [media, ...textParts({ text: caption, entities: captionEntities }, TEXT_LIMIT)];
}

function textParts(content: { text: string; entities?: MessageEntity[] }, firstRoom: number): RelayContent[] {
  return splitFormatted(content, firstRoom, TEXT_LIMIT).map((part) => ({
    type: 'text' as const,
    text: part.text,
    ...(part.entities ? { entities: part.entities } : {}),
  }));
}

/** Puts a header line before a text or caption, moving its formatting along (offsets are UTF-16, like JS strings). */
export function withHeader(
  header: string,
  body: string | undefined,
  entities: MessageEntity[] | undefined,
): { text: string; entities: MessageEntity[] } {
  const prefix = body ? `${header}\n` : header;
  const shifted = (entities ?? []).map((e) => ({ ...e, offset: e.offset + prefix.length }));
  return { text: `${prefix}${body ?? ''}`, entities: [{ type: 'bold', offset: 0, length: header.length }, ...shifted] };
}

type MediaOptions = { message_thread_id?: number; caption?: string; caption_entities?: MessageEntity[] };

/** The Bot API calls a relay needs; grammY's `Api` has them. */
export interface RelayApi {
  sendMessage(chatId: number, text: string, other?: { message_thread_id?: number; entities?: MessageEntity[] }): Promise<unknown>;
  copyMessage(chatId: number, fromChatId: number, messageId: number, other?: MediaOptions): Promise<unknown>;
  sendPhoto(chatId: number, photo: string, other?: MediaOptions): Promise<unknown>;
  sendDocument(chatId: number, document: string, other?: MediaOptions): Promise<unknown>;
  sendVoice(chatId: number, voice: string, other?: MediaOptions): Promise<unknown>;
  sendVideo(chatId: number, video: string, other?: MediaOptions): Promise<unknown>;
  sendAudio(chatId: number, audio: string, other?: MediaOptions): Promise<unknown>;
  sendAnimation(chatId: number, animation: string, other?: MediaOptions): Promise<unknown>;
  sendSticker(chatId: number, sticker: string, other?: { message_thread_id?: number }): Promise<unknown>;
  sendVideoNote(chatId: number, videoNote: string, other?: { message_thread_id?: number }): Promise<unknown>;
}

/** Telegram's answer when the message to copy was deleted (or never visible to the bot). */
export function isSourceGone(error: unknown): boolean {
  const { error_code: code, description = '' } = (error as { error_code?: number; description?: string } | null) ?? {};
  return code === 400 && /message to copy not found|MESSAGE_ID_INVALID/i.test(description);
}

function sendFile(api: RelayApi, chatId: number, file: { kind: MediaKind; fileId: string }, other: MediaOptions): Promise<unknown> {
  const { message_thread_id } = other;
  switch (file.kind) {
    case 'photo':
      return api.sendPhoto(chatId, file.fileId, other);
    case 'document':
      return api.sendDocument(chatId, file.fileId, other);
    case 'voice':
      return api.sendVoice(chatId, file.fileId, other);
    case 'video':
      return api.sendVideo(chatId, file.fileId, other);
    case 'audio':
      return api.sendAudio(chatId, file.fileId, other);
    case 'animation':
      return api.sendAnimation(chatId, file.fileId, other);
    case 'sticker':
      return api.sendSticker(chatId, file.fileId, { message_thread_id });
    case 'video_note':
      return api.sendVideoNote(chatId, file.fileId, { message_thread_id });
  }
}

/**
 * Sends the content under a bold header line (texts and captions; a sticker or video note is copied bare),
 * or without one (`header` null: a later part of a message split when it was queued). A copy whose
 * source is gone is sent by its file id with the same caption. Content that still would not fit (queued
 * before relays were split) goes out in several messages, the header on the first.
 */
export async function sendRelay(
  api: RelayApi,
  chatId: number,
  header: string | null,
  content: RelayContent,
  threadId?: number,
): Promise<unknown> {
  const line = header === null ? null : relayHeader(header);
  let sent: unknown;
  for (const [index, part] of relayParts(content, line === null ? 0 : line.length).entries()) {
    sent = await sendPart(api, chatId, index === 0 ? line : null, part, threadId);
  }
  return sent;
}

async function sendPart(api: RelayApi, chatId: number, header: string | null, content: RelayContent, threadId?: number): Promise<unknown> {
  const thread = threadId === undefined ? {} : { message_thread_id: threadId };
  if (content.type === 'text') {
    const { text, entities } =
      header === null ? { text: content.text, entities: content.entities } : withHeader(header, content.text, content.entities);
    return api.sendMessage(chatId, text, { ...thread, ...(entities && entities.length > 0 ? { entities } : {}) });
  }
  const caption = !content.captioned
    ? undefined
    : header === null
      ? content.caption === undefined
        ? undefined
        : { text: content.caption, entities: content.captionEntities ?? [] }
      : withHeader(header, content.caption, content.captionEntities);
  const other = caption ? { ...thread, caption: caption.text, caption_entities: caption.entities } : thread;
  try {
    return await api.copyMessage(chatId, content.fromChatId, content.messageId, other);
  } catch (error) {
    if (!content.file || !isSourceGone(error)) throw error;
    return sendFile(api, chatId, content.file, other);
  }
}
