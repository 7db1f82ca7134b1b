import type { Application, ApplicationStatus, ApplicationTransition, Document, Person } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { NotificationsService } from '../notifications/notifications.service';
import { stripNotices, type WithNotices } from '../notifications/notices-in-transaction';
import type { Clock } from '../shared/clock';
import type { Database, Executor } from '../shared/database';
import { actorLabel, type CaseActor, SYSTEM_ACTOR } from './actor';
import { transition } from './application-status';

/** «Запросить разъяснение» appears after this long «На рассмотрении» (R-APPS). */
export const CLARIFICATION_AFTER_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ApplicationCard {
  application: Application;
  transitions: ApplicationTransition[];
  documents: Document[];
  /** Document kinds required and not yet attached. */
  missingDocuments: string[];
  /** When «Запросить разъяснение» becomes available; null when the status does not allow it. */
  clarificationFrom: Date | null;
  canRequestClarification: boolean;
}

export interface NewApplication {
  personId: string;
  kind: string;
  title: string;
  responsibleBody?: string;
  contacts?: string;
  requiredDocuments?: string[];
  externalRef?: string;
  status?: ApplicationStatus;
}

export type ApplicationRefusal =
  | { ok: false; reason: 'application-not-found' | 'illegal-transition' | 'document-not-found' }
  | { ok: false; reason: 'clarification-too-early'; params: { from: Date } };
export type StatusOutcome = { ok: true; application: Application; transition: ApplicationTransition } | ApplicationRefusal;

/**
 * Applications of one person (R-APPS): list and card with the history of transitions, status changes
 * through the state machine (journaled, notified), and documents that move ACTION_REQUIRED on by themselves.
 */
