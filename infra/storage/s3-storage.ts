import type { DocumentStorage } from '../../core/documents/document-storage';
import { amzDate, EMPTY_SHA256, sha256Hex, signRequest, type SigningCredentials } from './sigv4';

export interface S3Options extends SigningCredentials {
  /** e.g. https://storage.yandexcloud.net or http://minio:9000 */
  endpoint: string;
  bucket: string;
  /** Keys go under this folder of the bucket. */
  prefix?: string;
}

type Fetch = typeof fetch;

/** Documents in an S3-compatible bucket (path-style URLs, which every S3 clone accepts), signed with SigV4. */
export class S3DocumentStorage implements DocumentStorage {
  constructor(
    private readonly options: S3Options,
    private readonly fetchImpl: Fetch = fetch,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private urlOf(key: string): URL {
    const base = this.options.endpoint.replace(/\/+$/, '');
    const objectKey = `${this.options.prefix ? `${this.options.prefix.replace(/\/+$/, '')}/` : ''}${key}`;
    return new URL(`${base}/${encodeURIComponent(this.options.bucket)}/${objectKey.split('/').map(encodeURIComponent).join('/')}`);
  }

  private async send(method: 'PUT' | 'GET' | 'HEAD' | 'DELETE', key: string, body?: Buffer): Promise<Response> {
    const url = this.urlOf(key);
    const payloadHash = body ? sha256Hex(body) : EMPTY_SHA256;
    const at = this.now();
    const headers: Record<string, string> = { 'x-amz-content-sha256': payloadHash, 'x-amz-date': amzDate(at) };
    if (body) headers['content-type'] = 'application/octet-stream';
    const { authorization } = signRequest({ method, url, headers, payloadHash, at }, this.options);
    return this.fetchImpl(url, { method, headers: { ...headers, authorization }, body: body ? new Uint8Array(body) : undefined });
  }

  async put(key: string, bytes: Buffer): Promise<void> {
    const response = await this.send('PUT', key, bytes);
    if (!response.ok) throw await s3Error('PUT', key, response);
  }

  async get(key: string): Promise<Buffer | null> {
    const response = await this.send('GET', key);
    if (response.status === 404) return null;
    if (!response.ok) throw await s3Error('GET', key, response);
    return Buffer.from(await response.arrayBuffer());
  }

  async delete(key: string): Promise<void> {
    const response = await this.send('DELETE', key);
    if (!response.ok && response.status !== 404) throw await s3Error('DELETE', key, response);
  }

  async exists(key: string): Promise<boolean> {
    const response = await this.send('HEAD', key);
    if (response.status === 404) return false;
    if (!response.ok) throw await s3Error('HEAD', key, response);
    return true;
  }
}

async function s3Error(method: string, key: string, response: Response): Promise<Error> {
  const text = await response.text().catch(() => '');
  const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1];
  return new Error(`S3 ${method} ${key} failed: ${response.status}${code ? ` ${code}` : ''}`);
}
