import type { BotContext } from '../context';

/**
 * A question the bot asked in a private chat and waits for the answer to, kept in Redis next to the
 * session under a key of its own that expires by itself: «type your quiet hours», «send the document»,
 * the second «delete» press, «a comment to your rating?».
 *
 * Every message a linked person sends asks whether any of them is pending (the features' own checks, the
 * wizard hint, the support relay): the first asking reads all of them for the update in one MGET, and
 * what the update asks or takes afterwards keeps that reading current. A chat's updates are handled one
 * at a time, in order (bot/intake/), and only the chat's own updates ask or take its questions, so the
 * reading stays true for the update that made it.
 */
export interface PendingQuestion {
  /** What was stored with the question, or null when none is pending. */
  get(ctx: BotContext): Promise<string | null>;
  /** Asks it (again): pending for its time to live. */
  ask(ctx: BotContext, value?: string): Promise<void>;
  /** Clears it; answers what it held (null: none was pending, e.g. already answered or expired). */
  take(ctx: BotContext): Promise<string | null>;
}

type KeyOf = (ctx: BotContext) => string | undefined;

const keysOfQuestions: KeyOf[] = [];
/** One reading per update: key → value (null when absent). */
const readings = new WeakMap<BotContext, Promise<Map<string, string | null>>>();

/**
 * Declares a question; `keyOf` names its Redis key for a chat (undefined when it cannot be pending there,
 * e.g. a question about a person in a chat with no person).
 */
export function pendingQuestion(keyOf: KeyOf, ttlSeconds: number): PendingQuestion {
  keysOfQuestions.push(keyOf);
  return {
    async get(ctx) {
      const key = keyOf(ctx);
      if (key === undefined) return null;
      const reading = await readingOf(ctx);
      if (reading.has(key)) return reading.get(key)!;
      // A key the reading did not cover (a person linked by this very update): asked directly.
      const value = await ctx.services.redis.get(key);
      reading.set(key, value);
      return value;
    },
    async ask(ctx, value = '1') {
      const key = keyOf(ctx);
      if (key === undefined) throw new Error('a pending question asked where it has no key');
      await ctx.services.redis.set(key, value, 'EX', ttlSeconds);
      (await readings.get(ctx))?.set(key, value);
    },
    async take(ctx) {
      const key = keyOf(ctx);
      if (key === undefined) return null;
      const reading = await readingOf(ctx);
      if (reading.get(key) === null) return null;
      const value = await ctx.services.redis.getdel(key);
      reading.set(key, null);
      return value;
    },
  };
}

function readingOf(ctx: BotContext): Promise<Map<string, string | null>> {
  let reading = readings.get(ctx);
  if (!reading) {
    const keys = [...new Set(keysOfQuestions.map((keyOf) => keyOf(ctx)).filter((key): key is string => key !== undefined))];
    reading = ctx.services.redis.mget(keys).then((values) => new Map(keys.map((key, i) => [key, values[i]])));
    // A failed reading (Redis away) is not kept: the update is retried later and reads again.
    reading.catch(() => readings.delete(ctx));
    readings.set(ctx, reading);
  }
  return reading;
}
