import pg from 'pg';
import type { Logger } from './logger';

/** Waits between attempts to listen again after the connection was lost. */
const RETRY_DELAYS_MS = [500, 1000, 2000, 5000, 10_000];
/** How long a connection's own notification may take to come back before it is not relied on. */
const PROBE_TIMEOUT_MS = 5000;

/**
 * What PostgreSQL notifies on one channel (LISTEN), heard on a connection of its own that is opened again
 * whenever it is lost. `listening` holds only while every change committed from now on will be heard: a
 * cache that relies on these notifications serves nothing while it is false, and hears a change each time
 * it turns (whatever was notified while nobody listened is unknown).
 */
export class DatabaseChanges {
  private client?: pg.Client;
  private stopped = false;
  private retryTimer?: NodeJS.Timeout;
  private attempt = 0;
  private wasLost = false;
  private readonly listeners = new Set<() => void>();
  listening = false;

  constructor(
    private readonly connectionString: string,
    private readonly channel: string,
    private readonly logger: Logger,
  ) {
    if (!/^[a-z_][a-z0-9_]*$/.test(channel)) throw new Error(`DatabaseChanges: "${channel}" is not a plain channel name`);
  }

  /** `listener` runs on every notification of the channel and whenever listening starts or stops. */
  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Also listens on every connection `pool` opens from now on (before its first use): a change committed
   * through one of them is then heard on the connection that committed it, right behind the commit's
   * reply, rather than whenever the listening connection is next scheduled. So what this process writes
   * itself is forgotten before its next update is handled (make the pool's connections before any query).
   */
  alsoHearOn(pool: pg.Pool): void {
    const options = (pool as unknown as { options: { onConnect?: (client: pg.PoolClient) => Promise<void> | void } }).options;
    const before = options.onConnect;
    options.onConnect = async (client) => {
      await before?.(client);
      client.on('notification', (message) => {
        if (message.channel === this.channel) this.changed();
      });
      await client.query(`LISTEN ${this.channel}`);
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
      if (message.channel === this.channel && client === this.client && this.listening) this.changed();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${this.channel}`);
      // Heard before relied on: a server that takes LISTEN but delivers nothing keeps `listening` false.
      await this.probe(client);
    } catch (err) {
      this.lost(client, err);
      return;
    }
    if (client !== this.client) return;
    this.attempt = 0;
    if (this.wasLost) this.logger.info({ channel: this.channel }, 'database changes: listening again');
    this.wasLost = false;
    this.setListening(true);
  }

  private probe(client: pg.Client): Promise<void> {
    const payload = `probe:${process.pid}:${Math.random().toString(36).slice(2)}`;
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.off('notification', heard);
        reject(new Error(`no notification heard on ${this.channel} within ${PROBE_TIMEOUT_MS} ms of sending one`));
      }, PROBE_TIMEOUT_MS);
      const heard = (message: pg.Notification) => {
        if (message.channel !== this.channel || message.payload !== payload) return;
        clearTimeout(timer);
        client.off('notification', heard);
        resolve();
      };
      client.on('notification', heard);
      client.query('SELECT pg_notify($1, $2)', [this.channel, payload]).catch((err: unknown) => {
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
    if (!this.wasLost) this.logger.warn({ err, channel: this.channel }, 'database changes: not listening; caches that rely on it are off');
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

  private changed(): void {
    for (const listener of this.listeners) listener();
  }
}
