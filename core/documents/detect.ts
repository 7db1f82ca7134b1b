/** What an uploaded file really is, read from its first bytes: the name and the sender's MIME type can lie. */
export type DocumentMediaType = 'application/pdf' | 'image/jpeg' | 'image/png' | 'image/heic' | 'image/heif';

const PDF = Buffer.from('%PDF-', 'latin1');
const JPEG = Buffer.from([0xff, 0xd8, 0xff]);
const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** HEVC-coded HEIC brands, and the generic HEIF image/sequence brands. */
const HEIC_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx']);
const HEIF_BRANDS = new Set(['mif1', 'msf1']);

function startsWith(bytes: Uint8Array, prefix: Buffer): boolean {
  return bytes.length >= prefix.length && prefix.every((b, i) => bytes[i] === b);
}

/** An ISO BMFF file opens with a `ftyp` box: size, 'ftyp', major brand, minor version, compatible brands. */
function isoBrand(bytes: Uint8Array): DocumentMediaType | null {
  if (bytes.length < 16) return null;
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.toString('latin1', 4, 8) !== 'ftyp') return null;
  const boxSize = buf.readUInt32BE(0);
  if (boxSize < 16 || boxSize % 4 !== 0) return null;
  const end = Math.min(boxSize, buf.length);
  const brands = [buf.toString('latin1', 8, 12)];
  for (let offset = 16; offset + 4 <= end; offset += 4) brands.push(buf.toString('latin1', offset, offset + 4));
  if (brands.some((b) => HEIC_BRANDS.has(b))) return 'image/heic';
  if (brands.some((b) => HEIF_BRANDS.has(b))) return 'image/heif';
  return null;
}

/** The accepted media type of `bytes`, or null for anything else (an executable, a text file, a video). */
export function detectMediaType(bytes: Uint8Array): DocumentMediaType | null {
  if (startsWith(bytes, PDF)) return 'application/pdf';
  if (startsWith(bytes, JPEG)) return 'image/jpeg';
  if (startsWith(bytes, PNG)) return 'image/png';
  return isoBrand(bytes);
}

/** Short label for lists: PDF, JPEG, PNG, HEIC, HEIF. */
export function mediaTypeLabel(mediaType: string): string {
  return mediaType.split('/')[1]?.toUpperCase() ?? mediaType;
}
