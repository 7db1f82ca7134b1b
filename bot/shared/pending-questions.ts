import type { Update } from 'grammy/types';
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
 * reading stays true for the update that made it. Every key is the chat's: the update intake reads them
 * along with the claim of a private message (`pendingQuestionKeysOf`), and the reading takes those values
 * (RedisSessionStorage.takePrimed) instead of asking Redis again.
 */
export interface PendingQuestion {
  /** What was stored with the question, or null when none is pending. */
  get(ctx: BotContext): Promise<string | null>;
  /** Asks it (again): pending for its time to live. */
  ask(ctx: BotContext, value?: string): Promise<void>;
  /** Clears it; answers what it held (null: none was pending, e.g. already answered or expired). */
  take(ctx: BotContext): Promise<string | null>;
}

export interface QuestionKey {
  /** Its Redis key in a chat (REDIS_PREFIX, the chat's id). */
  inChat(redisPrefix: string, chatId: number): string;
  /** Only pending where the chat has a linked person (e.g. a question about their own data). */
  needsPerson?: boolean;
}

const questions: QuestionKey[] = [];
/** One reading per update: key → value (null when absent). */
const readings = new WeakMap<BotContext, Promise<Map<string, string | null>>>();

function keyIn(ctx: BotContext, question: QuestionKey): string | undefined {
  if (!ctx.chat || (question.needsPerson && !ctx.person)) return undefined;
  return question.inChat(ctx.services.config.REDIS_PREFIX, ctx.chat.id);
}

/**
 * The keys of every pending question a private chat's message asks about, for the update intake to read
 * along with its claim (FirstRead). Other updates (a button, a group's message) read theirs themselves.
 */
export function pendingQuestionKeysOf(update: Update, redisPrefix: string): string[] {
  const chat = update.message?.chat;
  if (chat?.type !== 'private') return [];
  return questions.map((question) => question.inChat(redisPrefix, chat.id));
}

/** Declares a question under the chat's key (`question`); it is pending for `ttlSeconds` once asked. */
export function pendingQuestion(question: QuestionKey, ttlSeconds: number): PendingQuestion {
  questions.push(question);
  const keyOf = (ctx: BotContext) => keyIn(ctx, question);
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
    const keys = [...new Set(questions.map((question) => keyIn(ctx, question)).filter((key): key is string => key !== undefined))];
    const known = new Map<string, string | null>();
    for (const key of keys) {
      const primed = ctx.services.sessions.takePrimed(key);
      if (primed) known.set(key, primed.value);
    }
    const unknown = keys.filter((key) => !known.has(key));
    reading =
      unknown.length === 0
        ? Promise.resolve(known)
        : ctx.services.redis.mget(unknown).then((values) => {
            unknown.forEach((key, i) => known.set(key, values[i]));
            return known;
          });
    // A failed reading (Redis away) is not kept: the update is retried later and reads again.
    reading.catch(() => readings.delete(ctx));
    readings.set(ctx, reading);
  }
  return reading;
}
