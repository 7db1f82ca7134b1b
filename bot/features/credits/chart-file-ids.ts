import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ProgressChartInput } from '../../../infra/render/progress-chart';

/**
 * Telegram `file_id`s of progress charts already sent, in Redis so that every bot replica reuses them.
 * A chart is a function of its input alone — the balance figures, the day (asOf) and the language of its
 * words — so the key is a hash of exactly that: the same chart is drawn once, then sent by its file_id,
 * and a new credit, a new day or another language makes another key. Keys expire after two days: by
 * then the day has changed and nobody asks for that chart again.
 */
const TTL_SECONDS = 2 * 24 * 3600;

export class ChartFileIds {
  constructor(
    private readonly redis: Redis,
    /** REDIS_PREFIX: these keys live beside the bot's other keys. */
    private readonly prefix: string,
  ) {}

  keyOf(input: ProgressChartInput): string {
    return `${this.prefix}:chart:${createHash('sha256').update(JSON.stringify(input)).digest('base64url')}`;
  }

  get(key: string): Promise<string | null> {
    return this.redis.get(key);
  }

  async remember(key: string, fileId: string): Promise<void> {
    await this.redis.set(key, fileId, 'EX', TTL_SECONDS);
  }

  /** Telegram no longer knows the file (another bot token, a deleted file): draw it again next time. */
  async forget(key: string): Promise<void> {
    await this.redis.del(key);
  }
}

/** Telegram's answer to a file_id it does not know. */
export function isUnknownFile(error: unknown): boolean {
  const e = error as { error_code?: number; description?: string };
  return e?.error_code === 400 && /file identifier|file_id|FILE_REFERENCE|wrong remote file/i.test(e.description ?? '');
}
