/** What a text file was written in; Russian HR systems and Excel («CSV (разделители — запятые)») often use cp1251. */
export type TextEncoding = 'utf-8' | 'utf-16le' | 'windows-1251';

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a text file of unknown encoding. A byte order mark decides when present; otherwise bytes
 * that are valid UTF-8 are read as UTF-8 (cp1251 Cyrillic text almost never is), and anything else as
 * Windows-1251, the only other encoding Russian office software writes by default.
 */
export function decodeText(bytes: Uint8Array): { text: string; encoding: TextEncoding } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    return { text: new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes.subarray(3)), encoding: 'utf-8' };
  }
  // Excel's «Текст Юникод» export: UTF-16 little endian with a BOM.
  if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    return { text: new TextDecoder('utf-16le', { ignoreBOM: true }).decode(bytes.subarray(2)), encoding: 'utf-16le' };
  }
  try {
    return { text: utf8.decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('windows-1251').decode(bytes), encoding: 'windows-1251' };
  }
}
