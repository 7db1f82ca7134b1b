import { Prisma, type CreditEntry, type Event, type EventKind, type Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { EvaluationRequests } from '../credits/credits.service';
import { profileOf } from '../credits/credits.service';
import { checkCreditEntry, type CreditEntryProblem } from '../credits/entry-check';
import { resolvePeriod } from '../credits/period';
import type { ImportActor } from '../organizations/import-report';
import type { PersonalDataCipher } from '../people/personal-data';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { RuleSet } from '../rules/rule-set.schema';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { WrongCodeThrottle } from '../shared/wrong-code-throttle';
import { dbDateOf, localDateOf } from '../shared/local-date';
import { attendanceCodeHash, generateAttendanceCode, normaliseAttendanceCode } from './attendance-code';

/** Codes are handed out at the end of an event; a week covers those who claim on their next shift. */
export const DEFAULT_CODE_DAYS = 7;
/** Long enough for a late certificate run, short enough that an old sheet of codes stops working. */
export const MAX_CODE_DAYS = 90;
/** A shared code for the largest hall of a big hospital; more is a typo. */
export const MAX_SHARED_CLAIMS = 5000;

/** The credit type of the shipped rule set (nmo-709n) an event's kind is credited as. */
export const CREDIT_TYPE_OF_KIND: Record<EventKind, string> = { PK: 'pk', IOM: 'iom', EVENT: 'event' };

export type IssueRequest =
  | {
      mode: 'personal';
      /** Absent: everyone signed up (registrations not cancelled). */ personIds?: readonly string[];
      validForDays?: number;
      expiresAt?: Date;
    }
  | { mode: 'shared'; maxClaims: number; validForDays?: number; expiresAt?: Date };

/** A code as the admin hands it out: the plaintext is in this answer only. */
export interface IssuedCode {
  id: string;
  code: string;
  maxClaims: number;
  expiresAt: Date;
  /** A personal code's holder. */
  personId: string | null;
  fullName: string | null;
}

export type IssueRefusal =
  | {
      ok: false;
      reason: 'event-not-found' | 'event-cancelled' | 'expiry-invalid' | 'max-claims-invalid';
      params?: Record<string, string | number>;
    }
  | {
      ok: false;
      reason: 'zet-not-creditable';
      params: { typeCode: string; zet: number; problem: string; min?: number; max?: number; step?: number };
    };

export type IssueOutcome =
  | {
      ok: true;
      event: Event;
      codes: IssuedCode[];
      /** Person ids asked for that are not linked staff of the organization. */
      notFound: string[];
      /** Asked for (or signed up) but already credited for this event: a code would be of no use. */
      alreadyClaimed: string[];
    }
  | IssueRefusal;

export type ClaimOutcome =
  | { ok: true; entry: CreditEntry; event: Event }
  /** Not 8 letters of the code alphabet: cannot match anything, so it is not counted as a guess. */
  | { ok: false; reason: 'malformed' }
  | { ok: false; reason: 'wrong-code'; attemptsLeft: number }
  | { ok: false; reason: 'throttled'; retryAt: Date }
  | { ok: false; reason: 'not-linked' }
  | { ok: false; reason: 'expired' | 'revoked' | 'exhausted' | 'event-cancelled'; event: Event }
  | { ok: false; reason: 'event-not-started'; event: Event }
  | { ok: false; reason: 'already-claimed'; event: Event; claimedAt: Date }
  /** The person's rule set cannot count this event (no such credit type, ЗЕТ out of range, outside the period). */
  | { ok: false; reason: 'not-creditable'; event: Event; problem: CreditEntryProblem };

export interface EventClaims {
  event: Event;
  claims: Array<{ personId: string; fullName: string | null; claimedAt: Date; personalCode: boolean; quantity: number | null }>;
  codes: Array<{ id: string; maxClaims: number; claimCount: number; expiresAt: Date; revokedAt: Date | null; personId: string | null }>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Attendance codes (R-ORG events): after an event the organization issues codes, personal (one per
 * attendee, one claim each) or shared (a limit of claims), and an attendee's claim turns the event's ЗЕТ
 * into a VERIFIED credit entry. Codes are stored as a keyed hash and shown once. A person claims an
 * event once whatever code they use; a code never goes past its expiry or its limit, even when many
 * claim the last use at the same moment; wrong codes are counted per Telegram user and throttle further
 * tries (`WrongCodeThrottle`).
 *
 * A person may claim only events of their own organization. The event's categories are who it was
 * meant for, not who may be credited: a pharmacist who sat in a nurses' seminar holding its code was
 * there, and their rule set decides whether it counts.
 */
export class AttendanceService {
  private readonly throttle: WrongCodeThrottle;

  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly ruleSets: RuleSetRepository,
    private readonly evaluations: EvaluationRequests,
    private readonly clock: Clock,
  ) {
    this.throttle = new WrongCodeThrottle(db);
  }

  /** The event if it belongs to the organization; another organization's event looks missing. */
  async eventOf(organizationId: string, eventId: string): Promise<Event | null> {
    if (!UUID.test(eventId)) return null;
    const event = await this.db.event.findUnique({ where: { id: eventId } });
    return event && event.organizationId === organizationId ? event : null;
  }

  /** Events an admin most likely issues codes for: begun in the last 60 days or starting within a week. */
  async recentEvents(organizationId: string, take = 8): Promise<Event[]> {
    const now = this.clock.now().getTime();
    return this.db.event.findMany({
      where: {
        organizationId,
        status: 'SCHEDULED',
        startsAt: { gte: new Date(now - 60 * 86_400_000), lte: new Date(now + 7 * 86_400_000) },
      },
      orderBy: { startsAt: 'desc' },
      take,
    });
  }

  async issue(organizationId: string, eventId: string, request: IssueRequest, actor: ImportActor): Promise<IssueOutcome> {
    const event = await this.eventOf(organizationId, eventId);
    if (!event) return { ok: false, reason: 'event-not-found' };
    if (event.status === 'CANCELLED') return { ok: false, reason: 'event-cancelled' };
    const now = this.clock.now();
    const expiresAt = expiryOf(request, now);
    if (!expiresAt) return { ok: false, reason: 'expiry-invalid', params: { maxDays: MAX_CODE_DAYS } };
    if (
      request.mode === 'shared' &&
      !(Number.isInteger(request.maxClaims) && request.maxClaims >= 1 && request.maxClaims <= MAX_SHARED_CLAIMS)
    ) {
      return { ok: false, reason: 'max-claims-invalid', params: { max: MAX_SHARED_CLAIMS } };
    }
    const creditable = this.zetProblem(
      await this.ruleSets.forPerson({ organizationId, category: null }),
      event,
      localDateOf(now, 'Europe/Moscow'),
    );
    if (creditable) return creditable;

    const targets = request.mode === 'personal' ? await this.personalTargets(organizationId, event, request.personIds) : null;
    const holders: Array<{ person: { id: string; fullName: string | null } | null; maxClaims: number }> =
      request.mode === 'personal'
        ? targets!.people.map((person) => ({ person, maxClaims: 1 }))
        : [{ person: null, maxClaims: request.maxClaims }];
    const drafts = holders.map((holder) => {
      const code = generateAttendanceCode();
      return { ...holder, code, codeHash: attendanceCodeHash(this.cipher, normaliseAttendanceCode(code)!) };
    });
    let rows: Array<{ id: string }>;
    try {
      rows = await this.db.$transaction(async (tx) => {
        if (drafts.length === 0) return [];
        const personIds = drafts.flatMap((d) => (d.person ? [d.person.id] : []));
        // A new personal code replaces the person's earlier unused one: a lost slip is replaced, not added to.
        if (personIds.length > 0)
          await tx.attendanceCode.updateMany({
            where: { eventId: event.id, issuedForPersonId: { in: personIds }, revokedAt: null, claimCount: 0 },
            data: { revokedAt: now },
          });
        const created = await tx.attendanceCode.createManyAndReturn({
          data: drafts.map((d) => ({
            eventId: event.id,
            codeHash: d.codeHash,
            maxClaims: d.maxClaims,
            expiresAt,
            issuedForPersonId: d.person?.id ?? null,
            createdAt: now,
          })),
          select: { id: true, codeHash: true },
        });
        await recordAudit(tx, {
          actorType: actor.type,
          actorId: actor.id,
          action: 'attendance-codes.issued',
          subjectType: 'event',
          subjectId: event.id,
          after: {
            mode: request.mode,
            count: created.length,
            maxClaims: drafts[0].maxClaims,
            expiresAt,
            personIds,
            codeIds: created.map((c) => c.id),
          },
        });
        const byHash = new Map(created.map((c) => [c.codeHash, c.id]));
        return drafts.map((d) => ({ id: byHash.get(d.codeHash)! }));
      });
    } catch (error) {
      // 31^8 codes: two equal ones are next to impossible, but a retry costs nothing.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002')
        return this.issue(organizationId, eventId, request, actor);
      throw error;
    }
    return {
      ok: true,
      event,
      codes: drafts.map((d, i) => ({
        id: rows[i].id,
        code: d.code,
        maxClaims: d.maxClaims,
        expiresAt,
        personId: d.person?.id ?? null,
        fullName: d.person?.fullName ?? null,
      })),
      notFound: targets?.notFound ?? [],
      alreadyClaimed: targets?.alreadyClaimed ?? [],
    };
  }

  /** Makes the event's live codes (or one of them) stop working now; claims already made stay. */
  async revoke(
    organizationId: string,
    eventId: string,
    actor: ImportActor,
    codeId?: string,
  ): Promise<{ ok: true; revoked: number } | { ok: false; reason: 'event-not-found' }> {
    const event = await this.eventOf(organizationId, eventId);
    if (!event) return { ok: false, reason: 'event-not-found' };
    if (codeId !== undefined && !UUID.test(codeId)) return { ok: true, revoked: 0 };
    const now = this.clock.now();
    return this.db.$transaction(async (tx) => {
      const { count } = await tx.attendanceCode.updateMany({
        where: { eventId: event.id, revokedAt: null, ...(codeId ? { id: codeId } : {}) },
        data: { revokedAt: now },
      });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'attendance-codes.revoked',
        subjectType: 'event',
        subjectId: event.id,
        after: { revoked: count, codeId: codeId ?? 'all' },
      });
      return { ok: true as const, revoked: count };
    });
  }

  /** Who claimed the event and when, with the state of its codes (never the codes themselves). */
  async claims(organizationId: string, eventId: string): Promise<EventClaims | null> {
    const event = await this.eventOf(organizationId, eventId);
    if (!event) return null;
    const [claims, codes] = await Promise.all([
      this.db.attendanceClaim.findMany({
        where: { eventId: event.id },
        include: { person: { select: { fullName: true } }, code: { select: { issuedForPersonId: true } } },
        orderBy: { claimedAt: 'asc' },
      }),
      this.db.attendanceCode.findMany({ where: { eventId: event.id }, orderBy: { createdAt: 'asc' } }),
    ]);
    const entryIds = claims.flatMap((c) => (c.creditEntryId ? [c.creditEntryId] : []));
    const entries = new Map(
      (await this.db.creditEntry.findMany({ where: { id: { in: entryIds }, deletedAt: null }, select: { id: true, quantity: true } })).map(
        (e) => [e.id, e.quantity],
      ),
    );
    return {
      event,
      claims: claims.map((c) => ({
        personId: c.personId,
        fullName: c.person.fullName,
        claimedAt: c.claimedAt,
        personalCode: c.code.issuedForPersonId !== null,
        quantity: c.creditEntryId ? (entries.get(c.creditEntryId) ?? null) : null,
      })),
      codes: codes.map((c) => ({
        id: c.id,
        maxClaims: c.maxClaims,
        claimCount: c.claimCount,
        expiresAt: c.expiresAt,
        revokedAt: c.revokedAt,
        personId: c.issuedForPersonId,
      })),
    };
  }

  /**
   * A person's claim of the code they typed, from the Telegram user `sender`. Checked in the order that
   * tells them the most without helping a guesser: throttling first (a right code while throttled is
   * refused too, or guessing would go on), then the code, then the event and the person's own record.
   * Another organization's code is answered exactly like a code that does not exist, and counted as a
   * wrong try: its owner's staff are the only ones who may learn that it is real. The entry, the claim
   * and the use of the code are written in one transaction.
   */
  async claim(person: Person, typed: string, sender: bigint): Promise<ClaimOutcome> {
    if (person.onboardingStep !== 'LINKED' || !person.organizationId || person.deletedAt) return { ok: false, reason: 'not-linked' };
    const now = this.clock.now();
    const retryAt = await this.throttle.retryAt(sender, 'ATTENDANCE', now);
    if (retryAt) return { ok: false, reason: 'throttled', retryAt };
    const normalised = normaliseAttendanceCode(typed);
    if (!normalised) return { ok: false, reason: 'malformed' };

    // One query whatever the code's organization, so a foreign code takes the same path as a missing one.
    const code = await this.db.attendanceCode.findFirst({
      where: { codeHash: attendanceCodeHash(this.cipher, normalised), event: { organizationId: person.organizationId } },
      include: { event: true },
    });
    if (!code) return this.wrongCode(sender, now);
    const { event } = code;
    const earlier = await this.db.attendanceClaim.findUnique({ where: { eventId_personId: { eventId: event.id, personId: person.id } } });
    if (earlier) return { ok: false, reason: 'already-claimed', event, claimedAt: earlier.claimedAt };
    if (event.status === 'CANCELLED') return { ok: false, reason: 'event-cancelled', event };
    if (code.revokedAt) return { ok: false, reason: 'revoked', event };
    if (code.expiresAt <= now) return { ok: false, reason: 'expired', event };
    if (code.claimCount >= code.maxClaims) return { ok: false, reason: 'exhausted', event };
    if (event.startsAt > now) return { ok: false, reason: 'event-not-started', event };

    const ruleSet = await this.ruleSets.forPerson(person);
    const today = localDateOf(now, person.timeZone);
    // A code handed out during the last session of a multi-day event is claimed before it ends: the
    // entry is dated the day of the claim then, never in the future.
    const occurredOn = localDateOf(event.endsAt < now ? event.endsAt : now, person.timeZone);
    const typeCode = CREDIT_TYPE_OF_KIND[event.kind];
    const check = checkCreditEntry(
      ruleSet,
      { typeCode, quantity: event.zet, date: occurredOn },
      resolvePeriod(ruleSet, profileOf(person), today),
      today,
    );
    if (!check.ok) return { ok: false, reason: 'not-creditable', event, problem: check.problems[0] };

    let entry: CreditEntry | 'exhausted' | 'expired' | 'revoked';
    try {
      entry = await this.db.$transaction(async (tx) => {
        // Conditional on the row as it is when locked: of many claiming the last use at once, one wins.
        const taken = await tx.attendanceCode.updateMany({
          where: { id: code.id, revokedAt: null, expiresAt: { gt: now }, claimCount: { lt: tx.attendanceCode.fields.maxClaims } },
          data: { claimCount: { increment: 1 } },
        });
        if (taken.count === 0) {
          const current = await tx.attendanceCode.findUniqueOrThrow({ where: { id: code.id } });
          return current.revokedAt ? 'revoked' : current.expiresAt <= now ? 'expired' : 'exhausted';
        }
        const created = await tx.creditEntry.create({
          data: {
            personId: person.id,
            creditTypeCode: typeCode,
            quantity: event.zet,
            occurredOn: dbDateOf(occurredOn),
            title: event.title,
            source: 'ATTENDANCE_CODE',
            verification: 'VERIFIED',
            externalRef: event.id,
          },
        });
        await tx.attendanceClaim.create({
          data: { eventId: event.id, personId: person.id, codeId: code.id, creditEntryId: created.id, claimedAt: now },
        });
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'attendance.claimed',
          subjectType: 'credit_entry',
          subjectId: created.id,
          after: { ...created, eventId: event.id, codeId: code.id },
        });
        return created;
      });
    } catch (error) {
      // The same person claiming twice at once: the unique claim (or entry) lets one through.
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') {
        const claim = await this.db.attendanceClaim.findUnique({ where: { eventId_personId: { eventId: event.id, personId: person.id } } });
        return { ok: false, reason: 'already-claimed', event, claimedAt: claim?.claimedAt ?? now };
      }
      throw error;
    }
    if (typeof entry === 'string') return { ok: false, reason: entry, event };
    await this.evaluations.request(person.id, 'attendance-claimed');
    return { ok: true, entry, event };
  }

  private async wrongCode(sender: bigint, now: Date): Promise<ClaimOutcome> {
    return { ok: false, reason: 'wrong-code', attemptsLeft: await this.throttle.recordWrong(sender, 'ATTENDANCE', now) };
  }

  private async personalTargets(organizationId: string, event: Event, personIds: readonly string[] | undefined) {
    const wanted = personIds ? [...new Set(personIds.map((id) => id.trim()))] : null;
    const valid = wanted?.filter((id) => UUID.test(id));
    const people = await this.db.person.findMany({
      where: wanted
        ? { id: { in: valid }, organizationId, deletedAt: null, onboardingStep: 'LINKED' }
        : { organizationId, deletedAt: null, eventRegistrations: { some: { eventId: event.id, cancelledAt: null } } },
      select: { id: true, fullName: true },
      orderBy: [{ fullName: 'asc' }, { id: 'asc' }],
    });
    const found = new Set(people.map((p) => p.id));
    const claimed = new Set(
      (
        await this.db.attendanceClaim.findMany({ where: { eventId: event.id, personId: { in: [...found] } }, select: { personId: true } })
      ).map((c) => c.personId),
    );
    return {
      people: people.filter((p) => !claimed.has(p.id)),
      notFound: wanted ? wanted.filter((id) => !found.has(id)) : [],
      alreadyClaimed: people.filter((p) => claimed.has(p.id)).map((p) => p.id),
    };
  }

  /**
   * Refuses to issue codes for an event whose ЗЕТ the organization's rule set can never count as one
   * entry. An attendance claim is one entry per event (its external reference is the event), so a
   * 16-ЗЕТ congress under the published rule (events 1..12 per entry, "longer congresses are entered
   * day by day") is better split into one event per day than credited in pieces nobody can trace back.
   */
  private zetProblem(ruleSet: RuleSet, event: Event, today: string): IssueRefusal | null {
    const typeCode = CREDIT_TYPE_OF_KIND[event.kind];
    const check = checkCreditEntry(ruleSet, { typeCode, quantity: event.zet, date: today }, { start: today, end: today }, today);
    const problem = check.ok ? undefined : check.problems.find((p) => p.code === 'unknown-type' || p.code.startsWith('quantity'));
    if (!problem) return null;
    const { code, ...limits } = problem as { code: string; min?: number; max?: number; step?: number };
    return {
      ok: false,
      reason: 'zet-not-creditable',
      params: { typeCode, zet: event.zet, problem: code, ...(limits as { min?: number; max?: number; step?: number }) },
    };
  }
}

function expiryOf(request: IssueRequest, now: Date): Date | null {
  const latest = now.getTime() + MAX_CODE_DAYS * 86_400_000;
  if (request.expiresAt !== undefined) {
    if (request.validForDays !== undefined) return null;
    const at = request.expiresAt.getTime();
    return Number.isFinite(at) && at > now.getTime() && at <= latest ? new Date(at) : null;
  }
  const days = request.validForDays ?? DEFAULT_CODE_DAYS;
  return Number.isInteger(days) && days >= 1 && days <= MAX_CODE_DAYS ? new Date(now.getTime() + days * 86_400_000) : null;
}
