import { detectMediaType, mediaTypeLabel } from './detect';
import { fakeExe, tinyHeic, tinyJpeg, tinyPdf, tinyPng } from './fixtures';

describe('detectMediaType', () => {
  it('recognises PDF, JPEG and PNG by their magic bytes', () => {
    expect(detectMediaType(tinyPdf())).toBe('application/pdf');
    expect(detectMediaType(tinyJpeg())).toBe('image/jpeg');
    expect(detectMediaType(tinyPng())).toBe('image/png');
  });

  it('recognises HEIC and HEIF by the ftyp brands, major or compatible', () => {
    expect(detectMediaType(tinyHeic())).toBe('image/heic');
    expect(detectMediaType(tinyHeic('mif1', ['mif1', 'heic']))).toBe('image/heic');
    expect(detectMediaType(tinyHeic('hevx', []))).toBe('image/heic');
    expect(detectMediaType(tinyHeic('mif1', ['mif1']))).toBe('image/heif');
    expect(detectMediaType(tinyHeic('msf1', []))).toBe('image/heif');
  });

  it('refuses other ISO BMFF files such as an MP4 video', () => {
    expect(detectMediaType(tinyHeic('isom', ['isom', 'iso2', 'mp41']))).toBeNull();
  });

  it('refuses an executable whatever its name, and text, and empty or truncated content', () => {
    expect(detectMediaType(fakeExe())).toBeNull();
    expect(detectMediaType(Buffer.from('hello, this is not a pdf'))).toBeNull();
    expect(detectMediaType(Buffer.alloc(0))).toBeNull();
    expect(detectMediaType(Buffer.from('%PD'))).toBeNull();
    expect(detectMediaType(Buffer.from([0x89, 0x50, 0x4e, 0x47]))).toBeNull();
    expect(detectMediaType(tinyHeic().subarray(0, 12))).toBeNull();
  });

  it('reads a Uint8Array view with an offset', () => {
    const padded = Buffer.concat([Buffer.alloc(7), tinyPng()]);
    expect(detectMediaType(new Uint8Array(padded.buffer, padded.byteOffset + 7, padded.length - 7))).toBe('image/png');
    const heic = Buffer.concat([Buffer.alloc(5), tinyHeic()]);
    expect(detectMediaType(heic.subarray(5))).toBe('image/heic');
  });

  it('labels media types for lists', () => {
    expect(mediaTypeLabel('application/pdf')).toBe('PDF');
    expect(mediaTypeLabel('image/heic')).toBe('HEIC');
  });
});
