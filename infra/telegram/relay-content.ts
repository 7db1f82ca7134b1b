import type { Message, MessageEntity } from 'grammy/types';

/** Kinds Telegram lets us re-caption when copying; others are copied as they are. */
const CAPTIONED = ['photo', 'document', 'voice', 'video', 'audio', 'animation'] as const;

/**
 * What a relayed message carries through the outbound queue (a notification's payload): a text with its
 * formatting, or the source message to copy by numeric ids (never a forward, which would show the author).
 */
export type RelayContent =
  | { type: 'text'; text: string; entities?: MessageEntity[] }
  | { type: 'copy'; fromChatId: number; messageId: number; captioned: boolean; caption?: string; captionEntities?: MessageEntity[] };

export function isCaptioned(message: Message): boolean {
  return CAPTIONED.some((kind) => message[kind] !== undefined);
}

export function contentOf(message: Message): RelayContent {
  if (message.text !== undefined) return { type: 'text', text: message.text, entities: message.entities };
  const source = { type: 'copy' as const, fromChatId: message.chat.id, messageId: message.message_id };
  if (!isCaptioned(message)) return { ...source, captioned: false };
  return { ...source, captioned: true, caption: message.caption, captionEntities: message.caption_entities };
}

/** Puts a header line before a text or caption, moving its formatting along (offsets are UTF-16, like JS strings). */
export function withHeader(header: string, body: string | undefined, entities: MessageEntity[] | undefined): { text: string; entities: MessageEntity[] } {
  const prefix = body ? `${header}\n` : header;
  const shifted = (entities ?? []).map((e) => ({ ...e, offset: e.offset + prefix.length }));
  return { text: `${prefix}${body ?? ''}`, entities: [{ type: 'bold', offset: 0, length: header.length }, ...shifted] };
}

/** The Bot API calls a relay needs; grammY's `Api` has them. */
export interface RelayApi {
  sendMessage(chatId: number, text: string, other?: { message_thread_id?: number; entities?: MessageEntity[] }): Promise<unknown>;
  copyMessage(chatId: number, fromChatId: number, messageId: number, other?: { message_thread_id?: number; caption?: string; caption_entities?: MessageEntity[] }): Promise<unknown>;
}

/** Sends the content under a bold header line (texts and captions; a sticker or video note is copied bare). */
export function sendRelay(api: RelayApi, chatId: number, header: string, content: RelayContent, threadId?: number): Promise<unknown> {
  const thread = threadId === undefined ? {} : { message_thread_id: threadId };
  if (content.type === 'text') {
    const { text, entities } = withHeader(header, content.text, content.entities);
    return api.sendMessage(chatId, text, { ...thread, entities });
  }
  if (!content.captioned) return api.copyMessage(chatId, content.fromChatId, content.messageId, thread);
  const { text, entities } = withHeader(header, content.caption, content.captionEntities);
  return api.copyMessage(chatId, content.fromChatId, content.messageId, { ...thread, caption: text, caption_entities: entities });
}
