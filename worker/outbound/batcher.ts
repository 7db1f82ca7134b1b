/**
 * Gathers the calls of concurrent jobs for `maxWaitMs` (or until `maxSize`) and runs them as one:
 * a fan-out then reads and writes the database once per batch instead of once per message. Each caller
 * still awaits its own result, so a job completes only after its own read or write is done.
 */
export class Batcher<In, Out> {
  private pending: Array<{ input: In; resolve: (out: Out) => void; reject: (error: unknown) => void }> = [];
  private timer?: NodeJS.Timeout;

  constructor(
    /** Runs one batch; returns one result per input, in the same order. */
    private readonly run: (inputs: In[]) => Promise<Out[]>,
    private readonly maxWaitMs: number,
    private readonly maxSize: number,
  ) {}

  call(input: In): Promise<Out> {
    return new Promise<Out>((resolve, reject) => {
      this.pending.push({ input, resolve, reject });
      if (this.pending.length >= this.maxSize) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const batch = this.pending;
    this.pending = [];
    this.run(batch.map((b) => b.input)).then(
      (outs) => batch.forEach((b, i) => b.resolve(outs[i])),
      (error: unknown) => batch.forEach((b) => b.reject(error)),
    );
  }
}
