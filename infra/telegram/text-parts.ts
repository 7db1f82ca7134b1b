import type { MessageEntity } from 'grammy/types';

/**
 * Telegram's limits, in UTF-16 code units of the text after entity parsing (what `String.length`
 * counts, and what entity offsets are measured in): a message's text, and a media caption.
 */
export const TEXT_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

/** A text with its formatting, as Telegram sends and takes it. */
export interface FormattedText {
  text: string;
  entities?: MessageEntity[];
}

/**
 * Splits a formatted text into parts that each fit: the first within `first` units, the others within
 * `rest`. A part ends at a line break in the second half of its room, else at a space there, else at the
 * room's end (never between the two halves of a surrogate pair); the break itself is not repeated.
 * Formatting crossing a cut is clipped to each side; a custom emoji cannot be cut and is dropped.
 * Parts of nothing but whitespace (Telegram refuses an empty text) are left out.
 */
export function splitFormatted(content: FormattedText, first: number, rest: number = first): FormattedText[] {
  const { text } = content;
  const parts: FormattedText[] = [];
  let start = 0;
  for (;;) {
    const room = Math.max(1, parts.length === 0 ? first : rest);
    if (text.length - start <= room) {
      parts.push(slice(content, start, text.length));
      break;
    }
    const { end, next } = cutPoint(text, start, room);
    parts.push(slice(content, start, end));
    start = next;
  }
  const kept = parts.filter((part) => part.text.trim() !== '');
  return kept.length > 0 ? kept : parts.slice(0, 1);
}

function cutPoint(text: string, start: number, room: number): { end: number; next: number } {
  const window = text.slice(start, start + room);
  for (const separator of ['\n', ' ']) {
    const at = window.lastIndexOf(separator);
    if (at >= room / 2) return { end: start + at, next: start + at + 1 };
  }
  let end = start + room;
  // A high surrogate at the end would leave half a character on each side.
  if (end - 1 > start && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return { end, next: end };
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function slice(content: FormattedText, from: number, to: number): FormattedText {
  const text = content.text.slice(from, to);
  const entities: MessageEntity[] = [];
  for (const entity of content.entities ?? []) {
    const start = Math.max(entity.offset, from);
    const end = Math.min(entity.offset + entity.length, to);
    if (end <= start) continue;
    const clipped = start !== entity.offset || end !== entity.offset + entity.length;
    if (clipped && entity.type === 'custom_emoji') continue;
    entities.push({ ...entity, offset: start - from, length: end - start });
  }
  return entities.length > 0 ? { text, entities } : { text };
}

/** A text cut to `limit` units with «…» at the end (at a space when one is near), for a line we compose ourselves. */
export function cutWithEllipsis(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const room = Math.max(0, limit - 1);
  let end = room;
  const space = text.lastIndexOf(' ', room);
  if (space >= room * 0.6) end = space;
  else if (end > 0 && isHighSurrogate(text.charCodeAt(end - 1))) end -= 1;
  return `${text.slice(0, end).trimEnd()}…`;
}
