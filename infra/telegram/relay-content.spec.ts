import type { MessageEntity } from 'grammy/types';
import { HEADER_ROOM, relayHeader, relayParts, type RelayContent } from './relay-content';
import { CAPTION_LIMIT, cutWithEllipsis, splitFormatted, TEXT_LIMIT } from './text-parts';

describe('relaying a message within Telegram’s limits', () => {
  it('keeps a message that fits under the header as one part', () => {
    const content: RelayContent = { type: 'text', text: 'x'.repeat(TEXT_LIMIT - HEADER_ROOM - 1) };
    expect(relayParts(content)).toEqual([content]);
  });

  it('splits a 4,096-character text at a line break, the first part leaving room for the header', () => {
    const text = `${'a'.repeat(3000)}\n${'b'.repeat(1095)}`;
    const parts = relayParts({ type: 'text', text });
    expect(parts.map((p) => (p.type === 'text' ? p.text : ''))).toEqual(['a'.repeat(3000), 'b'.repeat(1095)]);
  });

  it('moves formatting with the text it belongs to, clipping what crosses a cut', () => {
    const text = `${'a '.repeat(1900)}${'b '.repeat(200)}`.trim();
    const entities: MessageEntity[] = [
      { type: 'bold', offset: 0, length: 4 },
      { type: 'italic', offset: 3700, length: 300 },
      { type: 'custom_emoji', offset: 3799, length: 2, custom_emoji_id: '1' },
    ];
    const [first, second] = splitFormatted({ text, entities }, 3800, TEXT_LIMIT);
    expect(first.text.length).toBeLessThanOrEqual(3800);
    expect(first.entities?.[0]).toEqual({ type: 'bold', offset: 0, length: 4 });
    const cut = first.text.length + 1;
    // The italic run is cut in two; the custom emoji straddling the cut cannot be and is dropped.
    expect(first.entities?.[1]).toEqual({ type: 'italic', offset: 3700, length: first.text.length - 3700 });
    expect(second.entities).toEqual([{ type: 'italic', offset: 0, length: 4000 - cut }]);
    expect(`${first.text} ${second.text}`).toBe(text);
  });

  it('never cuts between the two halves of an emoji', () => {
    const text = '😀'.repeat(3000);
    const parts = splitFormatted({ text }, 4095, 4095);
    expect(parts.every((p) => p.text.length <= 4095 && !/^[\udc00-\udfff]/.test(p.text))).toBe(true);
    expect(parts.map((p) => p.text).join('')).toBe(text);
  });

  it('moves a caption that no longer fits under the header into a text right after the media', () => {
    const caption = 'c'.repeat(CAPTION_LIMIT);
    const entities: MessageEntity[] = [{ type: 'bold', offset: 10, length: 5 }];
    const media: RelayContent = { type: 'copy', fromChatId: 1, messageId: 2, captioned: true, caption, captionEntities: entities };
    expect(relayParts(media)).toEqual([
      { type: 'copy', fromChatId: 1, messageId: 2, captioned: true },
      { type: 'text', text: caption, entities },
    ]);
    const short: RelayContent = { ...media, caption: 'скан', captionEntities: undefined };
    expect(relayParts(short)).toEqual([short]);
  });

  it('cuts a header longer than its room, so parts sized for it always fit', () => {
    expect(relayHeader('Оператор'.repeat(50))).toHaveLength(HEADER_ROOM - 1);
    expect(relayHeader('Оператор поддержки')).toBe('Оператор поддержки');
    expect(cutWithEllipsis('раз два три четыре', 10)).toBe('раз два…');
  });
});
