import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { applyMigrations } from '../../scripts/db/migrate';
import { freePort } from '../../scripts/services/free-port';
import { type RunningPostgres, startLocalPostgres } from '../../scripts/services/postgres';
import { type RunningRedis, startRedis } from '../../scripts/services/redis';

/**
 * A PostgreSQL cluster and a Redis server of one fault's own, migrated, that the fault may stop and start
 * again (same folder, same port: the processes' URLs stay valid). The shared test servers other test
 * files use are never touched.
 */
export class OwnServers {
  private postgres?: RunningPostgres;
  private redis?: RunningRedis;

  private constructor(
    private readonly dir: string,
    private readonly postgresPort: number,
  ) {}

  static async start(): Promise<OwnServers> {
    const dir = mkdtempSync(path.join(tmpdir(), 'nmo-fault-'));
    // The cluster runs as the postgres user, which must reach its folder inside this one.
    chmodSync(dir, 0o755);
    const servers = new OwnServers(dir, await freePort());
    try {
      await servers.startPostgres();
      await applyMigrations(servers.databaseUrl);
      servers.redis = await startRedis({ dir: path.join(dir, 'redis') });
    } catch (error) {
      await servers.stop();
      throw error;
    }
    return servers;
  }

  get databaseUrl(): string {
    return `postgresql://postgres@127.0.0.1:${this.postgresPort}/postgres`;
  }

  get redisUrl(): string {
    if (!this.redis) throw new Error('Redis is not running');
    return this.redis.url;
  }

  /** Starts (or starts again) the cluster; its data survive a stop. */
  async startPostgres(): Promise<void> {
    this.postgres = await startLocalPostgres({ dir: path.join(this.dir, 'postgres'), port: this.postgresPort });
  }

  /** `pg_ctl stop -m fast`: sessions are ended at once, as when the server is stopped for maintenance. */
  async stopPostgres(): Promise<void> {
    await this.postgres?.stop();
    this.postgres = undefined;
  }

  async stop(): Promise<void> {
    await this.stopPostgres().catch(() => undefined);
    await this.redis?.stop().catch(() => undefined);
    rmSync(this.dir, { recursive: true, force: true });
  }
}
