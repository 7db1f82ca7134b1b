import { Prisma, type Organization, type StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import type { ImportActor } from './import-report';

/** Codes people type when linking: Latin capitals and digits, so no Cyrillic look-alike can confuse them. */
export const ORGANIZATION_CODE = /^[A-Z0-9][A-Z0-9_-]{1,31}$/;

export interface NewOrganization {
  code: string;
  name: string;
  contacts?: string | null;
}

export interface OrganizationOverview {
  id: string;
  code: string;
  name: string;
  contacts: string | null;
  createdAt: Date;
  roster: { total: number; linked: number };
  invites: { active: number };
  ruleSets: Array<{ category: StaffCategory | null; ruleSetCode: string }>;
}

export type CreateOutcome = { ok: true; organization: Organization } | { ok: false; reason: 'code-format' | 'code-taken' | 'name-empty' };
export type AssignOutcome = { ok: true } | { ok: false; reason: 'rule-set-unknown' };

/** Organizations as their admins manage them: create, look up, and choose the rule sets that apply. */
export class OrganizationsService {
  constructor(
    private readonly db: Database,
    private readonly ruleSets: RuleSetRepository,
    private readonly clock: Clock,
  ) {}

  /** Codes are compared in upper case, the way onboarding reads what people type. */
  static normaliseCode(code: string): string {
    return code.trim().toUpperCase();
  }

  async findByCode(code: string): Promise<Organization | null> {
    const normalised = OrganizationsService.normaliseCode(code);
    if (!ORGANIZATION_CODE.test(normalised)) return null;
    return this.db.organization.findUnique({ where: { code: normalised } });
  }

  async create(input: NewOrganization, actor: ImportActor): Promise<CreateOutcome> {
    const code = OrganizationsService.normaliseCode(input.code);
    if (!ORGANIZATION_CODE.test(code)) return { ok: false, reason: 'code-format' };
    const name = input.name.replace(/\s+/g, ' ').trim();
    if (!name) return { ok: false, reason: 'name-empty' };
    try {
      const organization = await this.db.$transaction(async (tx) => {
        const created = await tx.organization.create({
          data: { code, name, contacts: input.contacts?.trim() || null, createdAt: this.clock.now() },
        });
        await recordAudit(tx, {
          actorType: actor.type,
          actorId: actor.id,
          action: 'organization.created',
          subjectType: 'organization',
          subjectId: created.id,
          after: created,
        });
        return created;
      });
      return { ok: true, organization };
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return { ok: false, reason: 'code-taken' };
      throw error;
    }
  }

  async overview(organization: Organization): Promise<OrganizationOverview> {
    const where = { organizationId: organization.id };
    const [total, linked, active, assignments] = await Promise.all([
      this.db.rosterEntry.count({ where }),
      this.db.rosterEntry.count({ where: { ...where, personId: { not: null } } }),
      this.db.inviteCode.count({ where: { ...where, usedAt: null, expiresAt: { gt: this.clock.now() } } }),
      this.db.ruleSetAssignment.findMany({ where, orderBy: { createdAt: 'asc' } }),
    ]);
    return {
      id: organization.id,
      code: organization.code,
      name: organization.name,
      contacts: organization.contacts,
      createdAt: organization.createdAt,
      roster: { total, linked },
      invites: { active },
      ruleSets: assignments.map((a) => ({ category: a.category, ruleSetCode: a.ruleSetCode })),
    };
  }

  /** Chooses the rule set for the organization, or for one category of its staff (null: all others). */
  async assignRuleSet(
    organization: Organization,
    ruleSetCode: string,
    category: StaffCategory | null,
    actor: ImportActor,
  ): Promise<AssignOutcome> {
    if (!(await this.ruleSets.latest(ruleSetCode))) return { ok: false, reason: 'rule-set-unknown' };
    const before = await this.db.ruleSetAssignment.findFirst({ where: { organizationId: organization.id, category } });
    await this.ruleSets.assign(organization.id, ruleSetCode, category);
    await recordAudit(this.db, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'rule-set.assigned',
      subjectType: 'organization',
      subjectId: organization.id,
      before: before ? { category: before.category, ruleSetCode: before.ruleSetCode } : undefined,
      after: { category, ruleSetCode },
    });
    return { ok: true };
  }
}
