import { IMPORT_TRANSACTION } from './import-lock';
import { Prisma } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { generateInviteCode, inviteCodeHash, normaliseInviteCode } from '../linking/invite-codes';
import type { PersonalDataCipher } from '../people/personal-data';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import type { ImportActor } from './import-report';

export const DEFAULT_INVITE_DAYS = 30;
export const MAX_INVITE_DAYS = 365;

export interface IssueRequest {
  /** The bot's @username (with or without the @), for the deep link. */
  botUsername: string;
  /** Roster entries to issue for by табельный номер; absent: every entry not linked yet. */
  externalIds?: readonly string[];
  /** How long the codes stay valid, 1–365 days; 30 by default. */
  validForDays?: number;
}

/** A code as the organization hands it to one employee: shown once, never stored in the clear. */
export interface IssuedInvite {
  externalId: string;
  fullName: string;
  code: string;
  link: string;
  expiresAt: Date;
}

export interface IssueResult {
  invites: IssuedInvite[];
  /** Табельные номера asked for that the roster does not have. */
  notFound: string[];
  /** Asked for but already linked: a code would be of no use. */
  alreadyLinked: string[];
}

export class InviteRequestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InviteRequestError';
  }
}

const BOT_USERNAME = /^[A-Za-z][A-Za-z0-9_]{3,31}$/;

/**
 * One-time confirmation codes for roster entries (R-LINK). Only a keyed hash is stored: the plaintext
 * is returned once, with the deep link that carries it. Issuing a new code for an entry revokes its
 * earlier unused ones, so a lost sheet of paper is replaced, not added to.
 */
export class InvitesService {
  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly clock: Clock,
  ) {}

  async issue(organizationId: string, request: IssueRequest, actor: ImportActor): Promise<IssueResult> {
    const botUsername = request.botUsername.replace(/^@/, '');
    if (!BOT_USERNAME.test(botUsername)) throw new InviteRequestError(`"${request.botUsername}" is not a Telegram bot username`);
    const days = request.validForDays ?? DEFAULT_INVITE_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_INVITE_DAYS)
      throw new InviteRequestError(`validForDays must be a whole number from 1 to ${MAX_INVITE_DAYS}`);

    const wanted = request.externalIds ? [...new Set(request.externalIds.map((id) => id.trim()))] : null;
    const entries = await this.db.rosterEntry.findMany({
      where: { organizationId, ...(wanted ? { externalId: { in: wanted } } : { personId: null }) },
      orderBy: { externalId: 'asc' },
    });
    const known = new Set(entries.map((entry) => entry.externalId));
    const notFound = wanted ? wanted.filter((id) => !known.has(id)) : [];
    const alreadyLinked = entries.filter((entry) => entry.personId).map((entry) => entry.externalId);
    const targets = entries.filter((entry) => !entry.personId);

    const now = this.clock.now();
    const expiresAt = new Date(now.getTime() + days * 86_400_000);
    const invites = targets.map((entry) => {
      const code = generateInviteCode();
      return { entry, code, codeHash: inviteCodeHash(this.cipher, normaliseInviteCode(code)!) };
    });
    try {
      // A whole roster's codes (thousands of rows) are import-sized work: Prisma's 5 s default is too short.
      await this.db.$transaction(async (tx) => {
        if (targets.length === 0) return;
        const ids = targets.map((entry) => entry.id);
        await tx.inviteCode.updateMany({
          where: { rosterEntryId: { in: ids }, usedAt: null, expiresAt: { gt: now } },
          data: { expiresAt: now },
        });
        await tx.inviteCode.createMany({
          data: invites.map(({ entry, codeHash }) => ({ organizationId, rosterEntryId: entry.id, codeHash, expiresAt })),
        });
        await tx.auditLog.createMany({
          data: invites.map(({ entry }) => ({
            actorType: actor.type,
            actorId: actor.id ?? null,
            action: 'invite.issued',
            subjectType: 'roster_entry',
            subjectId: entry.id,
            after: { expiresAt: expiresAt.toISOString() } satisfies Prisma.InputJsonObject,
          })),
        });
      }, IMPORT_TRANSACTION);
    } catch (error) {
      // 31^8 codes: two equal ones are next to impossible, but a retry costs nothing.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        return this.issue(organizationId, request, actor);
      throw error;
    }
    return {
      invites: invites.map(({ entry, code }) => ({
        externalId: entry.externalId,
        fullName: entry.fullName,
        code,
        link: `https://t.me/${botUsername}?start=${code}`,
        expiresAt,
      })),
      notFound,
      alreadyLinked,
    };
  }

  /** Makes unused codes of the given entries (or of the whole organization) expire now. */
  async revoke(organizationId: string, externalIds: readonly string[] | undefined, actor: ImportActor): Promise<{ revoked: number }> {
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const where: Prisma.InviteCodeWhereInput = {
        organizationId,
        usedAt: null,
        expiresAt: { gt: now },
        ...(externalIds ? { rosterEntry: { externalId: { in: [...externalIds] } } } : {}),
      };
      const { count } = await tx.inviteCode.updateMany({ where, data: { expiresAt: now } });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'invite.revoked',
        subjectType: 'organization',
        subjectId: organizationId,
        after: { revoked: count, externalIds: externalIds ?? 'all' },
      });
      return { revoked: count };
    });
  }
}
