import type { StaffCategory } from '../../generated/prisma/client';
import type { Database, Executor } from '../shared/database';
import type { CreditEntryInput, Evaluation, Verification } from './engine';
import type { IsoDate } from './dates';

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

/** Separators of the entries' text aggregate: control characters, which no stored field holds. */
const RECORD = '\x1e';
const FIELD = '\x1f';

/**
 * The reads and writes of re-evaluation, for many people per statement. Raw SQL on purpose: the nightly
 * sweep reads 50 entries for each of a million people, and Prisma's per-row and per-value work cost five
 * times the rest of the evaluation. Every function serves a batch of one as well as a batch of 2,000.
 */
export class ReevaluationRepository {
  constructor(private readonly db: Database) {}

  /** The linked, not deleted people among these ids. */
  async linkedPeople(ids: readonly string[]): Promise<PersonToEvaluate[]> {
    if (ids.length === 0) return [];
    return this.db.$queryRaw<PersonToEvaluate[]>`
      SELECT id::text AS id, "organizationId"::text AS "organizationId", category::text AS category,
             to_char("lastAccreditationDate", 'YYYY-MM-DD') AS "cycleStart", "timeZone"
      FROM "Person"
      WHERE id = ANY(${[...ids]}::uuid[]) AND "onboardingStep" = 'LINKED' AND "deletedAt" IS NULL
      ORDER BY id`;
  }

  /** The linked, not deleted people with ids from `first` to `last` inclusive (one batch of a sweep). */
  async linkedPeopleBetween(first: string, last: string): Promise<PersonToEvaluate[]> {
    return this.db.$queryRaw<PersonToEvaluate[]>`
      SELECT id::text AS id, "organizationId"::text AS "organizationId", category::text AS category,
             to_char("lastAccreditationDate", 'YYYY-MM-DD') AS "cycleStart", "timeZone"
      FROM "Person"
      WHERE id BETWEEN ${first}::uuid AND ${last}::uuid AND "onboardingStep" = 'LINKED' AND "deletedAt" IS NULL
      ORDER BY id`;
  }

  /** Ids of linked people after `after` (keyset paging in id order), at most `take`. */
  async linkedIdsAfter(after: string | undefined, take: number): Promise<string[]> {
    const rows = after
      ? await this.db.$queryRaw<Array<{ id: string }>>`
          SELECT id::text AS id FROM "Person"
          WHERE id > ${after}::uuid AND "onboardingStep" = 'LINKED' AND "deletedAt" IS NULL
          ORDER BY id LIMIT ${take}`
      : await this.db.$queryRaw<Array<{ id: string }>>`
          SELECT id::text AS id FROM "Person"
          WHERE "onboardingStep" = 'LINKED' AND "deletedAt" IS NULL
          ORDER BY id LIMIT ${take}`;
    return rows.map((row) => row.id);
  }

  /**
   * Entries that are not deleted, per person, as the engine takes them. One text aggregate per person
   * rather than a row per entry: parsing 50 rows through the driver costs far more than splitting a string.
   * The type code goes last with separators replaced by '?', which no rule set's code contains, so a
   * stray control character in a stored code still reads as an unknown type, as it did before.
   */
  async entriesOf(personIds: readonly string[]): Promise<Map<string, CreditEntryInput[]>> {
    const byPerson = new Map<string, CreditEntryInput[]>();
    if (personIds.length === 0) return byPerson;
    const rows = await this.db.$queryRaw<Array<{ personId: string; entries: string }>>`
      SELECT "personId"::text AS "personId",
             string_agg(concat_ws(chr(31), id, quantity, to_char("occurredOn", 'YYYY-MM-DD'), verification,
                                  translate("creditTypeCode", chr(30) || chr(31), '??')), chr(30)) AS entries
      FROM "CreditEntry"
      WHERE "personId" = ANY(${[...personIds]}::uuid[]) AND "deletedAt" IS NULL
      GROUP BY "personId"`;
    for (const row of rows) {
      const records = row.entries.split(RECORD);
      const entries: CreditEntryInput[] = new Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const [id, quantity, date, verification, typeCode] = records[i].split(FIELD);
        entries[i] = { id, typeCode, quantity: Number(quantity), date, verification: verification as Verification };
      }
      byPerson.set(row.personId, entries);
    }
    return byPerson;
  }

  async snapshotsOf(personIds: readonly string[]): Promise<Map<string, PreviousSnapshot>> {
    if (personIds.length === 0) return new Map();
    const rows = await this.db.$queryRaw<Array<PreviousSnapshot & { personId: string }>>`
      SELECT "personId"::text AS "personId", "ruleSetCode", met, "behindPace", "daysLeft",
             result -> 'period' ->> 'start' AS "periodStart"
      FROM "StatusSnapshot"
      WHERE "personId" = ANY(${[...personIds]}::uuid[])`;
    return new Map(rows.map(({ personId, ...snapshot }) => [personId, snapshot]));
  }

  /**
   * Upserts snapshots in one statement and returns how many rows changed. A snapshot equal to the stored
   * one is not written at all (a retried batch, a second evaluation the same day), so its `updatedAt` says
   * when it last changed. The rows travel as one JSON document: no array literal to escape per value.
   */
  static async writeSnapshots(executor: Executor, rows: readonly SnapshotRow[], now: Date): Promise<number> {
    if (rows.length === 0) return 0;
    return executor.$executeRaw`
      INSERT INTO "StatusSnapshot" ("personId", "ruleSetCode", "ruleSetVersion", "asOf", met, "behindPace", "daysLeft", result, "updatedAt")
      SELECT s."personId"::uuid, s."ruleSetCode", s."ruleSetVersion", s."asOf"::date, s.met, s."behindPace", s."daysLeft", s.result,
             ${now.toISOString()}::timestamptz AT TIME ZONE 'UTC'
      FROM json_to_recordset(${JSON.stringify(rows)}::json) AS s(
        "personId" text, "ruleSetCode" text, "ruleSetVersion" int, "asOf" text, met boolean, "behindPace" boolean, "daysLeft" int, result jsonb)
      ON CONFLICT ("personId") DO UPDATE SET
        "ruleSetCode" = EXCLUDED."ruleSetCode", "ruleSetVersion" = EXCLUDED."ruleSetVersion", "asOf" = EXCLUDED."asOf",
        met = EXCLUDED.met, "behindPace" = EXCLUDED."behindPace", "daysLeft" = EXCLUDED."daysLeft", result = EXCLUDED.result,
        "updatedAt" = EXCLUDED."updatedAt"
      WHERE ("StatusSnapshot"."ruleSetCode", "StatusSnapshot"."ruleSetVersion", "StatusSnapshot"."asOf", "StatusSnapshot".met,
             "StatusSnapshot"."behindPace", "StatusSnapshot"."daysLeft", "StatusSnapshot".result)
        IS DISTINCT FROM (EXCLUDED."ruleSetCode", EXCLUDED."ruleSetVersion", EXCLUDED."asOf", EXCLUDED.met,
             EXCLUDED."behindPace", EXCLUDED."daysLeft", EXCLUDED.result)`;
  }
}
