import { educationKind, educationKindOf } from './item-kind';
import { checkPublicationUrl } from './publication-url';

describe('checkPublicationUrl', () => {
  it.each([
    ['https://cyberleninka.ru/article/n/sestrinskiy-protsess', true],
    ['  http://elibrary.ru/item.asp?id=1  ', true],
    ['https://пример.рф/статья', true],
    ['javascript:alert(1)', false],
    ['ftp://example.com/a.pdf', false],
    ['https://localhost/a', false],
    ['https://user:pw@example.com/', false],
    ['просто текст', false],
    [`https://example.com/${'a'.repeat(2100)}`, false],
  ])('%s → %s', (text, ok) => {
    expect(checkPublicationUrl(text).ok).toBe(ok);
  });

  it('names the problem', () => {
    expect(checkPublicationUrl('mailto:a@b.ru')).toEqual({ ok: false, reason: 'url-not-http' });
    expect(checkPublicationUrl('nope')).toEqual({ ok: false, reason: 'url-invalid' });
  });
});

describe('education kinds', () => {
  it('round-trips a type with and without its credit entry', () => {
    const id = '0b4c2b8e-1c8e-4a59-9a0e-2f7a8d1c0b11';
    expect(educationKindOf(educationKind('pk', id))).toEqual({ typeCode: 'pk', creditEntryId: id });
    expect(educationKindOf(educationKind('iom'))).toEqual({ typeCode: 'iom', creditEntryId: null });
  });
});
