import type { Document, IdentityConfirmation, Person, ReviewStatus } from '../../generated/prisma/client';
import { actorLabel, type CaseActor } from '../applications/actor';
import { recordAudit } from '../audit/audit-journal';
import type { DocumentsService } from '../documents/documents.service';
import { NotificationsService } from '../notifications/notifications.service';
import { stripNotices, type WithNotices } from '../notifications/notices-in-transaction';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import { expiryAfter } from './identity-expiry';
import { stripControlCharacters } from '../shared/text';

export const IDENTITY_NOTIFICATION_KIND = 'identity.decided';
export const IDENTITY_STATUSES = ['PENDING', 'SUCCESS', 'REJECTED'] as const satisfies readonly ReviewStatus[];

/** Reviewers' usual reasons; others are accepted and shown as they are (locales: `identity.error.<code>`). */
export const IDENTITY_ERROR_CODES = ['unreadable', 'expired-document', 'wrong-person', 'not-authority'] as const;

export type IdentityDecision = { decision: 'SUCCESS' } | { decision: 'REJECTED'; errorCode: string; recommendation: string };

export type SubmitOutcome =
  { ok: true; confirmation: IdentityConfirmation; replaced: boolean } | { ok: false; reason: 'document-not-found' };
export type DecideOutcome =
  { ok: true; confirmation: IdentityConfirmation } | { ok: false; reason: 'confirmation-not-found' | 'already-decided' };

/** What /identity shows: nothing yet, the pending upload, or the latest decision (a success may have expired). */
export type IdentityState =
  | { kind: 'none' }
  | { kind: 'pending'; confirmation: IdentityConfirmation }
  | { kind: 'success'; confirmation: IdentityConfirmation; expired: boolean }
  | { kind: 'rejected'; confirmation: IdentityConfirmation };

