/**
 * One read by key, asked for by many updates at once, made as one statement: the keys asked for in one
 * turn of the event loop are read together when it ends (`setImmediate`). Under load the bot handles
 * tens of updates per turn, and each update's own statement had been a round trip to PostgreSQL (a
 * write, a wake-up of a server process, a read): at 1,000 updates/s those were a sixth of the bot's
 * thread (#14). Nothing is cached: every load reads what is committed when its batch runs, never before
 * it was asked for.
 */
export class BatchedRead<T> {
  private waiting = new Map<string, Array<Waiter<T>>>();
  private scheduled = false;

  private readonly maxBatch: number;
  private readonly copy?: (row: T) => T;

  constructor(
    /** Reads these keys (distinct, at most `maxBatch`); keys without a row are left out of the map. */
    private readonly readMany: (keys: string[]) => Promise<ReadonlyMap<string, T>>,
    /**
     * `copy`: for rows a caller may change (a person), each caller of a key asked for twice in one turn
     * gets a copy of its own; without it they share the row (immutable values, such as a rule set).
     */
    options: { maxBatch?: number; copy?: (row: T) => T } = {},
  ) {
    this.maxBatch = options.maxBatch ?? 200;
    this.copy = options.copy;
  }

  /** The row of `key`, or undefined; rejects with the statement's error if the read failed. */
  load(key: string): Promise<T | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.waiting.get(key);
      if (waiters) waiters.push({ resolve, reject });
      else this.waiting.set(key, [{ resolve, reject }]);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    const batch = this.waiting;
    this.waiting = new Map();
    this.scheduled = false;
    const keys = [...batch.keys()];
    const copy = this.copy;
    for (let from = 0; from < keys.length; from += this.maxBatch) {
      const part = keys.slice(from, from + this.maxBatch);
      this.readMany(part).then(
        (rows) => {
          for (const key of part) {
            const row = rows.get(key);
            batch.get(key)!.forEach((waiter, i) => waiter.resolve(i === 0 || row === undefined || !copy ? row : copy(row)));
          }
        },
        (error: unknown) => {
          for (const key of part) for (const waiter of batch.get(key)!) waiter.reject(error);
        },
      );
    }
  }
}

interface Waiter<T> {
  resolve(row: T | undefined): void;
  reject(error: unknown): void;
}
