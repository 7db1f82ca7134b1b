import type { Message } from 'grammy/types';
import type { RelayedMessage } from '../../../core/support/support.service';

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
