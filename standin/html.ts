/**
 * Telegram's parse_mode=HTML, as far as a stand-in needs it: turns the markup into plain text plus
 * MessageEntity offsets (UTF-16 units), and rejects what Telegram rejects (unsupported or unbalanced tags)
 * with Telegram's "can't parse entities" messages, so that a bot sending <br> or an unescaped "<" fails here
 * just as it would in production.
 */
import type { MessageEntity } from 'grammy/types';
import { ApiError } from './types';

const TAGS: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  span: 'spoiler',
  'tg-spoiler': 'spoiler',
  a: 'text_link',
  code: 'code',
  pre: 'pre',
  blockquote: 'blockquote',
  'tg-emoji': 'custom_emoji',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

function fail(reason: string): never {
  throw new ApiError(400, `Bad Request: can't parse entities: ${reason}`);
}

interface Open {
  name: string;
  start: number;
  attrs: Map<string, string>;
}

export function parseHtml(input: string): { text: string; entities: MessageEntity[] } {
  const byteOffset = (i: number) => Buffer.byteLength(input.slice(0, i), 'utf8');
  let text = '';
  const stack: Open[] = [];
  const entities: MessageEntity[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i];
    if (ch === '<') {
      const tagStart = i;
      if (input[i + 1] === '/') {
        const m = /^<\/([a-zA-Z0-9-]*)\s*>/.exec(input.slice(i));
        if (!m) fail(`Unclosed end tag at byte offset ${byteOffset(tagStart)}`);
        const name = m[1].toLowerCase();
        const top = stack.pop();
        if (!top) fail(`Unexpected end tag at byte offset ${byteOffset(tagStart)}`);
        if (top.name !== name) {
          fail(`Unmatched end tag at byte offset ${byteOffset(tagStart)}, expected "</${top.name}>", found "</${name}>"`);
        }
        closeEntity(top, text.length, entities, stack);
        i += m[0].length;
        continue;
      }
      const nameMatch = /^<([a-zA-Z0-9-]*)/.exec(input.slice(i));
      const name = (nameMatch?.[1] ?? '').toLowerCase();
      if (!name || !(name in TAGS)) fail(`Unsupported start tag "${name}" at byte offset ${byteOffset(tagStart)}`);
      i += 1 + name.length;
      const attrs = new Map<string, string>();
      for (;;) {
        while (i < input.length && /\s/.test(input[i])) i++;
        if (i >= input.length) fail(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
        if (input[i] === '>') {
          i++;
          break;
        }
        const an = /^[a-zA-Z0-9_-]+/.exec(input.slice(i));
        if (!an) fail(`Expected equal sign in declaration of an attribute of the tag "${name}" at byte offset ${byteOffset(i)}`);
        i += an[0].length;
        let value = '';
        while (i < input.length && /\s/.test(input[i])) i++;
        if (input[i] === '=') {
          i++;
          while (i < input.length && /\s/.test(input[i])) i++;
          const q = input[i];
          if (q === '"' || q === "'") {
            const close = input.indexOf(q, i + 1);
            if (close < 0) fail(`Unclosed start tag at byte offset ${byteOffset(tagStart)}`);
            value = decodeEntities(input.slice(i + 1, close));
            i = close + 1;
          } else {
            const uv = /^[^\s>]*/.exec(input.slice(i))![0];
            value = decodeEntities(uv);
            i += uv.length;
          }
        }
        attrs.set(an[0].toLowerCase(), value);
      }
      if (name === 'span' && attrs.get('class') !== 'tg-spoiler') {
        fail(`Tag "span" must have class "tg-spoiler" at byte offset ${byteOffset(tagStart)}`);
      }
      stack.push({ name, start: text.length, attrs });
      continue;
    }
    if (ch === '&') {
      const m = /^&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/.exec(input.slice(i));
      if (m) {
        const body = m[1];
        let decoded: string | undefined;
        if (body.startsWith('#x')) decoded = safeCodePoint(parseInt(body.slice(2), 16));
        else if (body.startsWith('#')) decoded = safeCodePoint(parseInt(body.slice(1), 10));
        else decoded = NAMED[body.toLowerCase()];
        if (decoded !== undefined) {
          text += decoded;
          i += m[0].length;
          continue;
        }
      }
      text += ch;
      i++;
      continue;
    }
    text += ch;
    i++;
  }
  if (stack.length) fail(`Can't find end tag corresponding to start tag "${stack[stack.length - 1].name}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

function safeCodePoint(cp: number): string | undefined {
  if (!Number.isFinite(cp) || cp < 0 || cp > 0x10ffff) return undefined;
  return String.fromCodePoint(cp);
}

function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-zA-Z]+);/g, (all, body: string) => {
    if (body.startsWith('#x')) return safeCodePoint(parseInt(body.slice(2), 16)) ?? all;
    if (body.startsWith('#')) return safeCodePoint(parseInt(body.slice(1), 10)) ?? all;
    return NAMED[body.toLowerCase()] ?? all;
  });
}

function closeEntity(open: Open, end: number, entities: MessageEntity[], stack: Open[]): void {
  const length = end - open.start;
  const type = TAGS[open.name];
  // <pre><code class="language-x">: the language goes to the pre entity, the code entity disappears
  if (open.name === 'code') {
    const parent = stack[stack.length - 1];
    const lang = open.attrs.get('class');
    if (parent?.name === 'pre') {
      if (lang?.startsWith('language-')) parent.attrs.set('language', lang.slice('language-'.length));
      return;
    }
  }
  if (length <= 0) return;
  const base = { offset: open.start, length };
  switch (type) {
    case 'text_link': {
      const href = open.attrs.get('href');
      if (!href) return;
      const mention = /^tg:\/\/user\?id=(\d+)$/.exec(href);
      if (mention) {
        entities.push({ ...base, type: 'text_mention', user: { id: Number(mention[1]), is_bot: false, first_name: '' } });
      } else {
        entities.push({ ...base, type: 'text_link', url: href });
      }
      return;
    }
    case 'pre': {
      const language = open.attrs.get('language');
      entities.push(language ? { ...base, type: 'pre', language } : { ...base, type: 'pre' });
      return;
    }
    case 'blockquote':
      entities.push({ ...base, type: open.attrs.has('expandable') ? 'expandable_blockquote' : 'blockquote' });
      return;
    case 'custom_emoji':
      entities.push({ ...base, type: 'custom_emoji', custom_emoji_id: open.attrs.get('emoji-id') ?? '' });
      return;
    default:
      entities.push({ ...base, type } as MessageEntity);
  }
}

/** Telegram-style entity detection for user-typed text: bot commands, mentions, hashtags, URLs. */
export function detectEntities(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  const re =
    /(^|[\s(])(\/[a-zA-Z0-9_]{1,32}(?:@[a-zA-Z0-9_]{3,32})?)(?=$|[\s,.!?)])|(^|[\s(])(@[a-zA-Z0-9_]{4,32})|(^|[\s(])(https?:\/\/[^\s]+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    if (m[2] !== undefined) out.push({ type: 'bot_command', offset: m.index + m[1].length, length: m[2].length });
    else if (m[4] !== undefined) out.push({ type: 'mention', offset: m.index + m[3].length, length: m[4].length });
    else if (m[6] !== undefined) out.push({ type: 'url', offset: m.index + m[5].length, length: m[6].length });
  }
  return out;
}
