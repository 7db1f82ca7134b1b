/**
 * Files: sending a photo, a document or a voice message (by upload, file_id or URL), and getFile with its download path.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { guessMime, imageSize, type FileKind } from '../files';
import type { UploadedPart } from '../body';
import { validateMarkup } from '../markup';
import { ApiError, type Message, type StoredFile } from '../types';
import { type AnyObj, type Params, type CallCtx, bad, str, int } from '../state';
import type { BotApiStandin } from '../server';
import type { MethodTable } from './table';

export function fileMethods(s: BotApiStandin): MethodTable {
  return {
    sendPhoto: (p, ctx) => sendMedia(s, 'photo', p, ctx),
    sendDocument: (p, ctx) => sendMedia(s, 'document', p, ctx),
    sendVoice: (p, ctx) => sendMedia(s, 'voice', p, ctx),
    getFile: (p) => {
      const id = str(p.file_id);
      const file = id ? s.fileStore.get(id) : undefined;
      if (!file) bad('invalid file_id');
      if (file.file_size > 20 * 1024 * 1024) bad('file is too big');
      let filePath = file.file_path;
      const dir = s.opts.localFilesDir;
      if (dir && file.bytes) {
        filePath = path.join(dir, file.file_path);
        fs.mkdirSync(path.dirname(filePath), { recursive: true });
        fs.writeFileSync(filePath, file.bytes);
        s.localPaths.set(filePath, file);
      }
      return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: filePath };
    },
  };
}

export function sendMedia(s: BotApiStandin, kind: FileKind, params: Params, ctx: CallCtx): Message {
  const chat = s.requireChat(params);
  const caption = s.captionContent(params);
  const markup = validateMarkup(params.reply_markup);
  const threadId = s.resolveThread(chat, params);
  const reply = s.resolveReply(chat, params);
  const file = inputFile(s, kind, kind, params, ctx);
  const stored = s.addMessage(chat, s.botInfo, true, { ...mediaObject(s, kind, file, params), ...caption }, { threadId, reply, markup });
  return s.telegramView(stored);
}

/** The file a media method refers to: an upload (attach:// or a part named like the field), a file_id or a URL. */
export function inputFile(s: BotApiStandin, kind: FileKind, field: string, params: Params, ctx: CallCtx): StoredFile {
  const value = params[field];
  let part: UploadedPart | undefined;
  if (typeof value === 'string' && value.startsWith('attach://')) {
    part = ctx.files.get(value.slice('attach://'.length));
    if (!part) bad(`file attach://${value.slice(9)} not found in the request`);
  } else if (value === undefined && ctx.files.has(field)) {
    part = ctx.files.get(field);
  }
  if (part) {
    if (part.data.length === 0) bad('file must be non-empty');
    if (part.data.length > 50 * 1024 * 1024) throw new ApiError(413, 'Request Entity Too Large');
    const mime =
      kind === 'voice'
        ? 'audio/ogg'
        : kind === 'photo'
          ? 'image/jpeg'
          : (guessMime(part.filename) ??
            (part.contentType && part.contentType !== 'application/octet-stream' ? part.contentType : 'application/octet-stream'));
    const file = s.fileStore.add(kind, { bytes: part.data, file_name: part.filename, mime_type: mime });
    ctx.recordParams[field] = { upload: true, file_name: part.filename, size: part.data.length, file_id: file.file_id };
    return file;
  }
  if (typeof value !== 'string' || value === '') bad(`there is no ${field} in the request`);
  if (/^https?:\/\//i.test(value)) {
    const name = value.split('?')[0].split('/').pop() || undefined;
    return s.fileStore.add(kind, { url: value, file_name: name, mime_type: guessMime(name) });
  }
  const known = s.fileStore.get(value);
  if (!known) bad('wrong file identifier/HTTP URL specified');
  if ((known.kind === 'photo') !== (kind === 'photo')) {
    const cap = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
    bad(`can't use file of type ${cap(known.kind)} as ${cap(kind)}`);
  }
  return known;
}

export function mediaObject(s: BotApiStandin, kind: FileKind, file: StoredFile, params: Params): AnyObj {
  const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
  switch (kind) {
    case 'photo': {
      const size = (file.bytes && imageSize(file.bytes)) ?? { width: 1, height: 1 };
      return { photo: [{ ...base, ...size }] };
    }
    case 'voice':
      return { voice: { ...base, duration: int(params.duration) ?? 1, mime_type: file.mime_type ?? 'audio/ogg' } };
    default:
      return {
        [kind]: {
          ...base,
          ...(file.file_name ? { file_name: file.file_name } : {}),
          ...(file.mime_type ? { mime_type: file.mime_type } : {}),
        },
      };
  }
}
