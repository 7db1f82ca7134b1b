import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ProgressChartInput } from '../../../infra/render/progress-chart';

/**
 * Telegram `file_id`s of progress charts already sent, in Redis so that every bot replica reuses them.
 * A chart is a function of its input alone — the balance figures, the day (asOf) and the language of its
 * words — so the key is a hash of exactly that: the same chart is drawn once, then sent by its file_id,
 * and a new credit, a new day or another language makes another key. Keys expire after two days: by
 * then the day has changed and nobody asks for that chart again.
 *
 * A file_id once known stays right for its key, so this process also keeps the ones it has seen (up to
 * KEPT_AT_MOST, for as long as Redis keeps a key): /credits then sends a chart without a round trip to Redis.
 * Only Telegram can make one wrong (it forgot the file): the send fails, the id is forgotten here and in
 * Redis, and the chart is drawn again. Another replica holding it in memory learns the same way.
 */
const TTL_SECONDS = 2 * 24 * 3600;
/** file_ids kept in this process at most (~200 bytes each); past it the oldest kept goes first. */
export const KEPT_AT_MOST = 5_000;

export class ChartFileIds {
  /** key → the file_id and until when (this process's clock) it is kept, oldest first. */
  private readonly kept = new Map<string, { fileId: string; until: number }>();

  constructor(
    private readonly redis: Redis,
    /** REDIS_PREFIX: these keys live beside the bot's other keys. */
    private readonly prefix: string,
  ) {}

  keyOf(input: ProgressChartInput): string {
    return `${this.prefix}:chart:${createHash('sha256').update(JSON.stringify(input)).digest('base64url')}`;
  }

  /** The file_id of the chart of `key` sent before: kept in this process, or else Redis's answer; null when none is known. */
  async get(key: string): Promise<string | null> {
    const kept = this.kept.get(key);
    if (kept && kept.until > Date.now()) return kept.fileId;
    if (kept) this.kept.delete(key);
    const fileId = await this.redis.get(key);
    if (fileId) this.keep(key, fileId);
    return fileId;
  }

  async remember(key: string, fileId: string): Promise<void> {
    this.keep(key, fileId);
    await this.redis.set(key, fileId, 'EX', TTL_SECONDS);
  }

  /** Telegram no longer knows the file (another bot token, a deleted file): draw it again next time. */
  async forget(key: string): Promise<void> {
    this.kept.delete(key);
    await this.redis.del(key);
  }

  private keep(key: string, fileId: string): void {
    this.kept.delete(key);
    if (this.kept.size >= KEPT_AT_MOST) this.kept.delete(this.kept.keys().next().value as string);
    this.kept.set(key, { fileId, until: Date.now() + TTL_SECONDS * 1000 });
  }
}

/** Telegram's answer to a file_id it does not know. */
export function isUnknownFile(error: unknown): boolean {
  const e = error as { error_code?: number; description?: string };
  return e?.error_code === 400 && /file identifier|file_id|FILE_REFERENCE|wrong remote file/i.test(e.description ?? '');
}
