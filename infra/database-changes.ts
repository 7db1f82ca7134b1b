import pg from 'pg';
import type { TableChanges } from '../core/shared/kept-while-heard';
import type { Logger } from './logger';

/** Waits between attempts to listen again after the connection was lost. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];
/** How long a connection's own notification may take to come back before it is not relied on. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * What PostgreSQL notifies on some channels (LISTEN), heard on one connection of its own that is opened
 * again whenever it is lost. `listening` holds only while every change committed from now on will be
 * heard: a cache that relies on these notifications serves nothing while it is false, and hears a change
 * each time it turns (whatever was notified while nobody listened is unknown).
 */
export class DatabaseChanges {
  private client?: pg.Client;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private wasLost = false;
  private readonly listeners = new Set<{ channel?: string; listener: () => void }>();
  private readonly channels: readonly string[];
  listening = false;

  constructor(
    private readonly connectionString: string,
    channels: string | readonly string[],
    private readonly logger: Logger,
  ) {
    this.channels = typeof channels === 'string' ? [channels] : channels;
    if (this.channels.length === 0) throw new Error('DatabaseChanges: no channel to listen on');
    for (const channel of this.channels) {
      if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`DatabaseChanges: "${channel}" is not a plain channel name`);
    }
  }

  /**
   * `listener` runs on every notification of `channel` (of any channel when none is named) and whenever
   * listening starts or stops.
   */
  onChange(listener: () => void, channel?: string): () => void {
    if (channel !== undefined && !this.channels.includes(channel)) throw new Error(`DatabaseChanges: not listening on "${channel}"`);
    const entry = { channel, listener };
    this.listeners.add(entry);
    return () => this.listeners.delete(entry);
  }

  /** The changes of one channel, for a cache that relies on them (KeptWhileHeard). */
  of(channel: string): TableChanges {
    // Checked now rather than at the first onChange.
    if (!this.channels.includes(channel)) throw new Error(`DatabaseChanges: not listening on "${channel}"`);
    const listening = () => this.listening;
    return {
      get listening() {
        return listening();
      },
      onChange: (listener) => this.onChange(listener, channel),
    };
  }

  /**
   * Also listens on every connection `pool` opens from now on (before its first use): a change committed
   * through one of them is then heard on the connection that committed it, right behind the commit's
   * reply, rather than whenever the listening connection is next scheduled. So what this process writes
   * itself is forgotten before its next update is handled, and before the write returns. Refused once the
   * pool has made a connection: those would not listen.
   */
  alsoHearOn(pool: pg.Pool): void {
    // A connection made before would not listen: a change committed through it would be heard only later.
    if (pool.totalCount > 0) throw new Error('DatabaseChanges.alsoHearOn: the pool has connections already');
    const options = (pool as unknown as { options: { onConnect?: (client: pg.PoolClient) => Promise<void> | void } }).options;
    const before = options.onConnect;
    options.onConnect = async (client) => {
      await before?.(client);
      client.on('notification', (message) => this.changed(message.channel));
      await client.query(this.listenStatements());
    };
  }

  /** Starts listening without waiting for it: until the connection is up, `listening` stays false. */
  start(): void {
    this.stopped = false;
    void this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = undefined;
    this.setListening(false);
    await client?.end().catch(() => undefined);
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({ connectionString: this.connectionString, keepAlive: true });
    this.client = client;
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (client === this.client && this.listening) this.changed(message.channel);
    });
    try {
      await client.connect();
      await client.query(this.listenStatements());
      // Heard before relied on: a server that takes LISTEN but delivers nothing keeps `listening` false.
      await this.probe(client);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (client !== this.client) return;
    this.attempt = 0;
    if (this.wasLost) this.logger.info({ channels: this.channels }, 'database changes: listening again');
    this.wasLost = false;
    this.setListening(true);
  }

  private listenStatements(): string {
    return this.channels.map((channel) => `LISTEN ${channel}`).join('; ');
  }

  /** One channel's notice, sent and heard on this connection (the others share it). */
  private probe(client: pg.Client): Promise<void> {
    const channel = this.channels[0];
    const payload = `probe:${process.pid}:${Math.random().toString(36).slice(2)}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('notification', heard);
        reject(new Error(`no notification heard on ${channel} within ${PROBE_TIMEOUT_MS} ms of sending one`));
      }, PROBE_TIMEOUT_MS);
      const heard = (message: pg.Notification) => {
        if (message.channel !== channel || message.payload !== payload) return;
        clearTimeout(timer);
        client.off('notification', heard);
        resolve();
      };
      client.on('notification', heard);
      client.query('SELECT pg_notify($1, $2)', [channel, payload]).catch((err: unknown) => {
        clearTimeout(timer);
        client.off('notification', heard);
        reject(err instanceof Error ? err : new Error(String(err)));
      });
    });
  }

  private lost(client: pg.Client, err?: unknown): void {
    if (client !== this.client) return;
    this.client = undefined;
    client.removeAllListeners('notification');
    void client.end().catch(() => undefined);
    this.setListening(false);
    if (this.stopped) return;
    if (!this.wasLost)
      this.logger.warn({ err, channels: this.channels }, 'database changes: not listening; caches that rely on it are off');
    this.wasLost = true;
    const delay = RETRY_DELAYS_MS[Math.min(this.attempt++, RETRY_DELAYS_MS.length - 1)];
    this.retryTimer = setTimeout(() => void this.connect(), delay);
    this.retryTimer.unref();
  }

  private setListening(listening: boolean): void {
    if (this.listening === listening) return;
    this.listening = listening;
    this.changed();
  }

  /** Tells the listeners of `channel` (all of them when none is given: listening turned). */
  private changed(channel?: string): void {
    for (const entry of this.listeners) {
      if (channel === undefined || entry.channel === undefined || entry.channel === channel) entry.listener();
    }
  }
}
