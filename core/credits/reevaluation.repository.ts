import type pg from 'pg';
import type { StaffCategory } from '../../generated/prisma/client';
import { NotificationsService, type NotificationRequest } from '../notifications/notifications.service';
import { type Database, sqlPoolOf } from '../shared/database';
import type { IsoDate } from '../shared/dates';
import type { Evaluation } from './engine';
import { AggregatedEntries } from './entries-aggregate';

/** What evaluating a linked person needs to know about them. */
export interface PersonToEvaluate {
  id: string;
  organizationId: string | null;
  category: StaffCategory | null;
  /** The last accreditation (start of the cycle), as a calendar date. */
  cycleStart: IsoDate | null;
  timeZone: string;
}

/** The stored snapshot as far as threshold detection reads it. */
export interface PreviousSnapshot {
  ruleSetCode: string;
  met: boolean;
  behindPace: boolean;
  daysLeft: number;
  /** `result.period.start`: a snapshot of another period says nothing about this one. */
  periodStart: string | null;
}

export interface SnapshotRow {
  personId: string;
  ruleSetCode: string;
  ruleSetVersion: number;
  asOf: IsoDate;
  met: boolean;
  behindPace: boolean;
  daysLeft: number;
  result: Evaluation;
}

const PERSON_COLUMNS = `id::text AS id, "organizationId"::text AS "organizationId", category::text AS category,
  to_char("lastAccreditationDate", 'YYYY-MM-DD') AS "cycleStart", "timeZone"`;
const LINKED = `"onboardingStep" = 'LINKED' AND "deletedAt" IS NULL`;

/**
 * A snapshot equal to the stored one is not written at all (a retried batch, a second evaluation the
 * same day), so its `updatedAt` says when it last changed. Rows arrive as one JSON document: no array
 * literal to build and escape per value. `updatedAt` is UTC, as Prisma stores it.
 */
const UPSERT_SNAPSHOTS = `
  INSERT INTO "StatusSnapshot" ("personId", "ruleSetCode", "ruleSetVersion", "asOf", met, "behindPace", "daysLeft", result, "updatedAt")
  SELECT s."personId"::uuid, s."ruleSetCode", s."ruleSetVersion", s."asOf"::date, s.met, s."behindPace", s."daysLeft", s.result,
         $2::timestamptz AT TIME ZONE 'UTC'
  FROM json_to_recordset($1::json) AS s(
    "personId" text, "ruleSetCode" text, "ruleSetVersion" int, "asOf" text, met boolean, "behindPace" boolean, "daysLeft" int, result jsonb)
  ON CONFLICT ("personId") DO UPDATE SET
    "ruleSetCode" = EXCLUDED."ruleSetCode", "ruleSetVersion" = EXCLUDED."ruleSetVersion", "asOf" = EXCLUDED."asOf",
    met = EXCLUDED.met, "behindPace" = EXCLUDED."behindPace", "daysLeft" = EXCLUDED."daysLeft", result = EXCLUDED.result,
    "updatedAt" = EXCLUDED."updatedAt"
  WHERE ("StatusSnapshot"."ruleSetCode", "StatusSnapshot"."ruleSetVersion", "StatusSnapshot"."asOf", "StatusSnapshot".met,
         "StatusSnapshot"."behindPace", "StatusSnapshot"."daysLeft", "StatusSnapshot".result)
    IS DISTINCT FROM (EXCLUDED."ruleSetCode", EXCLUDED."ruleSetVersion", EXCLUDED."asOf", EXCLUDED.met,
         EXCLUDED."behindPace", EXCLUDED."daysLeft", EXCLUDED.result)`;

/**
 * `NotificationsService.writeInTransaction` in SQL, for rows made by `NotificationsService.rowsOf` (so
 * the key and payload are the service's): a repeated idempotency key is skipped. Ids are random UUIDs
 * as Prisma's `uuid()` makes them; the other columns keep their defaults (PENDING, the next sequence).
 */
const INSERT_NOTIFICATIONS = `
  INSERT INTO "Notification" (id, "idempotencyKey", "personId", kind, "subjectId", "dueAt", payload)
  SELECT gen_random_uuid(), n."idempotencyKey", n."personId"::uuid, n.kind, n."subjectId", n."dueAt"::timestamptz AT TIME ZONE 'UTC', n.payload
  FROM json_to_recordset($1::json) AS n("idempotencyKey" text, "personId" text, kind text, "subjectId" text, "dueAt" text, payload jsonb)
  ON CONFLICT ("idempotencyKey") DO NOTHING`;

/**
 * The reads and writes of re-evaluation, for many people per statement, in SQL on the pool under Prisma
 * (`sqlPoolOf`): the nightly sweep reads 50 entries for each of a million people and writes every
 * snapshot, and through Prisma's client that cost more CPU and memory than the evaluation itself. Every
 * function serves a batch of one as well as a batch of 2,000.
 */
export class ReevaluationRepository {
  constructor(private readonly db: Database) {}

  private get pool(): pg.Pool {
    return sqlPoolOf(this.db);
  }

