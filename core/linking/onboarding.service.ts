import { stripControlCharacters } from '../shared/text';
import { Prisma, type Person, type StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { type PersonalDataCipher } from '../people/personal-data';
import { normaliseFullName, normalisePhone, sameFullName } from '../people/validation';
import { CONSENT_POLICY_VERSION } from '../privacy/policy';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { personRows } from '../people/person-row';
import { BatchedRead } from '../shared/batched-read';
import { ROW_KEY } from '../shared/prisma-rows';
import { WrongCodeThrottle } from '../shared/wrong-code-throttle';
import { codeOfDeepLinkPayload, normaliseAttendanceCode } from '../attendance/attendance-code';
import { inviteCodeHash, normaliseInviteCode } from './invite-codes';
import { canStartOver, correctableSteps, type Draft, draftOf, type Step } from './onboarding-steps';

export type { Step } from './onboarding-steps';
export type Language = Person['language'];

/** The person behind one Telegram user: a batch of one (below). */
const PERSON_BY_TELEGRAM_USER = `
  SELECT ${personRows.columns('p')}
    FROM "TelegramIdentity" t JOIN "Person" p ON p.id = t."personId"
   WHERE t."telegramUserId" = $1::bigint AND p."deletedAt" IS NULL`;

/**
 * The people behind several Telegram users (each keyed by the user's id), read together: see BatchedRead.
 * Each key is looked up on its own (the `OFFSET 0` keeps PostgreSQL from merging the subquery into a
 * join): a plan made for an array of unknown length otherwise hash-joined a scan of every person. Such a
 * plan is made for each execution (its cost depends on the array's length), which a batch of many pays
 * once: a batch of one, the usual one at a quiet hour, takes the statement above, whose plan is kept.
 */
export const PEOPLE_BY_TELEGRAM_USERS = `
  SELECT ${personRows.columns('p')}, k.id::text AS "${ROW_KEY}"
    FROM unnest($1::bigint[]) AS k(id)
   CROSS JOIN LATERAL (
         SELECT p.* FROM "TelegramIdentity" t JOIN "Person" p ON p.id = t."personId"
          WHERE t."telegramUserId" = k.id AND p."deletedAt" IS NULL
         OFFSET 0) p`;

export interface TelegramUser {
  id: bigint;
  chatId: bigint;
  firstName?: string;
  username?: string;
  languageCode?: string;
}

/**
 * An answer at a step: either the step the person moves to, or why the answer was refused. `correction`
 * tells that a correction of an earlier answer ended (the answer `saved`, or `kept` as it was).
 */
export type StepOutcome =
  | { ok: true; person: Person; step: Step; attendanceCode?: string; correction?: 'saved' | 'kept' }
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

/** What the person has answered so far, for the summary they check before typing the code. */
export interface LinkingSummary {
  language: Language;
  fullName: string | null;
  category: StaffCategory | null;
  organization: { code: string; name: string } | null;
  /** The last four digits only: enough to recognise one's number, useless to anyone reading over a shoulder. */
  phoneEnding: string | null;
}

/** An answer as the journal records its correction; the phone only as replaced, never its digits. */
interface Change {
  field: 'language' | 'fullName' | 'category' | 'organizationId' | 'phone';
  before: unknown;
  after: unknown;
  changed: boolean;
}

const changeOf = (field: Change['field'], before: unknown, after: unknown): Change => ({ field, before, after, changed: before !== after });

/**
 * The linking journey (R-LINK) as an explicit state machine persisted on the person: every answer is
 * checked against the step the person is at, so a stale button, a repeated /start or a redelivered
 * update can never skip or repeat a step, and a restart loses nothing. Any earlier answer can be
 * corrected before linking (`correct`): the person answers that one question again and comes back to
 * where they were, everything else kept; the change is journaled.
 */
export class OnboardingService {
  private readonly throttle: WrongCodeThrottle;
  private readonly people: BatchedRead<Person>;

  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly clock: Clock,
  ) {
    this.throttle = new WrongCodeThrottle(db);
    // A handler may change the person it was given: two updates of one person in a turn get one each.
    this.people = new BatchedRead(
      async (keys) => {
        if (keys.length > 1) return personRows.readKeyed(db, 'people-by-telegram-users', PEOPLE_BY_TELEGRAM_USERS, [keys]);
        const [person] = await personRows.read(db, 'person-by-telegram-user', PERSON_BY_TELEGRAM_USER, keys);
        return new Map(person ? [[keys[0], person]] : []);
      },
      { copy: structuredClone },
    );
  }

  /**
   * Read for every update a person sends: one statement, prepared once per connection, on the pool under
   * Prisma (see prisma-rows.ts), for all the updates that ask in the same turn of the event loop
   * (BatchedRead). It starts from the identities' primary key, so it stays index lookups whatever the
   * planner knows of the tables (a filter on the person with `EXISTS` scanned every person while the
   * tables were not yet analysed).
   */
  async findByTelegramUser(telegramUserId: bigint): Promise<Person | null> {
    return (await this.people.load(telegramUserId.toString())) ?? null;
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
    return this.answer(person, 'CONSENT', { language }, {}, changeOf('language', person.language, language));
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
    const phoneHash = this.cipher.lookupHash(phone.value);
    return this.answer(
      person,
      'FULL_NAME',
      { phoneEnc: this.cipher.encrypt(phone.value), phoneHash },
      {},
      { field: 'phone', before: 'sealed', after: 'replaced', changed: person.phoneHash !== phoneHash },
    );
  }

  async submitFullName(person: Person, text: string): Promise<StepOutcome> {
    if (person.onboardingStep !== 'FULL_NAME') return this.refuse(person, 'wrong-step');
    const name = normaliseFullName(text);
    if (!name.ok) return this.refuse(person, name.reason as RefusalReason);
    return this.answer(person, 'CATEGORY', { fullName: name.value }, {}, changeOf('fullName', person.fullName, name.value));
  }

  /**
   * After the category, an invite from a deep link links at once; otherwise we ask for the organization.
   * `sender` is the Telegram user answering: wrong codes are counted against them.
   */
  async chooseCategory(person: Person, category: StaffCategory, sender: bigint): Promise<StepOutcome> {
    if (person.onboardingStep !== 'CATEGORY') return this.refuse(person, 'wrong-step');
    const answered = await this.answer(person, 'ORGANIZATION', { category }, {}, changeOf('category', person.category, category));
    const invite = draftOf(answered.person).invite;
    if (!invite) return answered;
    const linked = await this.redeem(answered.person, invite, null, sender);
    if (linked.ok) return linked;
    // A bad deep link is not the person's fault: forget it and let them type the codes.
    const cleared = await this.updateDraft(linked.person, { invite: undefined });
    return { ok: false, person: cleared, step: cleared.onboardingStep, reason: linked.reason };
  }

  async submitOrganization(person: Person, text: string): Promise<StepOutcome> {
    if (person.onboardingStep !== 'ORGANIZATION') return this.refuse(person, 'wrong-step');
    const code = text.trim().toUpperCase();
    const organization = code.length > 0 && code.length <= 64 ? await this.db.organization.findUnique({ where: { code } }) : null;
    if (!organization) return this.refuse(person, 'organization-unknown');
    return this.answer(
      person,
      'INVITE_CODE',
      {},
      { organizationId: organization.id },
      changeOf('organizationId', draftOf(person).organizationId ?? null, organization.id),
    );
  }

  async submitInviteCode(person: Person, text: string, sender: bigint): Promise<StepOutcome> {
    if (person.onboardingStep !== 'INVITE_CODE') return this.refuse(person, 'wrong-step');
    return this.redeem(person, text, draftOf(person).organizationId ?? null, sender);
  }

  /** Goes one step back (the «Назад» button): wrong organization typed, for instance. */
  async back(person: Person): Promise<StepOutcome> {
    const previous: Partial<Record<Step, Step>> = { INVITE_CODE: 'ORGANIZATION' };
    const to = previous[person.onboardingStep];
    if (!to) return this.refuse(person, 'wrong-step');
    return this.advance(person, to, {});
  }

  /**
   * «Исправить»: asks the question of an earlier answer again. Once answered (or kept as it was) the
   * person is back where they came from, every other answer kept; nothing is deleted meanwhile.
   */
  async correct(person: Person, target: Step): Promise<StepOutcome> {
    if (!correctableSteps(person).includes(target)) return this.refuse(person, 'wrong-step');
    const draft = draftOf(person);
    const returnTo = draft.returnTo ?? person.onboardingStep;
    return this.advance(person, target, { onboardingDraft: json({ ...draft, returnTo }) });
  }

  /** «Оставить как было» (or /cancel) during a correction: back to where the person was, nothing changed. */
  async keepAnswer(person: Person): Promise<StepOutcome> {
    const { returnTo, ...rest } = draftOf(person);
    if (person.onboardingStep === 'LINKED' || !returnTo) return this.refuse(person, 'wrong-step');
    const outcome = await this.advance(person, returnTo, { onboardingDraft: json(rest) });
    return { ...outcome, correction: 'kept' } as StepOutcome;
  }

  /**
   * «Начать заново»: the questions again from the phone, each answer replaced only when given anew.
   * Consent stays given (it is withdrawn in /privacy); deleting everything is /delete_me.
   */
  async startOver(person: Person): Promise<StepOutcome> {
    if (!canStartOver(person)) return this.refuse(person, 'wrong-step');
    const draft = { ...draftOf(person) };
    delete draft.returnTo;
    return this.db.$transaction(async (tx) => {
      const updated = await tx.person.update({ where: { id: person.id }, data: { onboardingStep: 'PHONE', onboardingDraft: json(draft) } });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'onboarding.started-over',
        subjectType: 'person',
        subjectId: person.id,
        before: { onboardingStep: person.onboardingStep },
        after: { onboardingStep: updated.onboardingStep },
      });
      return { ok: true as const, person: updated, step: updated.onboardingStep };
    });
  }

  /** The answers so far, shown before the confirmation code is asked so a typo is seen in time. */
  async summary(person: Person): Promise<LinkingSummary> {
    const organizationId = draftOf(person).organizationId;
    const organization = organizationId
      ? await this.db.organization.findUnique({ where: { id: organizationId }, select: { code: true, name: true } })
      : null;
    const phone = person.phoneEnc ? this.cipher.decrypt(person.phoneEnc) : null;
    return {
      language: person.language,
      fullName: person.fullName,
      category: person.category,
      organization,
      phoneEnding: phone ? phone.replace(/\D/g, '').slice(-4) : null,
    };
  }

  /**
   * Wrong codes are counted per Telegram user, not in the person's draft: a /delete_me and a new start
   * (a new person) must not buy a fresh set of guesses. A right code while throttled is refused too.
   */
  private async redeem(person: Person, text: string, organizationId: string | null, sender: bigint): Promise<StepOutcome> {
    const now = this.clock.now();
    const retryAt = await this.throttle.retryAt(sender, 'LINKING', now);
    if (retryAt) {
      const retryAfterMinutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
      return { ok: false, person, step: person.onboardingStep, reason: 'too-many-attempts', retryAfterMinutes };
    }
    const code = normaliseInviteCode(text);
    if (!code) return this.refuse(person, 'code-format');

    const reason = await this.tryLink(person, code, organizationId, now);
    if (reason === null) {
      const linked = await this.db.person.findUniqueOrThrow({ where: { id: person.id } });
      // The draft is cleared by linking; a pending attendance code travels on in the outcome.
      return { ok: true, person: linked, step: 'LINKED', attendanceCode: draftOf(person).attendanceCode };
    }
    await this.throttle.recordWrong(sender, 'LINKING', now);
    return { ok: false, person, step: person.onboardingStep, reason };
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

  /**
   * Records an answer and moves on: to the next question, or, when the answer corrects an earlier
   * one, back to where the person came from, with the change journaled (before and after).
   */
  private async answer(
    person: Person,
    next: Step,
    data: Prisma.PersonUpdateInput,
    draftPatch: Partial<Draft>,
    change: Change,
  ): Promise<StepOutcome & { ok: true }> {
    const { returnTo, ...rest } = { ...draftOf(person), ...draftPatch };
    const onboardingDraft = json(rest);
    if (!returnTo) {
      const updated = await this.db.person.update({ where: { id: person.id }, data: { ...data, onboardingStep: next, onboardingDraft } });
      return { ok: true, person: updated, step: next };
    }
    return this.db.$transaction(async (tx) => {
      const updated = await tx.person.update({ where: { id: person.id }, data: { ...data, onboardingStep: returnTo, onboardingDraft } });
      if (change.changed) {
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'onboarding.answer-corrected',
          subjectType: 'person',
          subjectId: person.id,
          before: { [change.field]: change.before },
          after: { [change.field]: change.after },
        });
      }
      return { ok: true as const, person: updated, step: returnTo, correction: 'saved' as const };
    });
  }

  private async advance(person: Person, step: Step, data: Prisma.PersonUpdateInput): Promise<StepOutcome> {
    const updated = await this.db.person.update({ where: { id: person.id }, data: { ...data, onboardingStep: step } });
    return { ok: true, person: updated, step };
  }

  private refuse(person: Person, reason: RefusalReason): StepOutcome {
    return { ok: false, person, step: person.onboardingStep, reason };
  }

  private async updateDraft(person: Person, patch: Partial<Draft>): Promise<Person> {
    return this.db.person.update({ where: { id: person.id }, data: { onboardingDraft: json({ ...draftOf(person), ...patch }) } });
  }
}

class LinkConflict extends Error {
  constructor(readonly reason: RefusalReason) {
    super(reason);
  }
}

/** A draft as JSON: keys whose value is undefined are left out rather than stored as null. */
function json(draft: Draft): Prisma.InputJsonObject {
  return JSON.parse(JSON.stringify(draft)) as Prisma.InputJsonObject;
}
