import type { Person } from '../../generated/prisma/client';
import { KeptWhileHeard, type TableChanges } from '../shared/kept-while-heard';

/**
 * The channel PostgreSQL notifies whenever a statement changes "Person" or "TelegramIdentity" (the
 * triggers of migration 20261204190000_people_changed_notifications).
 */
export const PEOPLE_CHANGED_CHANNEL = 'nmo_people_changed';

/**
 * How long a person is served from memory at most, whatever was heard: a bound should a notice go astray,
 * and long enough to cover the taps of one visit to the bot.
 */
export const PERSON_TTL_MS = 600_000;
/** People kept at most; past it the longest kept goes first. */
export const MAX_PEOPLE = 5_000;

/**
 * The person behind a Telegram user, read for every update the bot takes: kept in memory between updates
 * instead of a PostgreSQL round trip each (a fifth of the bot's CPU per update at 100 a second went to
 * PostgreSQL). Everyone is forgotten at once whenever any person or identity changes, in any process
 * (`changes`: PostgreSQL notifies every statement on those tables at its commit), and whenever the
 * notifications cannot be relied on (KeptWhileHeard). Each caller gets a copy of its own to change.
 */
export class CachedPeople {
  private readonly kept: KeptWhileHeard<Person>;

  constructor(
    private readonly load: (telegramUserId: bigint) => Promise<Person | null>,
    /** Changes to people (infra/database-changes.ts over PEOPLE_CHANGED_CHANNEL). */
    changes: TableChanges,
  ) {
    this.kept = new KeptWhileHeard<Person>(changes, { ttlMs: PERSON_TTL_MS, max: MAX_PEOPLE, copy: structuredClone });
  }

  /** Reads of PostgreSQL made (tests and benches). */
  get reads(): number {
    return this.kept.reads;
  }

  find(telegramUserId: bigint): Promise<Person | null> {
    return this.kept.get(telegramUserId.toString(), () => this.load(telegramUserId));
  }
}
