import { HttpException, HttpStatus } from '@nestjs/common';
import busboy from 'busboy';
import type { Request } from 'express';
import { BodyTooLarge, readBody } from '../../infra/read-body';
import { badRequest } from './errors';

/** Roster and credit files: 10 MB holds a CSV of well over 100 000 rows. */
export const UPLOAD_LIMIT_BYTES = 10 * 1024 * 1024;

export const XLSX_MEDIA_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * Media types accepted as a raw body. The content is sniffed anyway (see readTable); these are the
 * names browsers and tools give CSV and XLSX files, including Windows' habit of calling CSV "ms-excel".
 */
const RAW_TYPES = new Set([
  'text/csv',
  'application/csv',
  'text/plain',
  'application/vnd.ms-excel',
  XLSX_MEDIA_TYPE,
  'application/octet-stream',
]);

function tooLarge(): HttpException {
  return new HttpException(
    { statusCode: 413, error: 'Payload Too Large', message: `the file must not exceed ${UPLOAD_LIMIT_BYTES / 1024 / 1024} MB` },
    HttpStatus.PAYLOAD_TOO_LARGE,
  );
}

function unsupported(type: string): HttpException {
  return new HttpException(
    {
      statusCode: 415,
      error: 'Unsupported Media Type',
      message: `send the file as text/csv, ${XLSX_MEDIA_TYPE} or a multipart form field "file" (got ${type || 'no Content-Type'})`,
    },
    HttpStatus.UNSUPPORTED_MEDIA_TYPE,
  );
}

/** The uploaded file's bytes: the raw request body, or the multipart form field `file`. */
export async function readUpload(request: Request): Promise<Buffer> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  const declared = Number(request.headers['content-length']);
  if (Number.isFinite(declared) && declared > UPLOAD_LIMIT_BYTES + 64 * 1024) throw tooLarge();
  if (type === 'multipart/form-data') return readMultipartFile(request);
  if (!RAW_TYPES.has(type)) throw unsupported(type);
  return readRaw(request);
}

async function readRaw(request: Request): Promise<Buffer> {
  try {
    return await readBody(request, UPLOAD_LIMIT_BYTES);
  } catch (error) {
    throw error instanceof BodyTooLarge ? tooLarge() : error;
  }
}

function readMultipartFile(request: Request): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: request.headers, limits: { fileSize: UPLOAD_LIMIT_BYTES, files: 1, fields: 20, parts: 21 } });
    } catch (error) {
      reject(badRequest(`malformed multipart body: ${(error as Error).message}`));
      return;
    }
    let file: Promise<Buffer> | null = null;
    parser.on('file', (field, stream) => {
      if (field !== 'file' || file) {
        stream.resume();
        return;
      }
      file = new Promise((done, fail) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('limit', () => fail(tooLarge()));
        stream.on('end', () => done(Buffer.concat(chunks)));
        stream.on('error', fail);
      });
      // Settled later; keep an early rejection from being reported as unhandled meanwhile.
      file.catch(() => undefined);
    });
    parser.on('error', (error: Error) => reject(badRequest(`malformed multipart body: ${error.message}`)));
    parser.on('close', () => {
      if (!file) reject(badRequest('the multipart form has no file field named "file"'));
      else file.then(resolve, reject);
    });
    request.pipe(parser);
  });
}
