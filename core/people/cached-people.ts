import type { Person } from '../../generated/prisma/client';

/**
 * The channel PostgreSQL notifies whenever a statement changes "Person" or "TelegramIdentity" (the
 * triggers of migration 20261204190000_people_changed_notifications).
 */
export const PEOPLE_CHANGED_CHANNEL = 'nmo_people_changed';

/** Where changes to people are heard (infra/database-changes.ts over PEOPLE_CHANGED_CHANNEL). */
export interface PeopleChanges {
  /** True only while every change committed from now on will be heard. */
  readonly listening: boolean;
  /** Runs on every change heard and whenever `listening` turns. */
  onChange(listener: () => void): () => void;
}

/** How long a person is served from memory at most, whatever was heard: a bound should a notice go astray. */
export const PERSON_TTL_MS = 60_000;
/** People kept at most; past it the longest kept goes first. */
export const MAX_PEOPLE = 5_000;

interface Kept {
  person: Person;
  at: number;
}

/**
 * The person behind a Telegram user, read for every update the bot takes: kept in memory between updates
 * instead of a PostgreSQL round trip each (a fifth of the bot's CPU per update at 100 a second went to
 * PostgreSQL). Everyone is forgotten at once whenever any person or identity changes, in any process
 * (`changes`: PostgreSQL notifies every statement on those tables at its commit), and whenever the
 * notifications cannot be relied on (not listening): then every lookup reads PostgreSQL, as without the
 * cache. A read that a change overtook is not kept. Each caller gets a copy of its own to change.
 */
export class CachedPeople {
  private readonly kept = new Map<string, Kept>();
  /** Counts forgettings: a read begun before one is not kept. */
  private generation = 0;
  /** Reads of PostgreSQL made (tests and benches). */
  reads = 0;

  constructor(
    private readonly load: (telegramUserId: bigint) => Promise<Person | null>,
    private readonly changes: PeopleChanges,
  ) {
    changes.onChange(() => this.forgetAll());
  }

  async find(telegramUserId: bigint): Promise<Person | null> {
    const key = telegramUserId.toString();
    // Real time, not the domain's clock: tests move that one by days.
    const now = Date.now();
    if (this.changes.listening) {
      const kept = this.kept.get(key);
      if (kept && now - kept.at < PERSON_TTL_MS) return structuredClone(kept.person);
    }
    const generation = this.generation;
    this.reads++;
    const person = await this.load(telegramUserId);
    if (person && this.changes.listening && generation === this.generation) {
      this.kept.delete(key);
      this.kept.set(key, { person: structuredClone(person), at: now });
      if (this.kept.size > MAX_PEOPLE) this.kept.delete(this.kept.keys().next().value!);
    }
    return person;
  }

  forgetAll(): void {
    this.generation++;
    this.kept.clear();
  }
}
