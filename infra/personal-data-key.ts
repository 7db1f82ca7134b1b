import { randomBytes } from 'node:crypto';
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import path from 'node:path';
import type { Config } from './config/config';
import type { Logger } from './logger';

const KEY_BYTES = 32;

/**
 * The key that seals phone, СНИЛС and ИНН. Production must set DATA_ENCRYPTION_KEY (the config refuses
 * to start otherwise); a development machine gets a random key kept in DATA_DIR, so demo data stays
 * readable across restarts and no key is ever hard-coded.
 */
export function personalDataKey(config: Config, logger: Logger): Buffer {
  if (config.DATA_ENCRYPTION_KEY) return Buffer.from(config.DATA_ENCRYPTION_KEY, 'base64');
  const file = path.resolve(config.DATA_DIR, 'dev-encryption.key');
  const existing = readKeyFile(file);
  if (existing) return existing;
  mkdirSync(path.dirname(file), { recursive: true });
  const created = createKeyFile(file);
  if (created) {
    logger.warn({ file }, 'DATA_ENCRYPTION_KEY is not set: generated a development key (never do this in production)');
    return created;
  }
  // Another process (the bot and the worker starting together) created it first: everyone uses its key.
  return readKeyFile(file) ?? unreadable(file);
}

/**
 * Writes a new key under a private temporary name, then links it to the real name, which fails when
 * the name exists: of two processes racing, exactly one key wins, and the file is never seen half
 * written because the link only appears once the content is complete. Null when another process won.
 */
function createKeyFile(file: string): Buffer | null {
  const key = randomBytes(KEY_BYTES);
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, key.toString('base64'));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    linkSync(temporary, file);
    return key;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return null;
    throw error;
  } finally {
    unlinkSync(temporary);
  }
}

function readKeyFile(file: string): Buffer | null {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const key = Buffer.from(text.trim(), 'base64');
  return key.length === KEY_BYTES ? key : unreadable(file);
}

/** A damaged key file must stop the process: a new key would make every sealed value unreadable. */
function unreadable(file: string): never {
  throw new Error(`The development key file ${file} does not hold a ${KEY_BYTES}-byte base64 key; restore it or set DATA_ENCRYPTION_KEY`);
}
