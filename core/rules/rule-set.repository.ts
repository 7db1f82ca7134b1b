import { isDeepStrictEqual } from 'node:util';
import type { Prisma, RuleSetAssignment, StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { type Database, sqlPoolOf } from '../shared/database';
import { BatchedRead } from '../shared/batched-read';
import { KeptWhileHeard, type TableChanges } from '../shared/kept-while-heard';
import { defaultRuleSetCode, findShippedRuleSet, shippedRuleSets } from './index';
import { parseRuleSet, type RuleSet } from './rule-set.schema';

/**
 * The channel PostgreSQL notifies whenever a statement changes "RuleSet" or "RuleSetAssignment" (the
 * triggers of migration 20261205090000_rule_sets_changed_notifications).
 */
export const RULE_SETS_CHANGED_CHANNEL = 'nmo_rule_sets_changed';

/** How long a person's rule set is served from memory at most (keepWhileHeard), whatever was heard. */
export const RULE_SET_TTL_MS = 600_000;
/** Organization and category pairs kept at most. */
const MAX_KEPT_RULE_SETS = 10_000;

/** A stored version's identity, without its definition. */
interface StoredVersion {
  id: string;
  code: string;
  version: number;
}

/**
 * `forPeople`'s statement: prepared once per connection on the pool under Prisma, since /credits and the
 * history run it for every press (through `$queryRaw` it cost three times the CPU).
 */
const ASSIGNMENTS_AND_VERSIONS = `
  SELECT a."organizationId"::text AS "organizationId", a.category::text AS category, a."ruleSetCode" AS code,
         NULL::text AS id, NULL::int AS version, a."createdAt", a.id::text AS "assignmentId"
    FROM "RuleSetAssignment" a
   WHERE a."organizationId" = ANY($1::uuid[])
  UNION ALL
  SELECT NULL, NULL, r.code, r.id::text, r.version, NULL, NULL
    FROM "RuleSet" r
   WHERE r.code = $2
      OR r.code IN (SELECT "ruleSetCode" FROM "RuleSetAssignment" WHERE "organizationId" = ANY($1::uuid[]))
   ORDER BY "createdAt", "assignmentId"`;

/** A row of `forPeople`'s statement: an assignment (id null) or a stored version. */
interface AssignmentOrVersion {
  organizationId: string | null;
  category: StaffCategory | null;
  code: string;
  id: string | null;
  version: number | null;
}

/** `forPerson`'s batch key: what decides a person's rule set (`organizationId|category`, either may be empty). */
function keyOfPerson(person: { organizationId: string | null; category: StaffCategory | null }): string {
  return `${person.organizationId ?? ''}|${person.category ?? ''}`;
}

function personOfKey(key: string): { organizationId: string | null; category: StaffCategory | null } {
  const [organizationId, category] = key.split('|');
  return { organizationId: organizationId || null, category: (category || null) as StaffCategory | null };
}

export type InstallResult = { ok: true; ruleSet: RuleSet; created: boolean } | { ok: false; errors: string[] };

/** Who a rule set is assigned to: an organization, for one staff category or (null) for everyone else. */
export type RuleSetAssignmentRow = Pick<RuleSetAssignment, 'organizationId' | 'category' | 'ruleSetCode'>;

/** The code that applies to a person: the assignment for their category, else the general one, else the published rule. */
export function assignedRuleSetCode(assignments: readonly RuleSetAssignmentRow[], person: { category: StaffCategory | null }): string {
  const specific = assignments.find((a) => a.category !== null && a.category === person.category);
  const general = assignments.find((a) => a.category === null);
  return (specific ?? general)?.ruleSetCode ?? defaultRuleSetCode;
}

/**
 * Rule sets live in the database, versioned: an admin adds a version without a release, and every
 * evaluation names the version it used. The shipped ones are installed by migration/seed and serve as a
 * fallback when the table is empty, so a fresh database still evaluates.
 */
export class RuleSetRepository {
  /**
   * Parsed definitions by row id. A stored version never changes (`install` refuses other content under
   * an existing version), so a row once parsed is reused, and the engine's compiled form with it (it is
   * cached per rule-set object).
   */
  private readonly parsed = new Map<string, RuleSet>();

  /**
   * `forPerson`'s askers of one turn of the event loop (every /credits and history press asks), answered
   * by one `forPeople`: one statement for all of them. The rule sets are shared, never changed.
   */
  private readonly byPerson = new BatchedRead<RuleSet>(async (keys) => {
    const ruleSets = await this.forPeople(keys.map(personOfKey));
    return new Map(keys.map((key, i) => [key, ruleSets[i]]));
  });

  /** Rule sets by `forPerson`'s key, while changes to the tables are heard (keepWhileHeard). */
  private kept?: KeptWhileHeard<RuleSet>;

  constructor(private readonly db: Database) {}

  /**
   * From now on `forPerson` keeps what it read in memory, by organization and category, forgotten whenever
   * `changes` (RULE_SETS_CHANGED_CHANNEL) hears any statement on the rule-set tables and read afresh while
   * they are not heard. The bot does this: /credits and every history press ask, and assignments change
   * when an admin says so, a few times a year.
   */
  keepWhileHeard(changes: TableChanges): void {
    this.kept = new KeptWhileHeard<RuleSet>(changes, { ttlMs: RULE_SET_TTL_MS, max: MAX_KEPT_RULE_SETS });
  }

  async latest(code: string): Promise<RuleSet | null> {
    return (await this.latestOf([code])).get(code) ?? null;
  }

  /**
   * The newest version of each code (shipped when the table has none of it; absent when unknown). Reads
   * only ids and versions, and the definitions of versions this process has not parsed yet.
   */
  async latestOf(codes: readonly string[]): Promise<Map<string, RuleSet>> {
    const versions = await this.db.ruleSet.findMany({
      where: { code: { in: [...new Set(codes)] } },
      select: { id: true, code: true, version: true },
    });
    return this.newestOf(codes, versions);
  }

  /** Of `versions` (ids and numbers of stored versions), the newest of each code, parsed; shipped when none is stored. */
  private async newestOf(codes: readonly string[], versions: ReadonlyArray<StoredVersion>): Promise<Map<string, RuleSet>> {
    const newest = new Map<string, StoredVersion>();
    for (const row of versions) {
      const seen = newest.get(row.code);
      if (!seen || row.version > seen.version) newest.set(row.code, row);
    }
    const unparsed = [...newest.values()].filter((row) => !this.parsed.has(row.id)).map((row) => row.id);
    if (unparsed.length > 0) {
      const rows = await this.db.ruleSet.findMany({
        where: { id: { in: unparsed } },
        select: { id: true, code: true, version: true, definition: true },
      });
      for (const row of rows) {
        const parsed = parseRuleSet(row.definition);
        // A stored definition was valid when installed; if a newer schema refuses it, say so loudly.
        if (!parsed.ok) throw new Error(`Stored rule set ${row.code} v${row.version} is invalid: ${parsed.errors.join('; ')}`);
        this.parsed.set(row.id, parsed.ruleSet);
      }
    }
    const result = new Map<string, RuleSet>();
    for (const code of codes) {
      const row = newest.get(code);
      const ruleSet = row ? this.parsed.get(row.id) : findShippedRuleSet(code);
      if (ruleSet) result.set(code, ruleSet);
    }
    return result;
  }

  /** The organization's assignment for the category, else its general one, else the published rule. */
  async forPerson(person: { organizationId: string | null; category: StaffCategory | null }): Promise<RuleSet> {
    const key = keyOfPerson(person);
    const read = async () => (await this.byPerson.load(key))!;
    return this.kept ? (await this.kept.get(key, read))! : read();
  }

  /**
   * `forPerson` for many people. One statement reads the organizations' assignments and the versions of
   * every code they name (and of the published rule) together, since /credits asks this for every press;
   * a version this process has not parsed yet costs one more. The nightly sweep resolves a thousand
   * people at a time.
   */
  async forPeople(people: ReadonlyArray<{ organizationId: string | null; category: StaffCategory | null }>): Promise<RuleSet[]> {
    const organizationIds = [...new Set(people.flatMap((p) => (p.organizationId ? [p.organizationId] : [])))];
    const { rows } = await sqlPoolOf(this.db).query<AssignmentOrVersion>({
      name: 'rule-set-assignments-and-versions',
      text: ASSIGNMENTS_AND_VERSIONS,
      values: [organizationIds, defaultRuleSetCode],
    });
    const byOrganization = new Map<string, RuleSetAssignmentRow[]>();
    const versions: StoredVersion[] = [];
    for (const row of rows) {
      if (row.id !== null) {
        versions.push({ id: row.id, code: row.code, version: Number(row.version) });
        continue;
      }
      const list = byOrganization.get(row.organizationId!) ?? [];
      list.push({ organizationId: row.organizationId!, category: row.category, ruleSetCode: row.code });
      byOrganization.set(row.organizationId!, list);
    }
    const codes = people.map((p) =>
      p.organizationId ? assignedRuleSetCode(byOrganization.get(p.organizationId) ?? [], p) : defaultRuleSetCode,
    );
    const latest = await this.newestOf([...new Set([...codes, defaultRuleSetCode])], versions);
    // An assignment naming a code nobody installed falls back to the published rule, as it always did.
    return codes.map((code) => latest.get(code) ?? latest.get(defaultRuleSetCode)!);
  }

  async list(): Promise<Array<{ code: string; version: number; name: string; createdAt: Date }>> {
    return this.db.ruleSet.findMany({
      select: { code: true, version: true, name: true, createdAt: true },
      orderBy: [{ code: 'asc' }, { version: 'desc' }],
    });
  }

  /**
   * Installs a definition after validating it. The same code and version with the same content is a
   * no-op (re-running a seed is safe); a different content under an existing version is refused.
   */
  async install(json: unknown, actor: { type: 'admin' | 'system'; id?: string }): Promise<InstallResult> {
    const parsed = parseRuleSet(json);
    if (!parsed.ok) return parsed;
    const ruleSet = parsed.ruleSet;
    const existing = await this.db.ruleSet.findUnique({ where: { code_version: { code: ruleSet.code, version: ruleSet.version } } });
    if (existing) {
      // PostgreSQL's jsonb reorders keys: compare values, not texts.
      if (isDeepStrictEqual(existing.definition, JSON.parse(JSON.stringify(ruleSet)))) return { ok: true, ruleSet, created: false };
      return { ok: false, errors: [`version: ${ruleSet.code} v${ruleSet.version} exists with other content; raise the version`] };
    }
    const newest = await this.db.ruleSet.findFirst({ where: { code: ruleSet.code }, orderBy: { version: 'desc' } });
    if (newest && newest.version > ruleSet.version) {
      return { ok: false, errors: [`version: must be greater than ${newest.version}, the latest of ${ruleSet.code}`] };
    }
    await this.db.$transaction(async (tx) => {
      await tx.ruleSet.create({
        data: {
          code: ruleSet.code,
          version: ruleSet.version,
          name: ruleSet.name.ru,
          definition: ruleSet as unknown as Prisma.InputJsonObject,
          createdBy: actor.id ?? actor.type,
          creditTypes: {
            create: ruleSet.creditTypes.map((type) => ({
              code: type.code,
              weight: type.weight,
              minQuantity: type.quantity.min,
              maxQuantity: type.quantity.max,
              cap: type.cap ?? null,
            })),
          },
        },
      });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'rule-set.installed',
        subjectType: 'rule_set',
        subjectId: `${ruleSet.code}@${ruleSet.version}`,
        after: ruleSet,
      });
    });
    return { ok: true, ruleSet, created: true };
  }

  async installShipped(): Promise<void> {
    for (const ruleSet of shippedRuleSets) {
      const result = await this.install(ruleSet, { type: 'system' });
      if (!result.ok) throw new Error(`Shipped rule set ${ruleSet.code} refused: ${result.errors.join('; ')}`);
    }
  }

  async assign(organizationId: string, ruleSetCode: string, category: StaffCategory | null): Promise<void> {
    if (!(await this.latest(ruleSetCode))) throw new Error(`Unknown rule set ${ruleSetCode}`);
    const existing = await this.db.ruleSetAssignment.findFirst({ where: { organizationId, category } });
    if (existing) await this.db.ruleSetAssignment.update({ where: { id: existing.id }, data: { ruleSetCode } });
    else await this.db.ruleSetAssignment.create({ data: { organizationId, category, ruleSetCode } });
  }
}