export class ApplicationsService {
  constructor(
    private readonly db: Database,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async list(person: Pick<Person, 'id'>): Promise<Application[]> {
    return this.db.application.findMany({ where: { personId: person.id }, orderBy: [{ statusChangedAt: 'desc' }, { createdAt: 'desc' }] });
  }

  /** Someone else's application and a missing one look the same. */
  async own(person: Pick<Person, 'id'>, applicationId: string): Promise<Application | null> {
    if (!UUID.test(applicationId)) return null;
    const application = await this.db.application.findUnique({ where: { id: applicationId } });
    return application && application.personId === person.id ? application : null;
  }

  async card(person: Pick<Person, 'id'>, applicationId: string): Promise<ApplicationCard | null> {
    const application = await this.own(person, applicationId);
    if (!application) return null;
    const [transitions, documents] = await Promise.all([
      this.db.applicationTransition.findMany({ where: { applicationId }, orderBy: { at: 'asc' } }),
      this.linkedDocuments(this.db, applicationId),
    ]);
    const clarificationFrom = ApplicationsService.clarificationFrom(application);
    return {
      application,
      transitions,
      documents,
      missingDocuments: missingKinds(application, documents),
      clarificationFrom,
      canRequestClarification: clarificationFrom !== null && clarificationFrom <= this.clock.now(),
    };
  }

  static clarificationFrom(application: Pick<Application, 'status' | 'statusChangedAt'>): Date | null {
    if (application.status !== 'UNDER_REVIEW') return null;
    return new Date(application.statusChangedAt.getTime() + CLARIFICATION_AFTER_DAYS * DAY_MS);
  }

  /** Journals the request; the responsible body's answer comes back as a status change or a support reply. */
  async requestClarification(person: Pick<Person, 'id'>, applicationId: string): Promise<{ ok: true } | ApplicationRefusal> {
    const application = await this.own(person, applicationId);
    if (!application) return { ok: false, reason: 'application-not-found' };
    const from = ApplicationsService.clarificationFrom(application);
    if (!from) return { ok: false, reason: 'illegal-transition' };
    if (from > this.clock.now()) return { ok: false, reason: 'clarification-too-early', params: { from } };
    await recordAudit(this.db, {
      actorType: 'person',
      actorId: person.id,
      action: 'application.clarification-requested',
      subjectType: 'application',
      subjectId: application.id,
      after: { status: application.status, statusChangedAt: application.statusChangedAt },
    });
    return { ok: true };
  }

  /** Creates an application in PROCESSING (or the given status) with its first transition. */
  async create(input: NewApplication, actor: CaseActor): Promise<Application> {
    const now = this.clock.now();
    const status = input.status ?? 'PROCESSING';
    return this.db.$transaction(async (tx) => {
      const created = await tx.application.create({
        data: {
          personId: input.personId,
          kind: input.kind,
          title: input.title,
          responsibleBody: input.responsibleBody,
          contacts: input.contacts,
          requiredDocuments: input.requiredDocuments ?? [],
          externalRef: input.externalRef,
          status,
          statusChangedAt: now,
          createdAt: now,
        },
      });
      await tx.applicationTransition.create({
        data: { applicationId: created.id, fromStatus: null, toStatus: status, actor: actorLabel(actor), at: now },
      });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'application.created',
        subjectType: 'application',
        subjectId: created.id,
        after: created,
      });
      return created;
    });
  }

  /** The linked person behind an organization's roster entry (табельный номер), for admins creating applications. */
  async personOfRoster(
    organizationCode: string,
    externalId: string,
  ): Promise<{ ok: true; personId: string } | { ok: false; reason: 'organization-not-found' | 'roster-entry-not-found' | 'not-linked' }> {
    const organization = await this.db.organization.findUnique({ where: { code: organizationCode.trim().toUpperCase() } });
    if (!organization) return { ok: false, reason: 'organization-not-found' };
    const entry = await this.db.rosterEntry.findUnique({
      where: { organizationId_externalId: { organizationId: organization.id, externalId: externalId.trim() } },
    });
    if (!entry) return { ok: false, reason: 'roster-entry-not-found' };
    return entry.personId ? { ok: true, personId: entry.personId } : { ok: false, reason: 'not-linked' };
  }

  /** Any application by id, for reviewers and admins (never for a person's own view). */
  async findById(applicationId: string): Promise<Application | null> {
    return UUID.test(applicationId) ? this.db.application.findUnique({ where: { id: applicationId } }) : null;
  }

  async listAll(filter: { status?: ApplicationStatus; personId?: string } = {}): Promise<Application[]> {
    return this.db.application.findMany({ where: filter, orderBy: { statusChangedAt: 'desc' }, take: 500 });
  }

  /** Moves an application through the state machine, records the transition and tells the person. */
  async changeStatus(applicationId: string, to: ApplicationStatus, actor: CaseActor, comment?: string): Promise<StatusOutcome> {
    const now = this.clock.now();
    const outcome = await this.db.$transaction(async (tx): Promise<WithNotices<StatusOutcome>> => {
      // Locks the row so two reviewers cannot both move it from the same status.
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Application" WHERE id = ${applicationId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { ok: false, reason: 'application-not-found' };
      const before = await tx.application.findUniqueOrThrow({ where: { id: applicationId } });
      if (!transition(before.status, to).ok) return { ok: false, reason: 'illegal-transition' };
      const application = await tx.application.update({ where: { id: applicationId }, data: { status: to, statusChangedAt: now } });
      const recorded = await tx.applicationTransition.create({
        data: { applicationId, fromStatus: before.status, toStatus: to, actor: actorLabel(actor), comment: comment ?? null, at: now },
      });
      await recordAudit(tx, {
        actorType: actor.type,
        actorId: actor.id,
        action: 'application.status-changed',
        subjectType: 'application',
        subjectId: applicationId,
        before: { status: before.status },
        after: { status: to, comment },
      });
      // Written with the change: a crash after the commit cannot leave the person unaware of it.
      const notices = await NotificationsService.writeInTransaction(tx, [
        {
          personId: application.personId,
          kind: 'application.status',
          subjectId: applicationId,
          dueAt: now,
          payload: { applicationId, title: application.title, status: to, from: recorded.fromStatus, comment: comment ?? null },
          // Two changes on one day are two notices.
          idempotencyKey: `application.status:${recorded.id}`,
        },
      ]);
      return { ok: true, application, transition: recorded, notices };
    });
    if (outcome.ok) await this.notifications.dispatchKeys(outcome.notices);
    return stripNotices(outcome);
  }

  /**
   * Links an own document to an own application; an ACTION_REQUIRED application whose required kinds
   * are now all present moves to UNDER_REVIEW by itself (R-APPS «может изменить статус автоматически»).
   */
  async attachDocument(
    person: Pick<Person, 'id'>,
    applicationId: string,
    documentId: string,
  ): Promise<{ ok: true; application: Application; moved: boolean } | ApplicationRefusal> {
    const application = await this.own(person, applicationId);
    if (!application) return { ok: false, reason: 'application-not-found' };
    if (!UUID.test(documentId)) return { ok: false, reason: 'document-not-found' };
    const document = await this.db.document.findUnique({ where: { id: documentId } });
    if (!document || document.personId !== person.id || document.deletedAt) return { ok: false, reason: 'document-not-found' };
    await this.db.documentLink.upsert({
      where: { documentId_subjectType_subjectId: { documentId, subjectType: 'APPLICATION', subjectId: applicationId } },
      create: { documentId, subjectType: 'APPLICATION', subjectId: applicationId },
      update: {},
    });
    return this.afterDocumentsChanged(person, applicationId);
  }

  /** Called after a document was linked elsewhere (e.g. by DocumentsService.attach). */
  async afterDocumentsChanged(
    person: Pick<Person, 'id'>,
    applicationId: string,
  ): Promise<{ ok: true; application: Application; moved: boolean } | ApplicationRefusal> {
    const application = await this.own(person, applicationId);
    if (!application) return { ok: false, reason: 'application-not-found' };
    if (application.status !== 'ACTION_REQUIRED') return { ok: true, application, moved: false };
    const documents = await this.linkedDocuments(this.db, applicationId);
    if (missingKinds(application, documents).length > 0) return { ok: true, application, moved: false };
    const moved = await this.changeStatus(applicationId, 'UNDER_REVIEW', SYSTEM_ACTOR, 'documents-complete');
    if (!moved.ok) return { ok: true, application, moved: false };
    return { ok: true, application: moved.application, moved: true };
  }

  private async linkedDocuments(db: Executor, applicationId: string): Promise<Document[]> {
    const links = await db.documentLink.findMany({
      where: { subjectType: 'APPLICATION', subjectId: applicationId },
      include: { document: true },
    });
    return links.map((l) => l.document).filter((d) => d.deletedAt === null);
  }
}

function missingKinds(application: Pick<Application, 'requiredDocuments'>, documents: Pick<Document, 'kind'>[]): string[] {
  const present = new Set<string>(documents.map((d) => d.kind));
  return application.requiredDocuments.filter((kind) => !present.has(kind));
}
