import type { Message, MessageEntity } from 'grammy/types';
import type { RelayedMessage } from '../../../core/support/support.service';

/** Kinds Telegram lets us re-caption when copying; others are copied as they are. */
const CAPTIONED = ['photo', 'document', 'voice', 'video', 'audio', 'animation'] as const;

/** What a relayed message is, for the ticket's record (the file id lets an agent find it again). */
export function describe(message: Message): Omit<RelayedMessage, 'authorTelegramId'> {
  if (message.text !== undefined) return { text: message.text };
  const photo = message.photo?.at(-1);
  if (photo) return { text: message.caption, mediaKind: 'photo', telegramFileId: photo.file_id };
  for (const kind of ['document', 'voice', 'video', 'audio', 'animation', 'sticker', 'video_note'] as const) {
    const media = message[kind];
    if (media) return { text: message.caption, mediaKind: kind, telegramFileId: media.file_id };
  }
  return { mediaKind: 'other' };
}

export function isCaptioned(message: Message): boolean {
  return CAPTIONED.some((kind) => message[kind] !== undefined);
}

/** Puts a header line before a text or caption, moving its formatting along (offsets are UTF-16, like JS strings). */
export function withHeader(header: string, body: string | undefined, entities: MessageEntity[] | undefined): { text: string; entities: MessageEntity[] } {
  const prefix = body ? `${header}\n` : header;
  const shifted = (entities ?? []).map((e) => ({ ...e, offset: e.offset + prefix.length }));
  return { text: `${prefix}${body ?? ''}`, entities: [{ type: 'bold', offset: 0, length: header.length }, ...shifted] };
}

/** Telegram's answer when the topic a message goes to was deleted. */
export function isTopicGone(error: unknown): boolean {
  const description = (error as { description?: string } | null)?.description ?? '';
  return /message thread not found|TOPIC_DELETED|TOPIC_ID_INVALID/i.test(description);
}
