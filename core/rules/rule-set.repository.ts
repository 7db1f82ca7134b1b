import { isDeepStrictEqual } from 'node:util';
import type { Prisma, StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { Database } from '../shared/database';
import { defaultRuleSetCode, findShippedRuleSet, shippedRuleSets } from './index';
import { parseRuleSet, type RuleSet } from './rule-set.schema';

export type InstallResult = { ok: true; ruleSet: RuleSet; created: boolean } | { ok: false; errors: string[] };

/**
 * Rule sets live in the database, versioned: an admin adds a version without a release, and every
 * evaluation names the version it used. The shipped ones are installed by migration/seed and serve as a
 * fallback when the table is empty, so a fresh database still evaluates.
 */
export class RuleSetRepository {
  private readonly cache = new Map<string, { version: number; ruleSet: RuleSet }>();

  constructor(private readonly db: Database) {}

  async latest(code: string): Promise<RuleSet | null> {
    // The version alone first: the definition is a large JSON document that, once parsed, is cached.
    // Fetching it on every /credits cost PostgreSQL and the bot more than the rest of the answer.
    const newest = await this.db.ruleSet.findFirst({ where: { code }, orderBy: { version: 'desc' }, select: { version: true } });
    if (!newest) return findShippedRuleSet(code) ?? null;
    const cached = this.cache.get(code);
    if (cached && cached.version === newest.version) return cached.ruleSet;
    const row = await this.db.ruleSet.findUnique({ where: { code_version: { code, version: newest.version } } });
    if (!row) return this.latest(code); // replaced between the two reads: read again
    const parsed = parseRuleSet(row.definition);
    // A stored definition was valid when installed; if a newer schema refuses it, say so loudly.
    if (!parsed.ok) throw new Error(`Stored rule set ${code} v${row.version} is invalid: ${parsed.errors.join('; ')}`);
    this.cache.set(code, { version: row.version, ruleSet: parsed.ruleSet });
    return parsed.ruleSet;
  }

  /** The organization's assignment for the category, else its general one, else the published rule. */
  async forPerson(person: { organizationId: string | null; category: StaffCategory | null }): Promise<RuleSet> {
    let code = defaultRuleSetCode;
    if (person.organizationId) {
      const assignments = await this.db.ruleSetAssignment.findMany({ where: { organizationId: person.organizationId } });
      const specific = assignments.find((a) => a.category !== null && a.category === person.category);
      const general = assignments.find((a) => a.category === null);
      code = (specific ?? general)?.ruleSetCode ?? defaultRuleSetCode;
    }
    return (await this.latest(code)) ?? (await this.latest(defaultRuleSetCode))!;
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
