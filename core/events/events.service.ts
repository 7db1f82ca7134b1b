import type { Event, EventRegistration, Person, Program } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { ImportActor } from '../organizations/import-report';
import { NotificationsService, type NotificationRequest } from '../notifications/notifications.service';
import type { Clock } from '../shared/clock';
import type { Database, Executor } from '../shared/database';
import {
  type EventInput,
  type EventPatch,
  eventSchema,
  type InputProblem,
  inputOf,
  problemsOf,
  type ProgramInput,
  programSchema,
} from './event-input';
import { EVENT_REMINDER_KINDS, eventPayload, remindersOf } from './event-reminders';
import { stripControlCharacters } from '../shared/text';

/**
 * The part of NotificationsService events need: notices are written in the transaction of the change they
 * announce (NotificationsService.writeInTransaction), then queued; the worker sends them.
 */
export interface EventNotices {
  dispatchKeys(keys: readonly string[]): Promise<void>;
}

export type EventWithSeats = Event & { seatsTaken: number };
/** An upcoming event as a member of staff sees it. */
export type StaffEvent = EventWithSeats & { signedUp: boolean };

export type Refused<R extends string> = { ok: false; reason: R };
export type Invalid = { ok: false; reason: 'invalid'; problems: InputProblem[] };
export type EventOutcome = { ok: true; event: Event } | Invalid | Refused<'not-found' | 'cancelled'>;
export type SignUpOutcome =
  { ok: true; event: Event; seatsTaken: number } | Refused<'not-found' | 'cancelled' | 'started' | 'full' | 'already' | 'not-for-you'>;
export type CancelSignUpOutcome = { ok: true; event: Event } | Refused<'not-found' | 'not-signed-up'>;
export type ProgramOutcome = { ok: true; program: Program } | Invalid | Refused<'not-found'>;

export interface RegistrationListing {
  personId: string;
  fullName: string | null;
  category: string | null;
  signedUpAt: Date;
  cancelledAt: Date | null;
}

/** Fields whose change a signed-up person must hear about: when and where. */
const MOVE_FIELDS = ['startsAt', 'endsAt', 'place', 'link'] as const;

/**
 * Events and programs of an organization (R-ORG, issue #8): the education department creates, edits and
 * cancels them; staff of the categories an event is for sign up and cancel. Capacity holds under
 * concurrent sign-ups (the event row is locked while seats are counted); every change is journaled with
 * before and after; signed-up people get reminders, and hear when an event is moved or cancelled.
 */
export class EventsService {
  constructor(
    private readonly db: Database,
    private readonly notices: EventNotices,
    private readonly clock: Clock,
  ) {}

