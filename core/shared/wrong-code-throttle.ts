import type { WrongCodeKind } from '../../generated/prisma/client';
import type { Database } from './database';

/**
 * Wrong codes a Telegram user may type before further tries wait, and the window they are counted in.
 * A code is one of 31^8 ≈ 8.5·10^11; five guesses per quarter of an hour (480 a day) make finding even
 * one of a thousand live codes a matter of millennia, while a person who mistypes twice is never held up.
 */
export const WRONG_CODE_LIMIT = 5;
export const WRONG_CODE_WINDOW_MS = 15 * 60_000;
/** Tries older than this never matter again and are deleted. */
const KEPT_MS = 24 * 60 * 60_000;

/**
 * Counts wrong codes per Telegram user (not per person: deleting one's data and linking again, which
 * makes a new person, must not buy a fresh set of guesses) and per kind of code.
 */
export class WrongCodeThrottle {
  constructor(private readonly db: Database) {}

  /** When the user may try again, or null when they may now. */
  async retryAt(telegramUserId: bigint, kind: WrongCodeKind, now: Date): Promise<Date | null> {
    const recent = await this.db.wrongCodeAttempt.findMany({
      where: { telegramUserId, kind, at: { gt: new Date(now.getTime() - WRONG_CODE_WINDOW_MS) } },
      orderBy: { at: 'desc' },
      take: WRONG_CODE_LIMIT,
    });
    // Free again when the oldest of the last LIMIT tries leaves the window.
    return recent.length >= WRONG_CODE_LIMIT ? new Date(recent[WRONG_CODE_LIMIT - 1].at.getTime() + WRONG_CODE_WINDOW_MS) : null;
  }

  /** Records a wrong try; answers how many are left before the user has to wait. */
  async recordWrong(telegramUserId: bigint, kind: WrongCodeKind, now: Date): Promise<number> {
    const counted = await this.db.$transaction(async (tx) => {
      // Everybody's old tries go here, so the table stays small without a job of its own.
      await tx.wrongCodeAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - KEPT_MS) } } });
      await tx.wrongCodeAttempt.create({ data: { telegramUserId, kind, at: now } });
      return tx.wrongCodeAttempt.count({ where: { telegramUserId, kind, at: { gt: new Date(now.getTime() - WRONG_CODE_WINDOW_MS) } } });
    });
    return Math.max(0, WRONG_CODE_LIMIT - counted);
  }
}
