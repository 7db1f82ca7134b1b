import { PrismaPg } from '@prisma/adapter-pg';
import {
  ColumnTypeEnum,
  type ConnectionInfo,
  type IsolationLevel,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
  type Transaction,
} from '@prisma/driver-adapter-utils';
import pg from 'pg';

const CHAR_OID = 18;
const TEXT_OID = 25;

/** Which columns of a result set were `"char"`, keyed by its rows (adapter-pg passes them through). */
const charColumnsOf = new WeakMap<unknown[], number[]>();

type PgAdapter = Awaited<ReturnType<PrismaPg['connect']>>;

export interface PgMigrationTarget {
  databaseUrl: string;
  /** An empty database the engine may fill and wipe to replay the migrations (diffs from a migrations
   * folder need one); without it, commands that want a shadow database fail. */
  shadowDatabaseUrl?: string;
}

/** The driver-adapter factory the schema engine runs on: `@prisma/adapter-pg` on one connection per
 * database (the native engine holds one too, and takes a session-level advisory lock on it). */
export class PgMigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = 'postgres';
  readonly adapterName = '@prisma/adapter-pg';
  private readonly pools = new Set<pg.Pool>();

  constructor(private readonly target: PgMigrationTarget) {}

  connect(): Promise<SqlDriverAdapter> {
    return this.open(this.target.databaseUrl);
  }

  // adapter-pg's own connectToShadowDb reconnects to the main database when built from a URL.
  connectToShadowDb(): Promise<SqlDriverAdapter> {
    const { shadowDatabaseUrl } = this.target;
    if (!shadowDatabaseUrl) return Promise.reject(new Error('this command needs a shadow database URL'));
    return this.open(shadowDatabaseUrl);
  }

  /** Closes the connections the engine left open (it does not always dispose of its adapters). */
  async close(): Promise<void> {
    await Promise.all([...this.pools].map((pool) => this.release(pool)));
  }

  private async open(connectionString: string): Promise<SqlDriverAdapter> {
    const pool = passCharAsText(new pg.Pool({ connectionString, max: 1 }));
    this.pools.add(pool);
    try {
      return new MigrationAdapter(await new PrismaPg(pool).connect(), () => this.release(pool));
    } catch (error) {
      await this.release(pool);
      throw error;
    }
  }

  private async release(pool: pg.Pool): Promise<void> {
    if (this.pools.delete(pool)) await pool.end();
  }
}

/** adapter-pg, with two things the engine needs that it lacks: migration scripts reach the server
 * whole, and the catalogs' `"char"` columns come out as characters. */
class MigrationAdapter implements SqlDriverAdapter {
  readonly provider = 'postgres';
  readonly adapterName: string;

  constructor(
    private readonly inner: PgAdapter,
    private readonly release: () => Promise<void>,
  ) {
    this.adapterName = inner.adapterName;
  }

  async queryRaw(query: SqlQuery): Promise<SqlResultSet> {
    const result = await this.inner.queryRaw(query);
    for (const index of charColumnsOf.get(result.rows) ?? []) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  }

  executeRaw(query: SqlQuery): Promise<number> {
    return this.inner.executeRaw(query);
  }

  /** adapter-pg splits scripts at every `;`, which breaks quoted and dollar-quoted ones. A query
   * without parameters goes over the simple protocol, which runs a whole script as one implicit
   * transaction, as the native engine sends it; errors keep adapter-pg's mapping. */
  async executeScript(script: string): Promise<void> {
    await this.inner.executeRaw({ sql: script, args: [], argTypes: [] });
  }

  startTransaction(isolationLevel?: IsolationLevel): Promise<Transaction> {
    return this.inner.startTransaction(isolationLevel);
  }

  getConnectionInfo(): ConnectionInfo {
    return this.inner.getConnectionInfo();
  }

  dispose(): Promise<void> {
    return this.release();
  }
}

/** The engine reads catalog columns of type `"char"` (relkind, contype…), for which adapter-pg has no
 * mapping. Present them as text, which it maps, and note where they were for MigrationAdapter. */
function passCharAsText(pool: pg.Pool): pg.Pool {
  const query = pool.query.bind(pool) as (config: pg.QueryConfig) => Promise<pg.QueryResult | pg.QueryResult[]>;
  pool.query = (async (config: pg.QueryConfig) => {
    const result = await query(config);
    // A script of several statements answers with one result each.
    for (const { fields, rows } of [result].flat()) {
      const charColumns = fields.flatMap((field, index) => (field.dataTypeID === CHAR_OID ? [index] : []));
      if (charColumns.length === 0) continue;
      for (const index of charColumns) fields[index].dataTypeID = TEXT_OID;
      charColumnsOf.set(rows, charColumns);
    }
    return result;
  }) as typeof pool.query;
  return pool;
}