  async createEvent(organizationId: string, input: EventInput, actor: ImportActor): Promise<EventOutcome> {
    const parsed = eventSchema.safeParse(input);
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const data = parsed.data;
    if (data.programId && !(await this.programOf(organizationId, data.programId)))
      return { ok: false, reason: 'invalid', problems: [{ field: 'programId', code: 'program-unknown' }] };
    const event = await this.db.$transaction(async (tx) => {
      const created = await tx.event.create({ data: { ...data, organizationId } });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'event.created',
        subjectType: 'event',
        subjectId: created.id,
        after: created,
      });
      return created;
    });
    return { ok: true, event };
  }

  /**
   * Changes some fields; the whole event is checked again, and the capacity may not fall below the seats
   * already taken (refused as `capacity-below-sign-ups` with `taken`). When it moved (dates, place or link), each
   * signed-up person is told what changed, and their reminders follow the new start.
   */
  async updateEvent(organizationId: string, eventId: string, patch: EventPatch, actor: ImportActor): Promise<EventOutcome> {
    const before = await this.eventOf(organizationId, eventId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (before.status === 'CANCELLED') return { ok: false, reason: 'cancelled' };
    const parsed = eventSchema.safeParse({ ...inputOf(before), ...stripUndefined(patch) });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const data = parsed.data;
    if (data.programId && data.programId !== before.programId && !(await this.programOf(organizationId, data.programId))) {
      return { ok: false, reason: 'invalid', problems: [{ field: 'programId', code: 'program-unknown' }] };
    }
    const moved = MOVE_FIELDS.some((field) => !sameValue(before[field], data[field]));
    const capacityChanged = data.capacity !== null && data.capacity !== before.capacity;
    const now = this.clock.now();
    const written = await this.db.$transaction(async (tx): Promise<{ refused: number } | { event: Event; keys: string[] }> => {
      if (capacityChanged) {
        // Locked like a sign-up does, so no seat is taken between the count and the new capacity.
        await tx.$queryRaw`SELECT id FROM "Event" WHERE id = ${before.id}::uuid FOR UPDATE`;
        const taken = await tx.eventRegistration.count({ where: { eventId: before.id, cancelledAt: null } });
        if (taken > data.capacity!) return { refused: taken };
      }
      const updated = await tx.event.update({ where: { id: before.id }, data });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'event.updated',
        subjectType: 'event',
        subjectId: before.id,
        before,
        after: updated,
      });
      if (!moved) return { event: updated, keys: [] };
      await this.cancelReminders(tx, before.id);
      const notices = (await this.attendees(tx, before.id)).flatMap((person): NotificationRequest[] => [
        {
          personId: person.id,
          kind: 'event.changed',
          subjectId: updated.id,
          dueAt: now,
          idempotencyKey: `event.changed:${updated.id}:${person.id}:${updated.updatedAt.toISOString()}`,
          payload: { ...eventPayload(updated, person.timeZone), before: eventPayload(before, person.timeZone) },
        },
        ...remindersOf(updated, person, now),
      ]);
      return { event: updated, keys: await NotificationsService.writeInTransaction(tx, notices) };
    });
    if ('refused' in written)
      return {
        ok: false,
        reason: 'invalid',
        problems: [{ field: 'capacity', code: 'capacity-below-sign-ups', params: { taken: written.refused } }],
      };
    await this.notices.dispatchKeys(written.keys);
    return { ok: true, event: written.event };
  }

  /** Cancels the event: signed-up people are told (with the reason) and their reminders are withdrawn. */
  async cancelEvent(organizationId: string, eventId: string, reason: string, actor: ImportActor): Promise<EventOutcome> {
    const text = stripControlCharacters(reason).trim();
    if (text === '' || text.length > 500)
      return { ok: false, reason: 'invalid', problems: [{ field: 'reason', code: text === '' ? 'reason-empty' : 'text-too-long' }] };
    const before = await this.eventOf(organizationId, eventId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (before.status === 'CANCELLED') return { ok: false, reason: 'cancelled' };
    const now = this.clock.now();
    const { event, keys } = await this.db.$transaction(async (tx) => {
      const { count } = await tx.event.updateMany({
        where: { id: before.id, status: 'SCHEDULED' },
        data: { status: 'CANCELLED', cancelledAt: now, cancelReason: text },
      });
      if (count === 0) return { event: null, keys: [] };
      const updated = await tx.event.findUniqueOrThrow({ where: { id: before.id } });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'event.cancelled',
        subjectType: 'event',
        subjectId: before.id,
        before,
        after: updated,
      });
      await this.cancelReminders(tx, before.id);
      const notices = (await this.attendees(tx, before.id)).map((person): NotificationRequest => ({
        personId: person.id,
        kind: 'event.cancelled',
        subjectId: updated.id,
        dueAt: now,
        idempotencyKey: `event.cancelled:${updated.id}:${person.id}`,
        payload: { ...eventPayload(updated, person.timeZone), reason: text },
      }));
      return { event: updated, keys: await NotificationsService.writeInTransaction(tx, notices) };
    });
    if (!event) return { ok: false, reason: 'cancelled' };
    await this.notices.dispatchKeys(keys);
    return { ok: true, event };
  }

  /** The organization's events from `from` on (by default everything), with seats taken. */
  async listEvents(organizationId: string, options: { from?: Date; includeCancelled?: boolean } = {}): Promise<EventWithSeats[]> {
    const events = await this.db.event.findMany({
      where: {
        organizationId,
        ...(options.from ? { endsAt: { gte: options.from } } : {}),
        ...(options.includeCancelled === false ? { status: 'SCHEDULED' } : {}),
      },
      orderBy: [{ startsAt: 'asc' }, { createdAt: 'asc' }],
    });
    return this.withSeats(events);
  }

  async getEvent(organizationId: string, eventId: string): Promise<EventWithSeats | null> {
    const event = await this.eventOf(organizationId, eventId);
    return event ? (await this.withSeats([event]))[0] : null;
  }

  /** What is coming for a person: their organization's scheduled events not started yet, for their category or everybody. */
  async upcomingFor(person: Person): Promise<StaffEvent[]> {
    if (!person.organizationId) return [];
    const events = await this.db.event.findMany({
      where: {
        organizationId: person.organizationId,
        status: 'SCHEDULED',
        startsAt: { gt: this.clock.now() },
        OR: [{ categories: { isEmpty: true } }, ...(person.category ? [{ categories: { has: person.category } }] : [])],
      },
      orderBy: [{ startsAt: 'asc' }, { createdAt: 'asc' }],
    });
    const mine = await this.db.eventRegistration.findMany({
      where: { personId: person.id, cancelledAt: null, eventId: { in: events.map((e) => e.id) } },
      select: { eventId: true },
    });
    const signedUp = new Set(mine.map((r) => r.eventId));
    return (await this.withSeats(events)).map((e) => ({ ...e, signedUp: signedUp.has(e.id) }));
  }

  /**
   * Takes a seat. The event row is locked (SELECT … FOR UPDATE) while the seats are counted and the
   * registration written, so concurrent sign-ups queue on it and the last seat goes to exactly one of
   * them. Signing up again after cancelling reuses the row.
   */
  async signUp(person: Person, eventId: string): Promise<SignUpOutcome> {
    if (!isUuid(eventId) || !person.organizationId) return { ok: false, reason: 'not-found' };
    const now = this.clock.now();
    const outcome = await this.db.$transaction(
      async (tx): Promise<Exclude<SignUpOutcome, { ok: true }> | (Extract<SignUpOutcome, { ok: true }> & { keys: string[] })> => {
        const locked = await tx.$queryRaw<
          Array<{ id: string }>
        >`SELECT id FROM "Event" WHERE id = ${eventId}::uuid AND "organizationId" = ${person.organizationId}::uuid FOR UPDATE`;
        if (locked.length === 0) return { ok: false, reason: 'not-found' };
        const event = await tx.event.findUniqueOrThrow({ where: { id: eventId } });
        if (event.status === 'CANCELLED') return { ok: false, reason: 'cancelled' };
        if (event.startsAt <= now) return { ok: false, reason: 'started' };
        if (event.categories.length > 0 && (!person.category || !event.categories.includes(person.category)))
          return { ok: false, reason: 'not-for-you' };
        const existing = await tx.eventRegistration.findUnique({ where: { eventId_personId: { eventId, personId: person.id } } });
        if (existing && !existing.cancelledAt) return { ok: false, reason: 'already' };
        const taken = await tx.eventRegistration.count({ where: { eventId, cancelledAt: null } });
        if (event.capacity !== null && taken >= event.capacity) return { ok: false, reason: 'full' };
        const registration = existing
          ? await tx.eventRegistration.update({ where: { id: existing.id }, data: { cancelledAt: null, createdAt: now } })
          : await tx.eventRegistration.create({ data: { eventId, personId: person.id, createdAt: now } });
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'event.signed-up',
          subjectType: 'event_registration',
          subjectId: registration.id,
          before: existing ?? undefined,
          after: registration,
        });
        const reminders = remindersOf(event, person, now);
        // Signing up again after cancelling: the reminders the cancel withdrew (same keys) are due again.
        await tx.notification.updateMany({
          where: { idempotencyKey: { in: reminders.map((r) => NotificationsService.keyOf(r)) }, state: 'CANCELLED' },
          data: { state: 'PENDING', lastError: null },
        });
        const keys = await NotificationsService.writeInTransaction(tx, reminders);
        return { ok: true, event, seatsTaken: taken + 1, keys };
      },
    );
    if (!outcome.ok) return outcome;
    const { keys, ...signedUp } = outcome;
    await this.notices.dispatchKeys(keys);
    return signedUp;
  }

  /** Gives the seat back; the row stays (history, reports) and pending reminders are withdrawn. */
  async cancelSignUp(person: Person, eventId: string): Promise<CancelSignUpOutcome> {
    if (!isUuid(eventId)) return { ok: false, reason: 'not-found' };
    const now = this.clock.now();
    return this.db.$transaction(async (tx): Promise<CancelSignUpOutcome> => {
      const registration = await tx.eventRegistration.findUnique({
        where: { eventId_personId: { eventId, personId: person.id } },
        include: { event: true },
      });
      if (!registration || registration.event.organizationId !== person.organizationId) return { ok: false, reason: 'not-found' };
      const { count } = await tx.eventRegistration.updateMany({
        where: { id: registration.id, cancelledAt: null },
        data: { cancelledAt: now },
      });
      if (count === 0) return { ok: false, reason: 'not-signed-up' };
      await tx.notification.updateMany({
        where: { personId: person.id, subjectId: eventId, kind: { in: [...EVENT_REMINDER_KINDS] }, state: 'PENDING' },
        data: { state: 'CANCELLED' },
      });
      const { event, ...before } = registration;
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'event.sign-up-cancelled',
        subjectType: 'event_registration',
        subjectId: registration.id,
        before,
        after: { ...before, cancelledAt: now },
      });
      return { ok: true, event };
    });
  }

  /** Who signed up (and who cancelled), oldest first; null when the event is not this organization's. */
  async registrations(organizationId: string, eventId: string): Promise<RegistrationListing[] | null> {
    const event = await this.eventOf(organizationId, eventId);
    if (!event) return null;
    const rows = await this.db.eventRegistration.findMany({
      where: { eventId: event.id },
      include: { person: { select: { fullName: true, category: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return rows.map((r) => ({
      personId: r.personId,
      fullName: r.person.fullName,
      category: r.person.category,
      signedUpAt: r.createdAt,
      cancelledAt: r.cancelledAt,
    }));
  }

  async createProgram(organizationId: string, input: ProgramInput, actor: ImportActor): Promise<ProgramOutcome> {
    const parsed = programSchema.safeParse(input);
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const program = await this.db.$transaction(async (tx) => {
      const created = await tx.program.create({ data: { ...parsed.data, organizationId } });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'program.created',
        subjectType: 'program',
        subjectId: created.id,
        after: created,
      });
      return created;
    });
    return { ok: true, program };
  }

  async updateProgram(
    organizationId: string,
    programId: string,
    patch: Partial<ProgramInput>,
    actor: ImportActor,
  ): Promise<ProgramOutcome> {
    const before = await this.programOf(organizationId, programId);
    if (!before) return { ok: false, reason: 'not-found' };
    const parsed = programSchema.safeParse({
      title: before.title,
      goal: before.goal,
      criteria: before.criteria,
      budget: before.budget === null ? null : Number(before.budget),
      ...stripUndefined(patch),
    });
    if (!parsed.success) return { ok: false, reason: 'invalid', problems: problemsOf(parsed.error) };
    const program = await this.db.$transaction(async (tx) => {
      const updated = await tx.program.update({ where: { id: before.id }, data: parsed.data });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'program.updated',
        subjectType: 'program',
        subjectId: before.id,
        before,
        after: updated,
      });
      return updated;
    });
    return { ok: true, program };
  }

  /** Archived programs keep their events; they are no longer offered for new ones. */
  async archiveProgram(organizationId: string, programId: string, actor: ImportActor): Promise<ProgramOutcome> {
    const before = await this.programOf(organizationId, programId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (before.archivedAt) return { ok: true, program: before };
    const program = await this.db.$transaction(async (tx) => {
      const updated = await tx.program.update({ where: { id: before.id }, data: { archivedAt: this.clock.now() } });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'program.archived',
        subjectType: 'program',
        subjectId: before.id,
        before,
        after: updated,
      });
      return updated;
    });
    return { ok: true, program };
  }

  /** An archived program is offered for new events and edits again; its events never left it. */
  async restoreProgram(organizationId: string, programId: string, actor: ImportActor): Promise<ProgramOutcome> {
    const before = await this.programOf(organizationId, programId);
    if (!before) return { ok: false, reason: 'not-found' };
    if (!before.archivedAt) return { ok: true, program: before };
    const program = await this.db.$transaction(async (tx) => {
      const updated = await tx.program.update({ where: { id: before.id }, data: { archivedAt: null } });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'program.restored',
        subjectType: 'program',
        subjectId: before.id,
        before,
        after: updated,
      });
      return updated;
    });
    return { ok: true, program };
  }

  async listPrograms(organizationId: string): Promise<Array<Program & { events: number }>> {
    const programs = await this.db.program.findMany({
      where: { organizationId },
      include: { _count: { select: { events: true } } },
      orderBy: { createdAt: 'asc' },
    });
    return programs.map(({ _count, ...p }) => ({ ...p, events: _count.events }));
  }

  private async eventOf(organizationId: string, eventId: string): Promise<Event | null> {
    if (!isUuid(eventId)) return null;
    return this.db.event.findFirst({ where: { id: eventId, organizationId } });
  }

  private async programOf(organizationId: string, programId: string): Promise<Program | null> {
    if (!isUuid(programId)) return null;
    return this.db.program.findFirst({ where: { id: programId, organizationId } });
  }

  private async withSeats<E extends Event>(events: E[]): Promise<Array<E & { seatsTaken: number }>> {
    if (events.length === 0) return [];
    const counts = await this.db.eventRegistration.groupBy({
      by: ['eventId'],
      where: { eventId: { in: events.map((e) => e.id) }, cancelledAt: null },
      _count: { _all: true },
    });
    const taken = new Map(counts.map((c) => [c.eventId, c._count._all]));
    return events.map((e) => ({ ...e, seatsTaken: taken.get(e.id) ?? 0 }));
  }

  /** Signed-up people who can still be written to. */
  private async attendees(tx: Executor, eventId: string): Promise<Array<Pick<Person, 'id' | 'timeZone'>>> {
    const rows: Array<EventRegistration & { person: Pick<Person, 'id' | 'timeZone' | 'deletedAt'> }> = await tx.eventRegistration.findMany({
      where: { eventId, cancelledAt: null },
      include: { person: { select: { id: true, timeZone: true, deletedAt: true } } },
    });
    return rows.filter((r) => !r.person.deletedAt).map((r) => ({ id: r.person.id, timeZone: r.person.timeZone }));
  }

  private async cancelReminders(tx: Executor, eventId: string): Promise<void> {
    await tx.notification.updateMany({
      where: { subjectId: eventId, kind: { in: [...EVENT_REMINDER_KINDS] }, state: 'PENDING' },
      data: { state: 'CANCELLED' },
    });
  }
}

function isUuid(value: string): boolean {
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value);
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return (a ?? null) === (b ?? null);
}
