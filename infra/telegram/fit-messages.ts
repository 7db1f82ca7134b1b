import type { Transformer } from 'grammy';
import type { MessageEntity } from 'grammy/types';
import type { Logger } from '../logger';
import { cutHtml, splitHtml, visibleLength } from './html-parts';
import { CAPTION_LIMIT, cutWithEllipsis, splitFormatted, TEXT_LIMIT } from './text-parts';

type Payload = Record<string, unknown> & { text?: string; caption?: string; parse_mode?: string; entities?: MessageEntity[] };

/** Fields that belong to the last part of a split message (its buttons) or to the first (what it replies to). */
const LAST_PART_ONLY = ['reply_markup'];
const FIRST_PART_ONLY = ['reply_parameters', 'reply_to_message_id'];

/**
 * The last guard before Telegram's limits (4,096 units of text, 1,024 of caption): a message we compose
 * that would be too long is never refused and lost. A text is sent as several messages (split at line
 * breaks, HTML tags closed and reopened, the buttons on the last part, the reply on the first); an edit
 * or a caption, which cannot become two messages, is cut with «…». Every view is meant to fit by itself
 * (paged or cut with a way to see the rest); this only catches what one forgot, and says so in the log.
 */
export function fitMessages(logger?: Pick<Logger, 'warn'>): Transformer {
  return async (prev, method, payload, signal) => {
    const p = payload as Payload;
    if ((method === 'sendMessage' || method === 'editMessageText') && typeof p.text === 'string' && tooLong(p.text, p, TEXT_LIMIT)) {
      logger?.warn({ method, length: lengthOf(p.text, p) }, 'a message longer than Telegram takes: sent in parts or cut');
      if (method === 'editMessageText') return prev(method, { ...p, ...cut(p.text, p, TEXT_LIMIT, 'text') } as typeof payload, signal);
      const parts = split(p.text, p);
      let sent: Awaited<ReturnType<typeof prev>> | undefined;
      for (const [index, part] of parts.entries()) {
        const other = Object.fromEntries(
          Object.entries(p).filter(
            ([key]) => !(index < parts.length - 1 && LAST_PART_ONLY.includes(key)) && !(index > 0 && FIRST_PART_ONLY.includes(key)),
          ),
        );
        sent = await prev(method, { ...other, ...part } as typeof payload, signal);
        if (!sent.ok) return sent;
      }
      return sent!;
    }
    if (typeof p.caption === 'string' && tooLong(p.caption, p, CAPTION_LIMIT)) {
      logger?.warn({ method, length: lengthOf(p.caption, p) }, 'a caption longer than Telegram takes: cut');
      return prev(method, { ...p, ...cut(p.caption, p, CAPTION_LIMIT, 'caption') } as typeof payload, signal);
    }
    return prev(method, payload, signal);
  };
}

function isHtml(p: Payload): boolean {
  return typeof p.parse_mode === 'string' && p.parse_mode.toUpperCase() === 'HTML';
}

function lengthOf(text: string, p: Payload): number {
  return isHtml(p) ? visibleLength(text) : text.length;
}

/** MarkdownV2 is left alone: we never send it, and its escaping rules would need a parser of their own. */
function tooLong(text: string, p: Payload, limit: number): boolean {
  // What a person sees is never longer than the markup (a tag shows nothing, an entity one character):
  // most messages are decided here without parsing their HTML.
  if (text.length <= limit) return false;
  if (p.parse_mode !== undefined && !isHtml(p)) return false;
  return lengthOf(text, p) > limit;
}

function split(text: string, p: Payload): Array<{ text: string; entities?: MessageEntity[] }> {
  if (isHtml(p)) return splitHtml(text, TEXT_LIMIT).map((part) => ({ text: part }));
  return splitFormatted({ text, entities: p.entities }, TEXT_LIMIT).map((part) => ({ text: part.text, entities: part.entities ?? [] }));
}

function cut(text: string, p: Payload, limit: number, field: 'text' | 'caption'): Record<string, unknown> {
  if (isHtml(p)) return { [field]: cutHtml(text, limit) };
  const entitiesField = field === 'text' ? 'entities' : 'caption_entities';
  const kept = cutWithEllipsis(text, limit);
  const entities = ((p[entitiesField] as MessageEntity[] | undefined) ?? [])
    .filter((e) => e.offset < kept.length - 1)
    .map((e) => ({ ...e, length: Math.min(e.length, kept.length - 1 - e.offset) }));
  return { [field]: kept, [entitiesField]: entities };
}
