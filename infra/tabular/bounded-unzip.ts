import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { TabularError } from './table';

export interface UnzipLimits {
  /** Files in the archive (an .xlsx of one sheet holds about a dozen). */
  maxEntries: number;
  /** Bytes of all files together, as really inflated. */
  maxTotalBytes: number;
}

/**
 * Unpacks a ZIP archive held in memory without trusting what it says about itself. The sizes an
 * archive declares are only a first filter (a sum over the limit is refused before anything is
 * inflated); the real test is while inflating: yauzl's `validateEntrySizes` stops a file the moment
 * it yields more bytes than it declared (a forged bomb), and the bytes actually produced are counted
 * against `maxTotalBytes`, so memory never holds much more than the limit, whatever the file claims.
 */
export async function unzipBounded(bytes: Uint8Array, limits: UnzipLimits): Promise<Map<string, Buffer>> {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(buffer, { lazyEntries: true, validateEntrySizes: true, strictFileNames: false });
  } catch {
    throw new TabularError('xlsx-unreadable', 'the file is not a readable .xlsx workbook');
  }
  try {
    if (zip.entryCount > limits.maxEntries) {
      throw new TabularError(
        'xlsx-too-large',
        `the workbook holds ${zip.entryCount} files, more than the ${limits.maxEntries} an import accepts`,
      );
    }
    const files = new Map<string, Buffer>();
    let declared = 0;
    let inflated = 0;
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      declared += entry.uncompressedSize;
      if (declared > limits.maxTotalBytes) throw tooLarge(limits);
      const stream = await zip.openReadStreamPromise(entry).catch(() => {
        throw new TabularError('xlsx-unreadable', 'the file is not a readable .xlsx workbook');
      });
      const content = await readCapped(stream, entry, limits.maxTotalBytes - inflated, limits);
      inflated += content.length;
      files.set(entry.fileName, content);
    }
    return files;
  } catch (error) {
    if (error instanceof TabularError) throw error;
    throw new TabularError('xlsx-unreadable', 'the file is not a readable .xlsx workbook');
  } finally {
    if (zip.isOpen) zip.close();
  }
}

/** One file's bytes, stopped (the stream destroyed) as soon as it outgrows what it declared or what is left of the limit. */
function readCapped(stream: Readable, entry: yauzl.Entry, room: number, limits: UnzipLimits): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    stream.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > room) {
        stream.destroy();
        reject(tooLarge(limits));
        return;
      }
      chunks.push(chunk);
    });
    stream.on('error', (error: Error) => {
      // yauzl's validateEntrySizes: the content is larger than the archive declares.
      if (/too many bytes/i.test(error.message)) {
        reject(
          new TabularError(
            'xlsx-forged',
            `the workbook is damaged or forged: ${entry.fileName} unpacks to more than the ${entry.uncompressedSize} bytes it declares (stopped there)`,
          ),
        );
      } else reject(new TabularError('xlsx-unreadable', 'the file is not a readable .xlsx workbook'));
    });
    stream.on('end', () => resolve(Buffer.concat(chunks)));
  });
}

function tooLarge(limits: UnzipLimits): TabularError {
  return new TabularError('xlsx-too-large', `the workbook unpacks to more than ${Math.round(limits.maxTotalBytes / 1024 / 1024)} MB`);
}
