import { createHash, randomBytes } from 'node:crypto';
import type { Organization, Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import type { ImportActor } from './import-report';

/** Who acts for an organization: a linked person holding its ADMIN role. */
export interface OrgAdmin {
  organization: Organization;
  person: Person;
}

export type GrantOutcome =
  | { ok: true; rosterEntryId: string; personId: string | null; fullName: string; changed: boolean }
  | { ok: false; reason: 'roster-entry-unknown' };

export type IssueKeyOutcome =
  { ok: true; id: string; key: string; personId: string } | { ok: false; reason: 'roster-entry-unknown' | 'not-linked' | 'not-admin' };

export interface AdminListing {
  externalId: string;
  fullName: string;
  personId: string | null;
  linked: boolean;
  keys: Array<{ id: string; label: string | null; createdAt: Date; lastUsedAt: Date | null }>;
}

/** Why a role or key request was refused, in the words the admin API and the CLI both answer with. */
export const ADMIN_REFUSALS: Record<'roster-entry-unknown' | 'not-linked' | 'not-admin', string> = {
  'roster-entry-unknown': 'no roster entry with this табельный номер in the organization',
  'not-linked': 'the person of this roster entry has not linked the bot yet: the role goes to a linked person',
  'not-admin': 'this person does not hold the ADMIN role; grant it first',
};

/** Prefix that makes a leaked key recognisable in logs and secret scanners. */
const KEY_PREFIX = 'nmoorg_';

/**
 * The ADMIN role of an organization (R-ORG access): granted to a linked person by the platform operator
 * (admin API with ADMIN_API_TOKEN, or the CLI), and API keys that let that person use the admin API for
 * their organization only. A key works only while its person still holds the role in that organization,
 * so revoking the role revokes every key at once.
 */
export class OrgAdminsService {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
  ) {}

  /** The organization a person administers, or null: not an admin, not linked, or erased. */
  async adminOf(personId: string): Promise<OrgAdmin | null> {
    const person = await this.db.person.findUnique({ where: { id: personId }, include: { organization: true } });
    if (!person || person.deletedAt || person.orgRole !== 'ADMIN' || person.onboardingStep !== 'LINKED' || !person.organization)
      return null;
    const { organization, ...rest } = person;
    return { organization, person: rest };
  }

  /** Roster entries holding the role (linked or not yet), with their active keys. */
  async list(organizationId: string): Promise<AdminListing[]> {
    const entries = await this.db.rosterEntry.findMany({
      where: { organizationId, role: 'ADMIN' },
      include: { person: { include: { adminApiKeys: { where: { revokedAt: null }, orderBy: { createdAt: 'asc' } } } } },
      orderBy: { fullName: 'asc' },
    });
    return entries.map((e) => {
      const person = e.person && !e.person.deletedAt ? e.person : null;
      return {
        externalId: e.externalId,
        fullName: e.fullName,
        personId: person?.id ?? null,
        linked: person !== null,
        keys: (person?.adminApiKeys ?? []).map((k) => ({ id: k.id, label: k.label, createdAt: k.createdAt, lastUsedAt: k.lastUsedAt })),
      };
    });
  }

  /** Gives the ADMIN role to a roster entry (табельный номер): its person now, or when they link. */
  async grant(organizationId: string, externalId: string, actor: ImportActor): Promise<GrantOutcome> {
    return this.setRole(organizationId, externalId, 'ADMIN', actor);
  }

  /** Takes the role back; the person's keys stop working on the next request. */
  async revoke(organizationId: string, externalId: string, actor: ImportActor): Promise<GrantOutcome> {
    const outcome = await this.setRole(organizationId, externalId, 'MEMBER', actor);
    if (outcome.ok && outcome.personId)
      await this.db.adminApiKey.updateMany({
        where: { personId: outcome.personId, revokedAt: null },
        data: { revokedAt: this.clock.now() },
      });
    return outcome;
  }

  /** A new API key for an admin; the key is returned once and only its hash is kept. */
  async issueKey(organizationId: string, externalId: string, label: string | null, actor: ImportActor): Promise<IssueKeyOutcome> {
    const person = await this.linkedPerson(organizationId, externalId);
    if (!person.ok) return person;
    if (person.person.orgRole !== 'ADMIN') return { ok: false, reason: 'not-admin' };
    const key = KEY_PREFIX + randomBytes(24).toString('base64url');
    const created = await this.db.$transaction(async (tx) => {
      const row = await tx.adminApiKey.create({
        data: {
          organizationId,
          personId: person.person.id,
          keyHash: hashKey(key),
          label: label?.trim() || null,
          createdAt: this.clock.now(),
        },
      });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'admin-key.issued',
        subjectType: 'admin-api-key',
        subjectId: row.id,
        after: { organizationId, personId: row.personId, label: row.label },
      });
      return row;
    });
    return { ok: true, id: created.id, key, personId: person.person.id };
  }

  async revokeKey(organizationId: string, keyId: string, actor: ImportActor): Promise<boolean> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.adminApiKey.updateMany({
        where: { id: keyId, organizationId, revokedAt: null },
        data: { revokedAt: now },
      });
      if (count > 0)
        await recordAudit(tx, {
          actorType: actor.type,
          actorId: actor.id,
          action: 'admin-key.revoked',
          subjectType: 'admin-api-key',
          subjectId: keyId,
        });
      return count > 0;
    });
  }

  /** The admin behind an API key, or null when the key is unknown, revoked, or its person lost the role. */
  async authenticate(key: string): Promise<OrgAdmin | null> {
    if (!key.startsWith(KEY_PREFIX) || key.length > 100) return null;
    const row = await this.db.adminApiKey.findUnique({ where: { keyHash: hashKey(key) } });
    if (!row || row.revokedAt) return null;
    const admin = await this.adminOf(row.personId);
    if (!admin || admin.organization.id !== row.organizationId) return null;
    await this.db.adminApiKey.update({ where: { id: row.id }, data: { lastUsedAt: this.clock.now() } });
    return admin;
  }

  /**
   * The role lives on the roster entry (the organization's record, so a person who links later gets it)
   * and on the linked person, if any.
   */
  private async setRole(organizationId: string, externalId: string, role: 'ADMIN' | 'MEMBER', actor: ImportActor): Promise<GrantOutcome> {
    const entry = await this.rosterEntry(organizationId, externalId);
    if (!entry) return { ok: false, reason: 'roster-entry-unknown' };
    const person = entry.person && !entry.person.deletedAt && entry.person.organizationId === organizationId ? entry.person : null;
    const before = { role: entry.role, personRole: person?.orgRole ?? null };
    if (entry.role === role && (!person || person.orgRole === role)) {
      return { ok: true, rosterEntryId: entry.id, personId: person?.id ?? null, fullName: entry.fullName, changed: false };
    }
    await this.db.$transaction(async (tx) => {
      await tx.rosterEntry.update({ where: { id: entry.id }, data: { role } });
      if (person) await tx.person.update({ where: { id: person.id }, data: { orgRole: role } });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: role === 'ADMIN' ? 'org-admin.granted' : 'org-admin.revoked',
        subjectType: 'roster_entry',
        subjectId: entry.id,
        before,
        after: { role, personRole: person ? role : null },
      });
    });
    return { ok: true, rosterEntryId: entry.id, personId: person?.id ?? null, fullName: entry.fullName, changed: true };
  }

  private rosterEntry(organizationId: string, externalId: string) {
    return this.db.rosterEntry.findUnique({
      where: { organizationId_externalId: { organizationId, externalId: externalId.trim() } },
      include: { person: true },
    });
  }

  private async linkedPerson(
    organizationId: string,
    externalId: string,
  ): Promise<{ ok: true; person: Person } | { ok: false; reason: 'roster-entry-unknown' | 'not-linked' }> {
    const entry = await this.rosterEntry(organizationId, externalId);
    if (!entry) return { ok: false, reason: 'roster-entry-unknown' };
    const person = entry.person;
    if (!person || person.deletedAt || person.organizationId !== organizationId || person.onboardingStep !== 'LINKED')
      return { ok: false, reason: 'not-linked' };
    return { ok: true, person };
  }
}

function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}
