import { HttpException, HttpStatus } from '@nestjs/common';
import type { Request } from 'express';
import { BodyTooLarge, readBody } from '../../infra/read-body';
import { badRequest } from '../http/errors';

/** A year's calendar is about 3 KB; 1 MB leaves room for comments without inviting abuse. */
export const CALENDAR_XML_LIMIT_BYTES = 1024 * 1024;

const XML_TYPES = new Set(['text/xml', 'application/xml', 'text/plain']);

/** The XML of a calendar upload: the raw body (text/xml, application/xml) or the `xml` field of a JSON body. */
export async function readCalendarXml(request: Request): Promise<string> {
  const type = (request.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') {
    const body: unknown = request.body;
    const xml = body && typeof body === 'object' ? (body as { xml?: unknown }).xml : undefined;
    if (typeof xml !== 'string') throw badRequest('send { "xml": "<calendar …>" } or the XML itself as text/xml');
    return xml;
  }
  if (!XML_TYPES.has(type)) {
    throw new HttpException(
      {
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: `send the calendar as text/xml, application/xml or JSON { "xml": … } (got ${type || 'no Content-Type'})`,
      },
      HttpStatus.UNSUPPORTED_MEDIA_TYPE,
    );
  }
  // A body parser configured elsewhere may already have read it.
  if (typeof request.body === 'string') return request.body;
  if (Buffer.isBuffer(request.body)) return request.body.toString('utf8');
  return readRaw(request);
}

async function readRaw(request: Request): Promise<string> {
  try {
    return (await readBody(request, CALENDAR_XML_LIMIT_BYTES)).toString('utf8');
  } catch (error) {
    if (!(error instanceof BodyTooLarge)) throw error;
    throw new HttpException(
      { statusCode: 413, error: 'Payload Too Large', message: 'a calendar file must not exceed 1 MB' },
      HttpStatus.PAYLOAD_TOO_LARGE,
    );
  }
}
