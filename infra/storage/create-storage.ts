import path from 'node:path';
import type { DocumentStorage } from '../../core/documents/document-storage';
import type { Config } from '../config/config';
import { FilesystemDocumentStorage } from './filesystem-storage';
import { S3DocumentStorage } from './s3-storage';

/** A bucket when S3_BUCKET is configured (checked complete by the config schema), else `DATA_DIR/documents`. */
export function createDocumentStorage(config: Config): DocumentStorage {
  if (config.S3_BUCKET && config.S3_ENDPOINT && config.S3_ACCESS_KEY_ID && config.S3_SECRET_ACCESS_KEY) {
    return new S3DocumentStorage({
      endpoint: config.S3_ENDPOINT,
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      prefix: config.S3_PREFIX,
    });
  }
  return new FilesystemDocumentStorage(path.resolve(config.DATA_DIR, 'documents'));
}
