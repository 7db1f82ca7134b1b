/** Files known to the stand-in: uploaded by the bot, sent by simulated users, downloadable via getFile. */
import { randomBytes } from 'node:crypto';
import type { StoredFile } from './types';

export type FileKind = 'photo' | 'document' | 'voice' | 'audio' | 'video' | 'animation' | 'sticker' | 'video_note';

const PREFIX: Record<FileKind, string> = {
  photo: 'AgAC',
  document: 'BQAC',
  voice: 'AwAC',
  audio: 'CQAC',
  video: 'BAAC',
  animation: 'CgAC',
  sticker: 'CAAC',
  video_note: 'DQAC',
};

const FOLDER: Record<FileKind, string> = {
  photo: 'photos',
  document: 'documents',
  voice: 'voice',
  audio: 'music',
  video: 'videos',
  animation: 'animations',
  sticker: 'stickers',
  video_note: 'video_notes',
};

const MIME: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  xml: 'application/xml',
  zip: 'application/zip',
  doc: 'application/msword',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  odt: 'application/vnd.oasis.opendocument.text',
  rtf: 'application/rtf',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  ogg: 'audio/ogg',
  oga: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  mp4: 'video/mp4',
};

export function guessMime(fileName: string | undefined): string | undefined {
  const ext = fileName?.split('.').pop()?.toLowerCase();
  return ext ? MIME[ext] : undefined;
}

/** Width and height of a PNG, GIF or JPEG, else undefined. */
export function imageSize(buf: Buffer): { width: number; height: number } | undefined {
  if (buf.length >= 24 && buf.readUInt32BE(0) === 0x89504e47) {
    return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
  }
  if (buf.length >= 10 && buf.toString('ascii', 0, 3) === 'GIF') {
    return { width: buf.readUInt16LE(6), height: buf.readUInt16LE(8) };
  }
  if (buf.length >= 4 && buf[0] === 0xff && buf[1] === 0xd8) {
    let pos = 2;
    while (pos + 9 < buf.length) {
      if (buf[pos] !== 0xff) return undefined;
      const marker = buf[pos + 1];
      const len = buf.readUInt16BE(pos + 2);
      if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
        return { height: buf.readUInt16BE(pos + 5), width: buf.readUInt16BE(pos + 7) };
      }
      pos += 2 + len;
    }
  }
  return undefined;
}

export class FileStore {
  private readonly byId = new Map<string, StoredFile>();
  private readonly byPath = new Map<string, StoredFile>();
  private counter = 0;

  add(kind: FileKind, input: { bytes?: Buffer; file_name?: string; mime_type?: string; url?: string }): StoredFile {
    this.counter++;
    const n = this.counter;
    const file_id = `${PREFIX[kind]}AgADstandin${n}_${randomBytes(9).toString('base64url')}`;
    const file_unique_id = `AQAD${n}${randomBytes(4).toString('base64url')}`;
    const ext = extensionFor(kind, input.file_name, input.mime_type);
    const file_path = `${FOLDER[kind]}/file_${n}${ext ? '.' + ext : ''}`;
    const file: StoredFile = {
      kind,
      file_id,
      file_unique_id,
      file_size: input.bytes?.length ?? 0,
      file_path,
      file_name: input.file_name,
      mime_type: input.mime_type,
      bytes: input.bytes,
      url: input.url,
    };
    this.byId.set(file_id, file);
    this.byPath.set(file_path, file);
    return file;
  }

  get(fileId: string): StoredFile | undefined {
    return this.byId.get(fileId);
  }

  /** Forgets a file, as Telegram does one it no longer has (deleted, or of another bot): its file_id is then refused. */
  forget(fileId: string): boolean {
    const file = this.byId.get(fileId);
    if (!file) return false;
    this.byId.delete(fileId);
    this.byPath.delete(file.file_path);
    return true;
  }

  byFilePath(path: string): StoredFile | undefined {
    return this.byPath.get(path);
  }

  clear(): void {
    this.byId.clear();
    this.byPath.clear();
  }
}

function extensionFor(kind: FileKind, fileName?: string, mime?: string): string {
  const fromName = fileName?.includes('.') ? fileName.split('.').pop()!.toLowerCase() : undefined;
  if (fromName && /^[a-z0-9]{1,8}$/.test(fromName)) return fromName;
  if (kind === 'photo') return 'jpg';
  if (kind === 'voice') return 'oga';
  if (mime) {
    const found = Object.entries(MIME).find(([, m]) => m === mime);
    if (found) return found[0];
  }
  return kind === 'document' ? '' : 'dat';
}
