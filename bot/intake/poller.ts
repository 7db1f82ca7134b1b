import { GrammyError, type Api } from 'grammy';
import type { Update } from 'grammy/types';
import type { Logger } from '../../infra/logger';
import type { OutageNotices } from './outage-notices';
import type { ShardLeases } from './shard-leases';
import type { RecordOutcome } from './update-log';

/**
 * Long polling that loses nothing: a batch from getUpdates is recorded in the update log before the
 * next getUpdates confirms it (Telegram forgets updates below the offset it is given). Only the
 * process holding the poller lease polls; the others only consume. If the log cannot take a batch,
 * the offset stays and the same batch is fetched again later.
 */
export class Poller {
  private offset = 0;
  private stopping = false;
  private abort?: AbortController;
  private done?: Promise<void>;
  private failing = false;

  constructor(
    private readonly api: Api,
    private readonly leases: ShardLeases,
    private readonly record: (updates: readonly Update[]) => Promise<RecordOutcome[]>,
    private readonly notices: OutageNotices,
    private readonly logger: Logger,
    private readonly allowedUpdates: readonly string[],
    private readonly timeoutSeconds = 25,
  ) {}

  start(): void {
    this.done = this.loop();
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort?.abort();
    await this.done;
  }

  private async loop(): Promise<void> {
    while (!this.stopping) {
      if (!this.leases.holdsPoller()) {
        await sleep(500);
        continue;
      }
      let updates: Update[];
      try {
        this.abort = new AbortController();
        updates = await this.api.getUpdates(
          { offset: this.offset, limit: 100, timeout: this.timeoutSeconds, allowed_updates: this.allowedUpdates as never },
          this.abort.signal as Parameters<Api['getUpdates']>[1],
        );
      } catch (err) {
        if (this.stopping) break;
        this.failed('getUpdates failed', err);
        // 409: another getUpdates or a webhook is active (a replica that has not let go yet).
        await sleep(err instanceof GrammyError && err.error_code === 409 ? 5000 : 2000);
        continue;
      }
      if (updates.length === 0) continue;
      try {
        await this.record(updates);
        this.offset = updates[updates.length - 1].update_id + 1;
        this.recovered();
      } catch (err) {
        this.failed('updates not recorded; fetching them again later', err);
        for (const update of updates) await this.notices.tellAbout(update);
        await sleep(2000);
      }
    }
  }

  private failed(what: string, err: unknown): void {
    if (!this.failing) this.logger.warn({ err }, `polling: ${what}`);
    this.failing = true;
  }

  private recovered(): void {
    if (this.failing) this.logger.info('polling: working again');
    this.failing = false;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
