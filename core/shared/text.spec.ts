import { escapeHtml, replaceControlCharacters, safeFileName, stripControlCharacters } from './text';

describe('text at the boundary', () => {
  it('drops control characters PostgreSQL and XML refuse, keeps tab and line breaks', () => {
    expect(stripControlCharacters('a\u0000b\u0007c\td\ne\r\nf\u007f')).toBe('abc\td\ne\r\nf');
    expect(stripControlCharacters('Иванова Мария')).toBe('Иванова Мария');
  });

  it('replaces control characters one for one where offsets into the text must stay right', () => {
    const replaced = replaceControlCharacters('a\u0000b\u0007c\td');
    expect(replaced).toBe('a\ufffdb\ufffdc\td');
    expect(replaced).toHaveLength('a\u0000b\u0007c\td'.length);
  });

  it('escapes the three characters HTML messages care about', () => {
    expect(escapeHtml('<b>Tom & Jerry</b>')).toBe('&lt;b&gt;Tom &amp; Jerry&lt;/b&gt;');
  });

  it('makes a file name safe: no folders, no control or reserved characters, never empty', () => {
    expect(safeFileName('../../etc/passwd')).toBe('passwd');
    expect(safeFileName('C:\\Users\\a\\скан:1?.pdf')).toBe('скан_1_.pdf');
    expect(safeFileName('a\u0000b.pdf')).toBe('a_b.pdf');
    expect(safeFileName('   ')).toBe('file');
    expect(safeFileName('x'.repeat(300))).toHaveLength(100);
  });
});
