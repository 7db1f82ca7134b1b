/**
 * A model's rows read in SQL as Prisma's client would have returned them, for the few reads every update
 * makes (the person behind a chat, their credit entries). Through the client such a read costs about
 * five times the CPU of the same statement prepared once per connection on the pool under it
 * (`sqlPoolOf`), and those reads were a fifth of an update's work (#14).
 *
 * Every column is converted in SQL so that nothing depends on the process's time zone: Prisma keeps UTC
 * in `timestamp` columns and a date as UTC midnight. The record of columns must name every field of the
 * model (TypeScript checks it), and each use has an integration test comparing both reads field by field.
 */
import { type Database, sqlPoolOf } from './database';

export type ColumnKind = 'plain' | 'text' | 'timestamp' | 'date' | 'bytes';
// plain: as pg gives it (text, int, float, jsonb, text[]); text: cast to text (uuid, enum);
// timestamp / date: a Date at the instant Prisma means; bytes: a plain Uint8Array, as Prisma gives it.

export interface PrismaRows<T> {
  /** The select list, e.g. `p."id"::text AS "id", …`, for a table aliased `alias`. */
  columns(alias: string): string;
  /** Runs a statement selecting `columns`, prepared once per connection under `name`, on the pool under `db`. */
  read(db: Database, name: string, text: string, values: unknown[]): Promise<T[]>;
  /**
   * As `read`, for a statement selecting `columns` and then, last, a text column `"rowKey"`: the rows by
   * that key (a batch of reads by key in one statement, see BatchedRead). The key is not left on the row.
   */
  readKeyed(db: Database, name: string, text: string, values: unknown[]): Promise<Map<string, T>>;
}

/** The column a keyed read selects last (`… AS "rowKey"`). */
export const ROW_KEY = 'rowKey';

export function prismaRows<T>(kinds: { readonly [K in keyof T & string]: ColumnKind }): PrismaRows<T> {
  const entries = Object.entries(kinds) as Array<[string, ColumnKind]>;
  const byteColumns = entries.filter(([, kind]) => kind === 'bytes').map(([name]) => name);
  /** A row of `columns` as the model's type. */
  const fromRow = (row: Record<string, unknown>): T => {
    for (const name of byteColumns) {
      const value = row[name];
      if (value !== null) row[name] = new Uint8Array(value as Buffer);
    }
    return row as T;
  };
  return {
    columns(alias) {
      return entries
        .map(([name, kind]) => {
          const column = `${alias}."${name}"`;
          switch (kind) {
            case 'text':
              return `${column}::text AS "${name}"`;
            case 'timestamp':
              return `${column} AT TIME ZONE 'UTC' AS "${name}"`;
            case 'date':
              return `${column}::timestamp AT TIME ZONE 'UTC' AS "${name}"`;
            default:
              return `${column} AS "${name}"`;
          }
        })
        .join(', ');
    },
    async read(db, name, text, values) {
      const { rows } = await sqlPoolOf(db).query<Record<string, unknown>>({ name, text, values });
      return rows.map(fromRow);
    },
    async readKeyed(db, name, text, values) {
      const { rows } = await sqlPoolOf(db).query<Record<string, unknown>>({ name, text, values });
      const byKey = new Map<string, T>();
      for (const row of rows) {
        const key = row[ROW_KEY] as string;
        // The last property added: removing it leaves the row's shape as `read` gives it.
        delete row[ROW_KEY];
        byKey.set(key, fromRow(row));
      }
      return byKey;
    },
  };
}
