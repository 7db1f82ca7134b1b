/**
 * Where changes to some tables are heard (infra/database-changes.ts: PostgreSQL notifies a channel at the
 * commit of every statement on them).
 */
export interface TableChanges {
  /** True only while every change committed from now on will be heard. */
  readonly listening: boolean;
  /** Runs on every change heard and whenever `listening` turns. */
  onChange(listener: () => void): () => void;
}

export interface KeptOptions<V> {
  /** How long a value is served from memory at most, whatever was heard: a bound should a notice go astray. */
  ttlMs: number;
  /** Values kept at most (their total weight, with `weigh`); past it the longest kept go first. */
  max: number;
  /** What one value counts against `max` (none: 1 each): e.g. the rows it holds, when values vary in size. */
  weigh?: (value: V) => number;
  /** Each caller's own copy, for values a caller may change (none: the value is shared). */
  copy?: (value: V) => V;
}

/**
 * Values read from PostgreSQL, kept in memory while their tables' changes are heard: all forgotten at once
 * whenever one is heard, in any process, and whenever the notifications cannot be relied on (not
 * listening): then every lookup reads, as without the cache. A read that a change overtook is not kept,
 * and an absence (null) is never kept.
 */
export class KeptWhileHeard<V> {
  private readonly kept = new Map<string, { value: V; at: number; weight: number }>();
  /** The weights of what is kept, summed. */
  private weight = 0;
  /** Counts forgettings: a read begun before one is not kept. */
  private generation = 0;
  /** Reads made (tests and benches). */
  reads = 0;

  constructor(
    private readonly changes: TableChanges,
    private readonly options: KeptOptions<V>,
  ) {
    changes.onChange(() => {
      this.generation++;
      this.kept.clear();
      this.weight = 0;
    });
  }

  async get(key: string, read: () => Promise<V | null>): Promise<V | null> {
    const copy = this.options.copy ?? ((value: V) => value);
    // Real time, not the domain's clock: tests move that one by days.
    const now = Date.now();
    if (this.changes.listening) {
      const kept = this.kept.get(key);
      if (kept && now - kept.at < this.options.ttlMs) return copy(kept.value);
    }
    const generation = this.generation;
    this.reads++;
    const value = await read();
    if (value !== null && this.changes.listening && generation === this.generation) this.keep(key, copy(value), now);
    return value;
  }

  /** Keeps `value` as the newest, letting the longest kept go past `max`; one heavier than `max` alone is not kept. */
  private keep(key: string, value: V, at: number): void {
    this.drop(key);
    const weight = this.options.weigh?.(value) ?? 1;
    if (weight > this.options.max) return;
    this.kept.set(key, { value, at, weight });
    this.weight += weight;
    // The newest is last: what is dropped first is older, and it is never reached (weight <= max alone).
    for (const oldest of this.kept.keys()) {
      if (this.weight <= this.options.max) break;
      this.drop(oldest);
    }
  }

  private drop(key: string): void {
    const kept = this.kept.get(key);
    if (!kept) return;
    this.kept.delete(key);
    this.weight -= kept.weight;
  }
}
