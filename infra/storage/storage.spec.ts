import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { storageKeyOf } from '../../core/documents/document-storage';
import { loadConfig } from '../config/config';
import { createDocumentStorage } from './create-storage';
import { FilesystemDocumentStorage } from './filesystem-storage';
import { S3DocumentStorage } from './s3-storage';
import { sha256Hex } from './sigv4';

const key = storageKeyOf(sha256Hex('hello'));

describe('FilesystemDocumentStorage', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'docs-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('puts, gets, checks and deletes by a sha256-based key, leaving no temp files', async () => {
    const storage = new FilesystemDocumentStorage(dir);
    expect(key).toMatch(/^2c\/f2\/2cf24dba/);
    expect(await storage.exists(key)).toBe(false);
    expect(await storage.get(key)).toBeNull();
    await storage.put(key, Buffer.from('hello'));
    await storage.put(key, Buffer.from('hello'));
    expect(await storage.exists(key)).toBe(true);
    expect((await storage.get(key))?.toString()).toBe('hello');
    expect(readdirSync(path.join(dir, '2c', 'f2'))).toEqual([key.split('/')[2]]);
    await storage.delete(key);
    await storage.delete(key);
    expect(await storage.exists(key)).toBe(false);
  });

  it('refuses keys that are not content addresses (no path traversal)', async () => {
    const storage = new FilesystemDocumentStorage(dir);
    await expect(storage.put('../../etc/passwd', Buffer.from('x'))).rejects.toThrow(/invalid storage key/);
  });
});

describe('S3DocumentStorage', () => {
  it('sends signed path-style requests and maps 404 to missing', async () => {
    const calls: { url: string; method: string; headers: Record<string, string>; body?: Uint8Array }[] = [];
    const objects = new Map<string, Buffer>();
    const fakeFetch = (async (input: URL, init: RequestInit) => {
      const url = input.toString();
      const headers = init.headers as Record<string, string>;
      calls.push({ url, method: init.method!, headers, body: init.body as Uint8Array | undefined });
      if (init.method === 'PUT') objects.set(url, Buffer.from(init.body as Uint8Array));
      if (init.method === 'DELETE') objects.delete(url);
      const stored = objects.get(url);
      if (init.method === 'GET' || init.method === 'HEAD')
        return stored
          ? new Response(init.method === 'GET' ? new Uint8Array(stored) : null, { status: 200 })
          : new Response('<Error><Code>NoSuchKey</Code></Error>', { status: 404 });
      return new Response(null, { status: init.method === 'DELETE' ? 204 : 200 });
    }) as unknown as typeof fetch;
    const storage = new S3DocumentStorage(
      {
        endpoint: 'https://s3.example.ru/',
        bucket: 'nmo-docs',
        prefix: 'documents',
        region: 'ru-central1',
        accessKeyId: 'AK',
        secretAccessKey: 'SK',
      },
      fakeFetch,
      () => new Date('2026-01-02T03:04:05Z'),
    );
    await storage.put(key, Buffer.from('hello'));
    expect(calls[0].url).toBe(`https://s3.example.ru/nmo-docs/documents/${key}`);
    expect(calls[0].headers['x-amz-content-sha256']).toBe(sha256Hex('hello'));
    expect(calls[0].headers['x-amz-date']).toBe('20260102T030405Z');
    expect(calls[0].headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AK\/20260102\/ru-central1\/s3\/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date, Signature=[0-9a-f]{64}$/,
    );
    expect((await storage.get(key))?.toString()).toBe('hello');
    expect(await storage.exists(key)).toBe(true);
    await storage.delete(key);
    expect(await storage.get(key)).toBeNull();
    expect(await storage.exists(key)).toBe(false);
  });

  it('reports an S3 error with its code', async () => {
    const storage = new S3DocumentStorage(
      { endpoint: 'https://s3.example.ru', bucket: 'b', region: 'r', accessKeyId: 'a', secretAccessKey: 's' },
      (async () => new Response('<Error><Code>AccessDenied</Code></Error>', { status: 403 })) as unknown as typeof fetch,
    );
    await expect(storage.put(key, Buffer.from('x'))).rejects.toThrow(
      'S3 PUT 2c/f2/2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824 failed: 403 AccessDenied',
    );
  });
});

describe('createDocumentStorage', () => {
  it('chooses the bucket only when S3 is configured, and insists on its credentials', () => {
    expect(createDocumentStorage(loadConfig({ DATA_DIR: '/tmp/x' }))).toBeInstanceOf(FilesystemDocumentStorage);
    const s3 = loadConfig({ S3_BUCKET: 'b', S3_ENDPOINT: 'https://s3.example.ru', S3_ACCESS_KEY_ID: 'a', S3_SECRET_ACCESS_KEY: 's' });
    expect(createDocumentStorage(s3)).toBeInstanceOf(S3DocumentStorage);
    expect(() => loadConfig({ S3_BUCKET: 'b' })).toThrow(/S3_ENDPOINT is required when S3_BUCKET is set/);
  });
});
