import { parseHtml } from '../../standin/html';
import { cutHtml, splitHtml, visibleLength } from './html-parts';

describe('HTML messages within Telegram’s limit', () => {
  it('counts what Telegram counts: no tags, an entity as one character', () => {
    expect(visibleLength('<b>Tom &amp; Jerry</b> &lt;3 😀')).toBe('Tom & Jerry <3 😀'.length);
  });

  it('splits at line breaks into parts that each parse, carrying the formatting across a cut', () => {
    const lines = Array.from({ length: 400 }, (_, i) => `<b>${i + 1}.</b> Курс «x» &amp; <a href="https://e.ru/${i}">ссылка</a>`);
    const html = `<i>${lines.join('\n')}</i>`;
    const parts = splitHtml(html, 1000);
    expect(parts.length).toBeGreaterThan(1);
    const texts = parts.map((part) => parseHtml(part));
    for (const { text, entities } of texts) {
      expect(text.length).toBeLessThanOrEqual(1000);
      // Each part is italic from its first character to its last: the <i> was reopened.
      expect(entities.find((e) => e.type === 'italic')).toMatchObject({ offset: 0, length: text.length });
    }
    expect(texts.map((t) => t.text).join('\n')).toBe(parseHtml(html).text);
  });

  it('cuts a line longer than the room at a space, never inside a tag or an entity', () => {
    const html = `<b>${'слово &amp; '.repeat(300)}</b>`;
    const parts = splitHtml(html, 500);
    for (const part of parts) expect(parseHtml(part).text.length).toBeLessThanOrEqual(500);
    expect(
      parts
        .map((p) => parseHtml(p).text)
        .join(' ')
        .trimEnd(),
    ).toBe(parseHtml(html).text.trimEnd());
  });

  it('cuts an edit with «…», its tags still closed', () => {
    const cut = cutHtml(`<b>${'а'.repeat(5000)}</b>`, 4096);
    expect(cut.endsWith('…</b>')).toBe(true);
    expect(parseHtml(cut).text).toHaveLength(4096);
    expect(cutHtml('<b>коротко</b>', 4096)).toBe('<b>коротко</b>');
  });
});
