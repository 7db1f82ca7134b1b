/**
 * Request body parsing for the Bot API stand-in: JSON, application/x-www-form-urlencoded, multipart/form-data
 * (as grammY writes it: lowercase headers without spaces, unquoted filename) and query strings. Values that
 * arrive as strings are coerced per parameter name the way Telegram types them.
 */
import { ApiError } from './types';

export interface UploadedPart {
  /** The form field name (for grammY: a random id referenced as attach://<id>). */
  name: string;
  filename: string;
  contentType?: string;
  data: Buffer;
}

export interface ParsedBody {
  params: Record<string, unknown>;
  files: Map<string, UploadedPart>;
}

/** Parameters Telegram parses as JSON when they come as form fields. */
const JSON_FIELDS = new Set([
  'reply_markup',
  'entities',
  'caption_entities',
  'allowed_updates',
  'commands',
  'scope',
  'menu_button',
  'reply_parameters',
  'link_preview_options',
  'media',
  'message_ids',
  'permissions',
  'rights',
]);

const INT_FIELDS = new Set([
  'message_id',
  'message_thread_id',
  'offset',
  'limit',
  'timeout',
  'user_id',
  'cache_time',
  'max_connections',
  'duration',
  'reply_to_message_id',
  'icon_color',
  'width',
  'height',
  'until_date',
  'direct_messages_topic_id',
]);

const CHAT_ID_FIELDS = new Set(['chat_id', 'from_chat_id']);

const BOOL_FIELDS = new Set([
  'disable_notification',
  'protect_content',
  'show_alert',
  'drop_pending_updates',
  'disable_web_page_preview',
  'allow_sending_without_reply',
  'has_spoiler',
  'disable_content_type_detection',
  'show_caption_above_media',
  'only_if_banned',
  'revoke_messages',
  'allow_paid_broadcast',
  'remove_caption',
]);

/** Turns a form value into what Telegram would see for that parameter. */
export function coerceParam(key: string, value: string): unknown {
  if (JSON_FIELDS.has(key)) {
    try {
      return JSON.parse(value);
    } catch {
      throw new ApiError(400, `Bad Request: can't parse ${key} JSON object`);
    }
  }
  if (CHAT_ID_FIELDS.has(key) || INT_FIELDS.has(key)) {
    if (/^-?\d+$/.test(value.trim())) return Number(value.trim());
    return value;
  }
  if (BOOL_FIELDS.has(key)) {
    if (value === 'true' || value === '1') return true;
    if (value === 'false' || value === '0' || value === '') return false;
    return value;
  }
  return value;
}

/** Same coercion for JSON bodies: only chat ids/ints written as strings and JSON-in-a-string fields change. */
function coerceJsonParam(key: string, value: unknown): unknown {
  if (typeof value === 'string') {
    if (JSON_FIELDS.has(key) && /^\s*[[{]/.test(value)) return coerceParam(key, value);
    if (CHAT_ID_FIELDS.has(key) || INT_FIELDS.has(key)) return coerceParam(key, value);
  }
  return value;
}

export function parseQuery(search: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of new URLSearchParams(search)) out[k] = coerceParam(k, v);
  return out;
}

function headerParams(header: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /;\s*([^=;\s]+)\s*=\s*("(?:[^"\\]|\\.)*"|[^;]*)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(header))) {
    let v = m[2].trim();
    if (v.startsWith('"')) v = v.slice(1, -1).replace(/\\(.)/g, '$1');
    out.set(m[1].toLowerCase(), v);
  }
  return out;
}

export function parseMultipart(
  body: Buffer,
  boundary: string,
): Array<{ name: string; filename?: string; contentType?: string; data: Buffer }> {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Array<{ name: string; filename?: string; contentType?: string; data: Buffer }> = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new ApiError(400, 'Bad Request: malformed multipart/form-data body');
  for (;;) {
    pos += delimiter.length;
    // "--" right after a delimiter closes the body
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) break;
    // skip the line break after the delimiter
    if (body[pos] === 0x0d && body[pos + 1] === 0x0a) pos += 2;
    else if (body[pos] === 0x0a) pos += 1;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw new ApiError(400, 'Bad Request: malformed multipart/form-data body');
    let end = next;
    if (body[end - 2] === 0x0d && body[end - 1] === 0x0a) end -= 2;
    else if (body[end - 1] === 0x0a) end -= 1;
    const part = body.subarray(pos, end);
    let headerEnd = part.indexOf('\r\n\r\n');
    let sepLen = 4;
    if (headerEnd < 0) {
      headerEnd = part.indexOf('\n\n');
      sepLen = 2;
    }
    if (headerEnd < 0) throw new ApiError(400, 'Bad Request: malformed multipart/form-data part');
    const headers = part.subarray(0, headerEnd).toString('utf8').split(/\r?\n/);
    const data = part.subarray(headerEnd + sepLen);
    let name: string | undefined;
    let filename: string | undefined;
    let contentType: string | undefined;
    for (const line of headers) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const hName = line.slice(0, colon).trim().toLowerCase();
      const hValue = line.slice(colon + 1).trim();
      if (hName === 'content-disposition') {
        const ps = headerParams(';' + hValue.replace(/^[^;]*;?/, ''));
        name = ps.get('name');
        const star = ps.get('filename*');
        if (star) {
          const m = /^([^']*)'[^']*'(.*)$/.exec(star);
          filename = m ? decodeURIComponent(m[2]) : star;
        } else if (ps.has('filename')) filename = ps.get('filename');
      } else if (hName === 'content-type') contentType = hValue;
    }
    if (name === undefined) throw new ApiError(400, 'Bad Request: multipart/form-data part without a name');
    parts.push({ name, filename, contentType, data: Buffer.from(data) });
    pos = next;
  }
  return parts;
}

export function parseBody(contentTypeHeader: string | undefined, raw: Buffer, search: string): ParsedBody {
  const params: Record<string, unknown> = parseQuery(search);
  const files = new Map<string, UploadedPart>();
  const contentType = (contentTypeHeader ?? '').toLowerCase();
  if (raw.length === 0) return { params, files };
  if (contentType.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new ApiError(400, "Bad Request: can't parse JSON request body");
    }
    if (json === null || typeof json !== 'object' || Array.isArray(json)) {
      throw new ApiError(400, 'Bad Request: JSON request body must be an object');
    }
    for (const [k, v] of Object.entries(json as Record<string, unknown>)) params[k] = coerceJsonParam(k, v);
  } else if (contentType.startsWith('application/x-www-form-urlencoded')) {
    Object.assign(params, parseQuery(raw.toString('utf8')));
  } else if (contentType.startsWith('multipart/form-data')) {
    const boundary = headerParams(';' + (contentTypeHeader ?? '').replace(/^[^;]*;?/, '')).get('boundary');
    if (!boundary) throw new ApiError(400, 'Bad Request: multipart/form-data without boundary');
    for (const part of parseMultipart(raw, boundary)) {
      if (part.filename !== undefined) {
        files.set(part.name, { name: part.name, filename: part.filename, contentType: part.contentType, data: part.data });
      } else {
        params[part.name] = coerceParam(part.name, part.data.toString('utf8'));
      }
    }
  }
  return { params, files };
}
