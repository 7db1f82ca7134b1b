import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config/config';
import type { Logger } from './logger';

/**
 * The key that seals phone, СНИЛС and ИНН. Production must set DATA_ENCRYPTION_KEY (the config refuses
 * to start otherwise); a development machine gets a random key kept in DATA_DIR, so demo data stays
 * readable across restarts and no key is ever hard-coded.
 */
export function personalDataKey(config: Config, logger: Logger): Buffer {
  if (config.DATA_ENCRYPTION_KEY) return Buffer.from(config.DATA_ENCRYPTION_KEY, 'base64');
  const file = path.resolve(config.DATA_DIR, 'dev-encryption.key');
  if (existsSync(file)) return Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  mkdirSync(path.dirname(file), { recursive: true });
  const key = randomBytes(32);
  writeFileSync(file, key.toString('base64'), { mode: 0o600 });
  logger.warn({ file }, 'DATA_ENCRYPTION_KEY is not set: generated a development key (never do this in production)');
  return key;
}