export type ReviewItem = IdentityConfirmation & {
  document: Pick<Document, 'id' | 'mediaType' | 'sizeBytes' | 'originalName' | 'sha256'>;
  person: Pick<Person, 'id' | 'fullName'>;
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Identity confirmation (R-LINK «Подтверждение личности»): a person uploads a document confirming
 * authority, a reviewer accepts it for a year or rejects it with an error code and a recommendation,
 * and the person may upload again. One pending confirmation per person; every change is journaled.
 */
export class IdentityService {
  constructor(
    private readonly db: Database,
    private readonly documents: DocumentsService,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
  ) {}

  async state(person: Pick<Person, 'id'>): Promise<IdentityState> {
    const pending = await this.db.identityConfirmation.findFirst({
      where: { personId: person.id, status: 'PENDING' },
      orderBy: { createdAt: 'desc' },
    });
    if (pending) return { kind: 'pending', confirmation: pending };
    const latest = await this.db.identityConfirmation.findFirst({
      where: { personId: person.id },
      orderBy: [{ decidedAt: 'desc' }, { createdAt: 'desc' }],
    });
    if (!latest) return { kind: 'none' };
    if (latest.status === 'SUCCESS')
      return { kind: 'success', confirmation: latest, expired: latest.expiresAt !== null && latest.expiresAt <= this.clock.now() };
    return { kind: 'rejected', confirmation: latest };
  }

  /** The person's own document (marked IDENTITY) goes to review; a pending confirmation gets it instead of its old one. */
  async submit(person: Pick<Person, 'id'>, documentId: string): Promise<SubmitOutcome> {
    const kind = await this.documents.setKind(person, documentId, 'IDENTITY');
    if (!kind.ok) return { ok: false, reason: 'document-not-found' };
    const now = this.clock.now();
    return this.db.$transaction(async (tx): Promise<SubmitOutcome> => {
      // Serializes uploads of one person, so that two at once still leave a single pending confirmation.
      await tx.$queryRaw`SELECT id FROM "Person" WHERE id = ${person.id}::uuid FOR UPDATE`;
      const pending = await tx.identityConfirmation.findFirst({ where: { personId: person.id, status: 'PENDING' } });
      if (pending) {
        if (pending.documentId === documentId) return { ok: true, confirmation: pending, replaced: false };
        const confirmation = await tx.identityConfirmation.update({ where: { id: pending.id }, data: { documentId } });
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'identity.document-replaced',
          subjectType: 'IdentityConfirmation',
          subjectId: pending.id,
          before: { documentId: pending.documentId },
          after: { documentId },
        });
        return { ok: true, confirmation, replaced: true };
      }
      const confirmation = await tx.identityConfirmation.create({ data: { personId: person.id, documentId, createdAt: now } });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'identity.submitted',
        subjectType: 'IdentityConfirmation',
        subjectId: confirmation.id,
        after: { documentId },
      });
      return { ok: true, confirmation, replaced: false };
    });
  }

  /** For reviewers: confirmations with the document's metadata and whose they are, oldest pending first. */
  async listForReview(filter: { status?: ReviewStatus } = {}): Promise<ReviewItem[]> {
    return this.db.identityConfirmation.findMany({
      where: filter,
      orderBy: { createdAt: 'asc' },
      take: 500,
      include: {
        document: { select: { id: true, mediaType: true, sizeBytes: true, originalName: true, sha256: true } },
        person: { select: { id: true, fullName: true } },
      },
    });
  }

  /** For reviewers: the uploaded file itself. */
  async documentOf(confirmationId: string): Promise<{ document: Document; bytes: Buffer } | null> {
    if (!UUID.test(confirmationId)) return null;
    const confirmation = await this.db.identityConfirmation.findUnique({ where: { id: confirmationId }, include: { document: true } });
    if (!confirmation) return null;
    const bytes = await this.documents.content({ id: confirmation.personId }, confirmation.documentId);
    return bytes ? { document: confirmation.document, bytes } : null;
  }

  /** A pending confirmation becomes SUCCESS (valid for a year) or REJECTED; decisions are final, the person is told. */
  async decide(confirmationId: string, input: IdentityDecision, reviewer: CaseActor): Promise<DecideOutcome> {
    if (!UUID.test(confirmationId)) return { ok: false, reason: 'confirmation-not-found' };
    const now = this.clock.now();
    const outcome = await this.db.$transaction(async (tx): Promise<WithNotices<DecideOutcome>> => {
      // Locks the row so that two reviewers cannot both decide it.
      const locked = await tx.$queryRaw<
        { id: string }[]
      >`SELECT id FROM "IdentityConfirmation" WHERE id = ${confirmationId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { ok: false, reason: 'confirmation-not-found' };
      const before = await tx.identityConfirmation.findUniqueOrThrow({ where: { id: confirmationId } });
      if (before.status !== 'PENDING') return { ok: false, reason: 'already-decided' };
      const data =
        input.decision === 'SUCCESS'
          ? { status: 'SUCCESS' as const, errorCode: null, recommendation: null, expiresAt: expiryAfter(now) }
          : {
              status: 'REJECTED' as const,
              errorCode: stripControlCharacters(input.errorCode),
              recommendation: stripControlCharacters(input.recommendation),
              expiresAt: null,
            };
      const confirmation = await tx.identityConfirmation.update({
        where: { id: confirmationId },
        data: { ...data, reviewerId: actorLabel(reviewer), decidedAt: now },
      });
      await recordAudit(tx, {
        actorType: reviewer.type,
        actorId: reviewer.id,
        action: 'identity.decided',
        subjectType: 'IdentityConfirmation',
        subjectId: confirmationId,
        before: { status: before.status },
        after: data,
      });
      // Written with the decision: a crash after the commit cannot leave the person unaware of it.
      const notices = await NotificationsService.writeInTransaction(tx, [
        {
          personId: confirmation.personId,
          kind: IDENTITY_NOTIFICATION_KIND,
          subjectId: confirmation.id,
          dueAt: now,
          payload: {
            confirmationId: confirmation.id,
            decision: confirmation.status,
            errorCode: confirmation.errorCode,
            recommendation: confirmation.recommendation,
            expiresAt: confirmation.expiresAt?.toISOString() ?? null,
          },
          idempotencyKey: `${IDENTITY_NOTIFICATION_KIND}:${confirmation.id}`,
        },
      ]);
      return { ok: true, confirmation, notices };
    });
    if (outcome.ok) await this.notifications.dispatchKeys(outcome.notices);
    return stripNotices(outcome);
  }
}
