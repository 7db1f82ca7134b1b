import type { StorageAdapter } from 'grammy';
import type { Chat, Update } from 'grammy/types';
import type { Redis } from 'ioredis';

/** Keys read as absent and not yet written back: bounded, in case a handler threw between the two. */
const MAX_ABSENT_KEYS = 10_000;

/** A private chat's session key (its id); groups and channels keep no session. */
export function sessionKeyOf(chat: Pick<Chat, 'id' | 'type'> | undefined): string | undefined {
  return chat?.type === 'private' ? String(chat.id) : undefined;
}

/** The chat of the updates the bot takes (ALLOWED_UPDATES), as grammY's `ctx.chat` finds it. */
function chatOfUpdate(update: Update): Chat | undefined {
  return (update.message ?? update.edited_message ?? update.callback_query?.message ?? update.my_chat_member)?.chat;
}

/**
 * grammY sessions in Redis, expiring after a day of silence: a wizard left half way is forgotten.
 * grammY writes every session back after every update; most updates (/help, /credits, a button) come
 * from people with no session at all, and writing their empty one was a Redis round trip per update
 * for nothing: an empty session that was absent stays absent (reading it gives the initial `{}` again).
 *
 * The update intake reads a session along with the claim of its update (`keysOf`, `prime`: the
 * storage is its FirstRead): the read that follows is then answered from that value instead of another
 * round trip to Redis. Other keys of the chat come the same way (`readAlong`: its pending questions,
 * which bot/shared/pending-questions.ts takes with `takePrimed`).
 */
export class RedisSessionStorage<T> implements StorageAdapter<T> {
  private readonly absent = new Set<string>();
  /** Values read ahead (the session's and others of the chat), by Redis key, each taken by the next read of its key. */
  private readonly primed = new Map<string, string | null>();

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly ttlSeconds = 24 * 3600,
    /** Other keys the handling of an update reads first, to be read along with its session. */
    private readonly readAlong: (update: Update) => readonly string[] = () => [],
  ) {}

  /** The Redis key the handling of `update` reads its session from, if it has one. */
  keyOf(update: Update): string | undefined {
    const key = sessionKeyOf(chatOfUpdate(update));
    return key === undefined ? undefined : this.prefix + key;
  }

  /** What the intake reads along with the claim of `update` (FirstRead): its session's key and `readAlong`'s. */
  keysOf(update: Update): readonly string[] {
    const session = this.keyOf(update);
    const others = this.readAlong(update);
    return session === undefined ? others : [session, ...others];
  }

  /**
   * The value of a key as read just now (null: absent): the next read of that key takes it. Only for a
   * read that would see the same (UpdateConsumer.adopt decides); `forget` drops one not taken.
   */
  prime(redisKey: string, value: string | null): void {
    this.primed.set(redisKey, value);
  }

  forget(redisKey: string): void {
    this.primed.delete(redisKey);
  }

  /** The value primed for a Redis key, taken (it serves one read); undefined when none was. */
  takePrimed(redisKey: string): { value: string | null } | undefined {
    if (!this.primed.has(redisKey)) return undefined;
    const value = this.primed.get(redisKey)!;
    this.primed.delete(redisKey);
    return { value };
  }

  async read(key: string): Promise<T | undefined> {
    const redisKey = this.prefix + key;
    const primed = this.takePrimed(redisKey);
    const raw = primed ? primed.value : await this.redis.get(redisKey);
    if (raw !== null) return JSON.parse(raw) as T;
    if (this.absent.size >= MAX_ABSENT_KEYS) this.absent.clear();
    this.absent.add(key);
    return undefined;
  }

  async write(key: string, value: T): Promise<void> {
    this.primed.delete(this.prefix + key);
    const json = JSON.stringify(value);
    if (this.absent.delete(key) && json === '{}') return;
    await this.redis.set(this.prefix + key, json, 'EX', this.ttlSeconds);
  }

  async delete(key: string): Promise<void> {
    this.primed.delete(this.prefix + key);
    this.absent.delete(key);
    await this.redis.del(this.prefix + key);
  }
}

/** Where the bot keeps a private chat's session (key: the chat id); one definition for the bot and whoever peeks. */
export function botSessionStorage<T>(
  redis: Redis,
  redisPrefix: string,
  readAlong?: (update: Update) => readonly string[],
): RedisSessionStorage<T> {
  return new RedisSessionStorage<T>(redis, `${redisPrefix}:session:`, undefined, readAlong);
}