  /** The linked, not deleted people among these ids. */
  async linkedPeople(ids: readonly string[]): Promise<PersonToEvaluate[]> {
    if (ids.length === 0) return [];
    const { rows } = await this.pool.query<PersonToEvaluate>(
      `SELECT ${PERSON_COLUMNS} FROM "Person" WHERE id = ANY($1::uuid[]) AND ${LINKED} ORDER BY id`,
      [ids],
    );
    return rows;
  }

  /** The linked, not deleted people with ids from `first` to `last` inclusive (one batch of a sweep). */
  async linkedPeopleBetween(first: string, last: string): Promise<PersonToEvaluate[]> {
    const { rows } = await this.pool.query<PersonToEvaluate>(
      `SELECT ${PERSON_COLUMNS} FROM "Person" WHERE id BETWEEN $1::uuid AND $2::uuid AND ${LINKED} ORDER BY id`,
      [first, last],
    );
    return rows;
  }

  /** Ids of linked people after `after` (keyset paging in id order), at most `take`. */
  async linkedIdsAfter(after: string | undefined, take: number): Promise<string[]> {
    const { rows } = await this.pool.query<[string]>({
      text: `SELECT id::text FROM "Person" WHERE ($1::uuid IS NULL OR id > $1::uuid) AND ${LINKED} ORDER BY id LIMIT $2`,
      values: [after ?? null, take],
      rowMode: 'array',
    });
    return rows.map((row) => row[0]);
  }

  /**
   * Entries that are not deleted, per person, as the engine takes them: one text aggregate per person
   * (see entries-aggregate.ts) rather than a row per entry, which costs five times the client CPU and
   * most of a batch's memory.
   */
  async entriesOf(personIds: readonly string[]): Promise<AggregatedEntries> {
    if (personIds.length === 0) return new AggregatedEntries(new Map());
    const { rows } = await this.pool.query<[string, string]>({
      text: `
        SELECT "personId"::text,
               string_agg(id::text || verification::text || chr(31) || ("occurredOn" - DATE '1970-01-01') || chr(31) || quantity
                          || chr(31) || translate("creditTypeCode", chr(30) || chr(31), '??'), chr(30))
        FROM "CreditEntry"
        WHERE "personId" = ANY($1::uuid[]) AND "deletedAt" IS NULL
        GROUP BY "personId"`,
      values: [personIds],
      rowMode: 'array',
    });
    return new AggregatedEntries(new Map(rows));
  }

  async snapshotsOf(personIds: readonly string[]): Promise<Map<string, PreviousSnapshot>> {
    if (personIds.length === 0) return new Map();
    const { rows } = await this.pool.query<PreviousSnapshot & { personId: string }>(
      `SELECT "personId"::text AS "personId", "ruleSetCode", met, "behindPace", "daysLeft", result -> 'period' ->> 'start' AS "periodStart"
       FROM "StatusSnapshot" WHERE "personId" = ANY($1::uuid[])`,
      [personIds],
    );
    return new Map(rows.map(({ personId, ...snapshot }) => [personId, snapshot]));
  }

  /**
   * One snapshot as `store` takes it. Made as soon as a person is evaluated, so that a batch holds a
   * string per person rather than the evaluation's object tree until the write.
   */
  static snapshotJson(row: SnapshotRow): string {
    return JSON.stringify(row);
  }

  /**
   * Upserts the snapshots (`snapshotJson` of each) and creates the notifications, in one transaction:
   * a batch that fails half way leaves the old snapshots, so its retry finds the same crossings and the
   * idempotency keys keep it from notifying twice. Returns how many snapshots changed and the keys to queue.
   */
  async store(
    snapshots: readonly string[],
    notifications: readonly NotificationRequest[],
    now: Date,
  ): Promise<{ written: number; keys: string[] }> {
    if (snapshots.length === 0 && notifications.length === 0) return { written: 0, keys: [] };
    const document = `[${snapshots.join(',')}]`;
    if (notifications.length === 0) {
      const { rowCount } = await this.pool.query(UPSERT_SNAPSHOTS, [document, now.toISOString()]);
      return { written: rowCount ?? 0, keys: [] };
    }
    const rows = NotificationsService.rowsOf(notifications).map((n) => ({
      idempotencyKey: n.idempotencyKey,
      personId: n.personId,
      kind: n.kind,
      subjectId: n.subjectId,
      dueAt: n.dueAt,
      payload: n.payload,
    }));
    const client = await this.pool.connect();
    let failure: Error | undefined;
    try {
      await client.query('BEGIN');
      const { rowCount } = await client.query(UPSERT_SNAPSHOTS, [document, now.toISOString()]);
      await client.query(INSERT_NOTIFICATIONS, [JSON.stringify(rows)]);
      await client.query('COMMIT');
      return { written: rowCount ?? 0, keys: rows.map((n) => n.idempotencyKey) };
    } catch (error) {
      failure = error instanceof Error ? error : new Error(String(error));
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      // A connection that failed mid-transaction is closed rather than handed to the next query.
      client.release(failure);
    }
  }
}
