import { stripControlCharacters } from '../shared/text';
import { Prisma, type Person, type StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { type PersonalDataCipher } from '../people/personal-data';
import { normaliseFullName, normalisePhone, sameFullName } from '../people/validation';
import { CONSENT_POLICY_VERSION } from '../privacy/policy';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { codeOfDeepLinkPayload, normaliseAttendanceCode } from '../attendance/attendance-code';
import { inviteCodeHash, normaliseInviteCode } from './invite-codes';

export type Step = Person['onboardingStep'];
export type Language = Person['language'];

export interface TelegramUser {
  id: bigint;
  chatId: bigint;
  firstName?: string;
  username?: string;
  languageCode?: string;
}

/** What onboarding keeps between steps; cleared once the person is linked. */
interface Draft {
  invite?: string;
  organizationId?: string;
  failedCodeAt?: string[];
  /** An attendance code from a `code_` deep link opened before linking: claimed once linked. */
  attendanceCode?: string;
}

/** An answer at a step: either the step the person moves to, or why the answer was refused. */
export type StepOutcome =
  | { ok: true; person: Person; step: Step; attendanceCode?: string }
  | { ok: false; person: Person; step: Step; reason: RefusalReason; retryAfterMinutes?: number };

export type RefusalReason =
  | 'wrong-step'
  | 'contact-not-own'
  | 'phone-format'
  | 'name-empty'
  | 'name-too-long'
  | 'name-words'
  | 'name-characters'
  | 'organization-unknown'
  | 'code-format'
  | 'code-invalid'
  | 'code-used'
  | 'code-expired'
  | 'roster-name-mismatch'
  | 'roster-phone-mismatch'
  | 'roster-taken'
  | 'too-many-attempts';

export const CATEGORIES: readonly StaffCategory[] = ['DOCTOR', 'NURSE', 'PHARMACIST', 'LAB_TECHNICIAN', 'SANITARY', 'ADMINISTRATOR'];

/** Five wrong codes within this window lock code entry until the oldest failure leaves it. */
const CODE_ATTEMPTS = 5;
const CODE_WINDOW_MS = 15 * 60 * 1000;

/**
 * The linking journey (R-LINK) as an explicit state machine persisted on the person: every answer is
 * checked against the step the person is at, so a stale button, a repeated /start or a redelivered
 * update can never skip or repeat a step, and a restart loses nothing.
 */
export class OnboardingService {
  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly clock: Clock,
  ) {}

  async findByTelegramUser(telegramUserId: bigint): Promise<Person | null> {
    const identity = await this.db.telegramIdentity.findUnique({ where: { telegramUserId }, include: { person: true } });
    if (!identity || identity.person.deletedAt) return null;
    return identity.person;
  }

  async organizationName(organizationId: string): Promise<string | null> {
    const organization = await this.db.organization.findUnique({ where: { id: organizationId }, select: { name: true } });
    return organization?.name ?? null;
  }

  /**
   * /start: creates the person on first contact; otherwise resumes where they stopped. The payload is an
   * invite code, or an attendance code (`code_…`) kept in the draft until linking succeeds.
   */
  async begin(user: TelegramUser, invitePayload?: string): Promise<{ person: Person; created: boolean }> {
    const invite = invitePayload ? (normaliseInviteCode(invitePayload) ?? undefined) : undefined;
    const deepLinkCode = invitePayload ? codeOfDeepLinkPayload(invitePayload) : null;
    const attendanceCode = deepLinkCode ? (normaliseAttendanceCode(deepLinkCode) ?? undefined) : undefined;
    const existing = await this.findByTelegramUser(user.id);
    if (existing) {
      if ((invite || attendanceCode) && existing.onboardingStep !== 'LINKED') {
        const person = await this.updateDraft(existing, invite ? { invite } : { attendanceCode });
        return { person, created: false };
      }
      return { person: existing, created: false };
    }
    const language: Language = user.languageCode?.startsWith('en') ? 'en' : 'ru';
    try {
      const person = await this.db.person.create({
        data: {
          language,
          onboardingDraft: invite ? { invite } : attendanceCode ? { attendanceCode } : {},
          telegramIdentities: {
            create: {
              telegramUserId: user.id,
              chatId: user.chatId,
              firstName: user.firstName === undefined ? undefined : stripControlCharacters(user.firstName),
              username: user.username,
            },
          },
        },
      });
      return { person, created: true };
    } catch (error) {
      // Two /start updates raced: the other one created the person; resume it.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const person = await this.findByTelegramUser(user.id);
        if (person) return { person, created: false };
      }
      throw error;
    }
  }

  async chooseLanguage(person: Person, language: Language): Promise<StepOutcome> {
    if (person.onboardingStep !== 'LANGUAGE') return this.refuse(person, 'wrong-step');
    return this.advance(person, 'CONSENT', { language });
  }

  /** Consent to personal-data processing: a separate act, recorded with the policy version. */
  async giveConsent(person: Person): Promise<StepOutcome> {
    if (person.onboardingStep !== 'CONSENT') return this.refuse(person, 'wrong-step');
    const updated = await this.db.$transaction(async (tx) => {
      await tx.consent.create({
        data: {
          personId: person.id,
          purpose: 'PERSONAL_DATA_PROCESSING',
          policyVersion: CONSENT_POLICY_VERSION,
          givenAt: this.clock.now(),
        },
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'consent.given',
        subjectType: 'person',
        subjectId: person.id,
        after: { purpose: 'PERSONAL_DATA_PROCESSING', policyVersion: CONSENT_POLICY_VERSION },
      });
      return tx.person.update({ where: { id: person.id }, data: { onboardingStep: 'PHONE' } });
    });
    return { ok: true, person: updated, step: 'PHONE' };
  }

  /** The phone must come from Telegram's request-contact button and be the sender's own. */
  async submitContact(person: Person, contact: { phoneNumber: string; userId?: bigint }, senderId: bigint): Promise<StepOutcome> {
    if (person.onboardingStep !== 'PHONE') return this.refuse(person, 'wrong-step');
    if (contact.userId === undefined || contact.userId !== senderId) return this.refuse(person, 'contact-not-own');
    const phone = normalisePhone(contact.phoneNumber);
    if (!phone.ok) return this.refuse(person, 'phone-format');
    return this.advance(person, 'FULL_NAME', {
      phoneEnc: this.cipher.encrypt(phone.value),
      phoneHash: this.cipher.lookupHash(phone.value),
    });
  }

  async submitFullName(person: Person, text: string): Promise<StepOutcome> {
    if (person.onboardingStep !== 'FULL_NAME') return this.refuse(person, 'wrong-step');
    const name = normaliseFullName(text);
    if (!name.ok) return this.refuse(person, name.reason as RefusalReason);
    return this.advance(person, 'CATEGORY', { fullName: name.value });
  }

  /** After the category, an invite from a deep link links at once; otherwise we ask for the organization. */
  async chooseCategory(person: Person, category: StaffCategory): Promise<StepOutcome> {
    if (person.onboardingStep !== 'CATEGORY') return this.refuse(person, 'wrong-step');
    const updated = await this.db.person.update({ where: { id: person.id }, data: { category, onboardingStep: 'ORGANIZATION' } });
    const invite = draftOf(updated).invite;
    if (!invite) return { ok: true, person: updated, step: 'ORGANIZATION' };
    const linked = await this.redeem(updated, invite, null);
    if (linked.ok) return linked;
    // A bad deep link is not the person's fault: forget it and let them type the codes.
    const cleared = await this.updateDraft(linked.person, { invite: undefined });
    return { ok: false, person: cleared, step: 'ORGANIZATION', reason: linked.reason };
  }

  async submitOrganization(person: Person, text: string): Promise<StepOutcome> {
    if (person.onboardingStep !== 'ORGANIZATION') return this.refuse(person, 'wrong-step');
    const code = text.trim().toUpperCase();
    const organization = code.length > 0 && code.length <= 64 ? await this.db.organization.findUnique({ where: { code } }) : null;
    if (!organization) return this.refuse(person, 'organization-unknown');
    const draft = { ...draftOf(person), organizationId: organization.id };
    return this.advance(person, 'INVITE_CODE', { onboardingDraft: draft as Prisma.InputJsonObject });
  }

  async submitInviteCode(person: Person, text: string): Promise<StepOutcome> {
    if (person.onboardingStep !== 'INVITE_CODE') return this.refuse(person, 'wrong-step');
    return this.redeem(person, text, draftOf(person).organizationId ?? null);
  }

  /** Goes one step back (the «Назад» button): wrong organization typed, for instance. */
  async back(person: Person): Promise<StepOutcome> {
    const previous: Partial<Record<Step, Step>> = { INVITE_CODE: 'ORGANIZATION' };
    const to = previous[person.onboardingStep];
    if (!to) return this.refuse(person, 'wrong-step');
    return this.advance(person, to, {});
  }

  private async redeem(person: Person, text: string, organizationId: string | null): Promise<StepOutcome> {
    const now = this.clock.now();
    const failures = (draftOf(person).failedCodeAt ?? []).filter((at) => now.getTime() - Date.parse(at) < CODE_WINDOW_MS);
    if (failures.length >= CODE_ATTEMPTS) {
      const wait = CODE_WINDOW_MS - (now.getTime() - Date.parse(failures[0]));
      return { ok: false, person, step: person.onboardingStep, reason: 'too-many-attempts', retryAfterMinutes: Math.ceil(wait / 60000) };
    }
    const code = normaliseInviteCode(text);
    if (!code) return this.refuse(person, 'code-format');

    const reason = await this.tryLink(person, code, organizationId, now);
    if (reason === null) {
      const linked = await this.db.person.findUniqueOrThrow({ where: { id: person.id } });
      // The draft is cleared by linking; a pending attendance code travels on in the outcome.
      return { ok: true, person: linked, step: 'LINKED', attendanceCode: draftOf(person).attendanceCode };
    }
    const updated = await this.updateDraft(person, { failedCodeAt: [...failures, now.toISOString()] });
    return { ok: false, person: updated, step: updated.onboardingStep, reason };
  }

  /** Claims the code and the roster record in one transaction; null on success, else the reason. */
  private async tryLink(person: Person, code: string, organizationId: string | null, now: Date): Promise<RefusalReason | null> {
    const invite = await this.db.inviteCode.findUnique({
      where: { codeHash: inviteCodeHash(this.cipher, code) },
      include: { rosterEntry: true },
    });
    if (!invite || (organizationId && invite.organizationId !== organizationId)) return 'code-invalid';
    if (invite.usedAt) return invite.usedByPersonId === person.id ? null : 'code-used';
    if (invite.expiresAt <= now) return 'code-expired';
    const roster = invite.rosterEntry;
    if (roster.personId && roster.personId !== person.id) return 'roster-taken';
    if (!person.fullName || !sameFullName(person.fullName, roster.fullName)) return 'roster-name-mismatch';
    if (roster.phoneHash && roster.phoneHash !== person.phoneHash) return 'roster-phone-mismatch';

    try {
      await this.db.$transaction(async (tx) => {
        // Conditional updates make the claim safe against a concurrent claim of the same code or record.
        const claimed = await tx.inviteCode.updateMany({
          where: { id: invite.id, usedAt: null },
          data: { usedAt: now, usedByPersonId: person.id },
        });
        if (claimed.count !== 1) throw new LinkConflict('code-used');
        const taken = await tx.rosterEntry.updateMany({
          where: { id: roster.id, personId: null },
          data: { personId: person.id, linkedAt: now },
        });
        if (taken.count !== 1) throw new LinkConflict('roster-taken');
        // Credits the organization imported before the person linked become theirs now.
        await tx.creditEntry.updateMany({ where: { rosterEntryId: roster.id, personId: null }, data: { personId: person.id } });
        const after = await tx.person.update({
          where: { id: person.id },
          data: {
            organizationId: invite.organizationId,
            category: roster.category,
            specialty: roster.specialty,
            lastAccreditationDate: roster.lastAccreditationDate,
            // The organization decides who administers it (granted on the roster entry, before or after linking).
            orgRole: roster.role,
            onboardingStep: 'LINKED',
            onboardingDraft: {},
          },
        });
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'person.linked',
          subjectType: 'roster_entry',
          subjectId: roster.id,
          before: { onboardingStep: person.onboardingStep },
          after: {
            onboardingStep: after.onboardingStep,
            organizationId: after.organizationId,
            category: after.category,
            orgRole: after.orgRole,
          },
        });
      });
      return null;
    } catch (error) {
      if (error instanceof LinkConflict) return error.reason;
      throw error;
    }
  }

  private async advance(person: Person, step: Step, data: Prisma.PersonUpdateInput): Promise<StepOutcome> {
    const updated = await this.db.person.update({ where: { id: person.id }, data: { ...data, onboardingStep: step } });
    return { ok: true, person: updated, step };
  }

  private refuse(person: Person, reason: RefusalReason): StepOutcome {
    return { ok: false, person, step: person.onboardingStep, reason };
  }

  private async updateDraft(person: Person, patch: Partial<Draft>): Promise<Person> {
    const draft = { ...draftOf(person), ...patch };
    return this.db.person.update({ where: { id: person.id }, data: { onboardingDraft: JSON.parse(JSON.stringify(draft)) } });
  }
}

class LinkConflict extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
  }
}

function draftOf(person: Person): Draft {
  const value = person.onboardingDraft;
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Draft) : {};
}
