import { stripControlCharacters } from '../shared/text';
import type { Appeal, CreditEntry, Dispute, DisputeSubject, Document, Person } from '../../generated/prisma/client';
import { actorLabel, type CaseActor } from '../applications/actor';
import { recordAudit } from '../audit/audit-journal';
import type { WorkingDayDeadlines } from '../calendar/working-day-deadlines';
import type { CreditsService, EvaluationRequests } from '../credits/credits.service';
import { NotificationsService } from '../notifications/notifications.service';
import { stripNotices, type WithNotices } from '../notifications/notices-in-transaction';
import type { Clock } from '../shared/clock';
import type { Database, Transaction } from '../shared/database';
import { canAppeal, type CaseDecision, caseTransition } from './case-status';
import {
  APPEAL_REVIEW_WORKING_DAYS,
  APPEAL_WINDOW_WORKING_DAYS,
  DISPUTE_REVIEW_WORKING_DAYS,
  isDisputableProfileField,
  MAX_REASON_LENGTH,
} from './dispute-subject';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface DisputeDraft {
  subjectType: DisputeSubject;
  /** The credit entry or application id; absent for a profile field. */
  subjectId?: string;
  /** The profile field disputed. */
  field?: string;
  reason: string;
  /** What the person says is right, e.g. the correct quantity of a credit entry. */
  requestedValue?: string;
  /** Own uploaded documents proving the claim: at least one. */
  documentIds: string[];
}

/** Reasons are locale keys under `disputes.refused.<reason>`. */
export type DisputeRefusalReason =
  | 'subject-not-found'
  | 'field-unknown'
  | 'reason-required'
  | 'reason-too-long'
  | 'requested-value-invalid'
  | 'evidence-required'
  | 'document-not-found'
  | 'dispute-not-found'
  | 'appeal-not-found'
  | 'dispute-not-rejected'
  | 'already-appealed'
  | 'illegal-transition';
/** A corrected quantity the rule set would not count as asked (the same checks /add makes). */
export type RequestedValueOutOfRange =
  | { ok: false; reason: 'requested-value-below-min'; params: { min: number } }
  | { ok: false; reason: 'requested-value-above-max'; params: { max: number } }
  | { ok: false; reason: 'requested-value-off-step'; params: { step: number } };
export type DisputeRefusal =
  | { ok: false; reason: DisputeRefusalReason }
  | RequestedValueOutOfRange
  | { ok: false; reason: 'appeal-window-closed'; params: AppealWindow };

/** Until when a rejected dispute may be appealed; `fallbackYear` as in WorkingDayDeadline (a provisional date). */
export interface AppealWindow {
  until: Date;
  fallbackYear: number | null;
}

export type FileOutcome = { ok: true; dispute: Dispute } | DisputeRefusal;
export type DecideOutcome = { ok: true; dispute: Dispute; corrected: boolean } | DisputeRefusal;
export type AppealOutcome = { ok: true; appeal: Appeal } | DisputeRefusal;
export type DecideAppealOutcome = { ok: true; appeal: Appeal; corrected: boolean } | DisputeRefusal;

export type DisputeWithAppeal = Dispute & { appeal: Appeal | null };

/** What the quantity check of a dispute needs from the credits side: the rule set and the check /add makes. */
export type QuantityRules = Pick<CreditsService, 'ruleSetOf' | 'checkQuantity' | 'today'>;

/**
 * Disputes and appeals (R-DISPUTE, R-APPEAL): a person disputes their own data with evidence, a reviewer
 * decides within 10 working days, approval applies the correction; a rejection may be appealed within
 * 5 working days, decided within 15, and that result is final. Deadlines follow the production calendar;
 * each is stored with the year it was counted without a calendar, if any (provisional, see
 * ProvisionalDeadlines). A corrected quantity is checked against the person's rule set when filed.
 */
export class DisputesService {
  constructor(
    private readonly db: Database,
    private readonly deadlines: WorkingDayDeadlines,
    private readonly quantities: QuantityRules,
    private readonly notifications: NotificationsService,
    private readonly evaluations: EvaluationRequests,
    private readonly clock: Clock,
  ) {}

  // ─────────── the person's side ───────────

  async list(person: Pick<Person, 'id'>): Promise<DisputeWithAppeal[]> {
    return this.db.dispute.findMany({ where: { personId: person.id }, include: { appeal: true }, orderBy: { filedAt: 'desc' } });
  }

  /** Someone else's dispute and a missing one look the same. */
  async own(person: Pick<Person, 'id'>, disputeId: string): Promise<DisputeWithAppeal | null> {
    if (!UUID.test(disputeId)) return null;
    const dispute = await this.db.dispute.findUnique({ where: { id: disputeId }, include: { appeal: true } });
    return dispute && dispute.personId === person.id ? dispute : null;
  }

  /** Own uploaded documents that may serve as evidence, newest first. */
  async evidenceCandidates(person: Pick<Person, 'id'>): Promise<Document[]> {
    return this.db.document.findMany({ where: { personId: person.id, deletedAt: null }, orderBy: { createdAt: 'desc' }, take: 20 });
  }

  /** Own credit entries that may be disputed (anything counted, whatever its source). */
  async disputableEntries(person: Pick<Person, 'id'>, take = 10): Promise<CreditEntry[]> {
    return this.db.creditEntry.findMany({
      where: { personId: person.id, deletedAt: null },
      orderBy: [{ occurredOn: 'desc' }, { createdAt: 'desc' }],
      take,
    });
  }

  /** Checks a draft as a whole (a wizard's state may be stale): own subject, reason, own evidence. */
  async check(person: Pick<Person, 'id'>, draft: DisputeDraft): Promise<{ ok: true } | DisputeRefusal> {
    const subject = await this.checkSubject(person, draft);
    if (!subject.ok) return subject;
    const reason = stripControlCharacters(draft.reason).trim();
    if (!reason) return { ok: false, reason: 'reason-required' };
    if (reason.length > MAX_REASON_LENGTH) return { ok: false, reason: 'reason-too-long' };
    if (draft.documentIds.length === 0) return { ok: false, reason: 'evidence-required' };
    if (draft.documentIds.some((id) => !UUID.test(id))) return { ok: false, reason: 'document-not-found' };
    const documents = await this.db.document.findMany({
      where: { id: { in: draft.documentIds }, personId: person.id, deletedAt: null },
      select: { id: true },
    });
    if (documents.length !== new Set(draft.documentIds).size) return { ok: false, reason: 'document-not-found' };
    return { ok: true };
  }

  /** Files a dispute with its evidence linked, due by the end of the 10th working day after filing. */
  async file(person: Pick<Person, 'id'>, draft: DisputeDraft): Promise<FileOutcome> {
    const checked = await this.check(person, draft);
    if (!checked.ok) return checked;
    const filedAt = this.clock.now();
    const due = await this.deadlines.after(filedAt, DISPUTE_REVIEW_WORKING_DAYS);
    const dispute = await this.db.$transaction(async (tx) => {
      const created = await tx.dispute.create({
        data: {
          personId: person.id,
          subjectType: draft.subjectType,
          subjectId: draft.subjectId ?? null,
          field: draft.field ?? null,
          reason: stripControlCharacters(draft.reason).trim(),
          requestedValue: draft.requestedValue === undefined ? null : stripControlCharacters(draft.requestedValue).trim() || null,
          filedAt,
          dueAt: due.dueAt,
          dueFallbackYear: due.fallbackYear,
        },
      });
      await tx.documentLink.createMany({
        data: [...new Set(draft.documentIds)].map((documentId) => ({ documentId, subjectType: 'DISPUTE' as const, subjectId: created.id })),
        skipDuplicates: true,
      });
      await recordAudit(tx, {
        actorType: 'person',
        actorId: person.id,
        action: 'dispute.filed',
        subjectType: 'dispute',
        subjectId: created.id,
        after: { ...created, documentIds: draft.documentIds },
      });
      return created;
    });
    return { ok: true, dispute };
  }

  /**
   * The last instant an appeal of a decided dispute is accepted: end of the 5th working day after the
   * decision, as stored at the rejection (a dispute rejected before it was stored gets it counted now).
   */
  async appealWindow(
    dispute: Pick<Dispute, 'decidedAt' | 'appealWindowEndsAt' | 'appealWindowFallbackYear'>,
  ): Promise<AppealWindow | null> {
    if (!dispute.decidedAt) return null;
    if (dispute.appealWindowEndsAt) return { until: dispute.appealWindowEndsAt, fallbackYear: dispute.appealWindowFallbackYear };
    const window = await this.deadlines.after(dispute.decidedAt, APPEAL_WINDOW_WORKING_DAYS);
    return { until: window.dueAt, fallbackYear: window.fallbackYear };
  }

  /** Checks whether an appeal may be filed now, without filing it (for the bot to say until when, or why not). */
  async appealEligibility(
    person: Pick<Person, 'id'>,
    disputeId: string,
  ): Promise<({ ok: true; dispute: DisputeWithAppeal } & AppealWindow) | DisputeRefusal> {
    const dispute = await this.own(person, disputeId);
    if (!dispute) return { ok: false, reason: 'dispute-not-found' };
    const allowed = canAppeal(dispute, dispute.appeal);
    if (!allowed.ok) return allowed;
    const window = (await this.appealWindow(dispute))!;
    if (this.clock.now() > window.until) return { ok: false, reason: 'appeal-window-closed', params: window };
    return { ok: true, dispute, ...window };
  }

  /** Files an appeal of an own rejected dispute inside the window, due by the end of the 15th working day. */
  async fileAppeal(person: Pick<Person, 'id'>, disputeId: string, reason: string): Promise<AppealOutcome> {
    const eligible = await this.appealEligibility(person, disputeId);
    if (!eligible.ok) return eligible;
    const text = stripControlCharacters(reason).trim();
    if (!text) return { ok: false, reason: 'reason-required' };
    if (text.length > MAX_REASON_LENGTH) return { ok: false, reason: 'reason-too-long' };
    const filedAt = this.clock.now();
    const due = await this.deadlines.after(filedAt, APPEAL_REVIEW_WORKING_DAYS);
    try {
      const appeal = await this.db.$transaction(async (tx) => {
        const created = await tx.appeal.create({
          data: { disputeId, personId: person.id, reason: text, filedAt, dueAt: due.dueAt, dueFallbackYear: due.fallbackYear },
        });
        await recordAudit(tx, {
          actorType: 'person',
          actorId: person.id,
          action: 'appeal.filed',
          subjectType: 'appeal',
          subjectId: created.id,
          after: created,
        });
        return created;
      });
      return { ok: true, appeal };
    } catch (error) {
      // Two quick presses: the unique disputeId keeps one appeal.
      if ((error as { code?: string }).code === 'P2002') return { ok: false, reason: 'already-appealed' };
      throw error;
    }
  }

  // ─────────── the reviewer's side ───────────

  async listForReview(filter: { status?: Dispute['status'] } = {}): Promise<DisputeWithAppeal[]> {
    return this.db.dispute.findMany({ where: filter, include: { appeal: true }, orderBy: { dueAt: 'asc' }, take: 500 });
  }

  async listAppeals(filter: { status?: Appeal['status'] } = {}): Promise<Array<Appeal & { dispute: Dispute }>> {
    return this.db.appeal.findMany({ where: filter, include: { dispute: true }, orderBy: { dueAt: 'asc' }, take: 500 });
  }

  /** Marks a submitted case as taken into review. */
  async startReview(disputeId: string, reviewer: CaseActor): Promise<DecideOutcome> {
    return this.moveDispute(disputeId, 'UNDER_REVIEW', null, reviewer);
  }

  /** Decides a dispute; approval applies the correction in the same transaction. */
  async decide(disputeId: string, decision: CaseDecision, comment: string, reviewer: CaseActor): Promise<DecideOutcome> {
    return this.moveDispute(disputeId, decision, stripControlCharacters(comment), reviewer);
  }

  /** Decides an appeal; its result is final. Approval applies the disputed correction. */
  async decideAppeal(appealId: string, decision: CaseDecision, comment: string, reviewer: CaseActor): Promise<DecideAppealOutcome> {
    if (!UUID.test(appealId)) return { ok: false, reason: 'appeal-not-found' };
    comment = stripControlCharacters(comment);
    const now = this.clock.now();
    const outcome = await this.db.$transaction(async (tx): Promise<WithNotices<DecideAppealOutcome>> => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Appeal" WHERE id = ${appealId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { ok: false, reason: 'appeal-not-found' };
      const before = await tx.appeal.findUniqueOrThrow({ where: { id: appealId }, include: { dispute: true } });
      if (!caseTransition(before.status, decision).ok) return { ok: false, reason: 'illegal-transition' };
      const appeal = await tx.appeal.update({
        where: { id: appealId },
        data: { status: decision, decidedAt: now, decidedBy: actorLabel(reviewer), decisionComment: comment },
      });
      const corrected = decision === 'APPROVED' ? await this.applyCorrection(tx, before.dispute, reviewer) : false;
      await recordAudit(tx, {
        actorType: reviewer.type,
        actorId: reviewer.id,
        action: 'appeal.decided',
        subjectType: 'appeal',
        subjectId: appealId,
        before: { status: before.status },
        after: { status: decision, comment, corrected },
      });
      // The notice exists exactly when the decision does (a crash after the commit loses neither).
      const notices = await NotificationsService.writeInTransaction(tx, [
        {
          personId: appeal.personId,
          kind: 'appeal.decided',
          subjectId: appealId,
          dueAt: now,
          payload: { appealId, disputeId: appeal.disputeId, decision, comment },
          idempotencyKey: `appeal.decided:${appealId}`,
        },
      ]);
      return { ok: true, appeal, corrected, notices };
    });
    if (outcome.ok) {
      await this.notifications.dispatchKeys(outcome.notices);
      if (outcome.corrected) await this.evaluations.request(outcome.appeal.personId, 'dispute-corrected');
    }
    return stripNotices(outcome);
  }

  private async moveDispute(disputeId: string, to: Dispute['status'], comment: string | null, reviewer: CaseActor): Promise<DecideOutcome> {
    if (!UUID.test(disputeId)) return { ok: false, reason: 'dispute-not-found' };
    const now = this.clock.now();
    const decided = to === 'APPROVED' || to === 'REJECTED';
    // Counted before the transaction (a missing year may write a notice), stored with the rejection and
    // carried by the notice written with the decision.
    const window = to === 'REJECTED' ? await this.deadlines.after(now, APPEAL_WINDOW_WORKING_DAYS) : null;
    const outcome = await this.db.$transaction(async (tx): Promise<WithNotices<DecideOutcome>> => {
      const locked = await tx.$queryRaw<{ id: string }[]>`SELECT id FROM "Dispute" WHERE id = ${disputeId}::uuid FOR UPDATE`;
      if (locked.length === 0) return { ok: false, reason: 'dispute-not-found' };
      const before = await tx.dispute.findUniqueOrThrow({ where: { id: disputeId } });
      if (!caseTransition(before.status, to).ok) return { ok: false, reason: 'illegal-transition' };
      const dispute = await tx.dispute.update({
        where: { id: disputeId },
        data: decided
          ? {
              status: to,
              decidedAt: now,
              decidedBy: actorLabel(reviewer),
              decisionComment: comment,
              appealWindowEndsAt: window?.dueAt ?? null,
              appealWindowFallbackYear: window?.fallbackYear ?? null,
            }
          : { status: to },
      });
      const corrected = to === 'APPROVED' ? await this.applyCorrection(tx, before, reviewer) : false;
      await recordAudit(tx, {
        actorType: reviewer.type,
        actorId: reviewer.id,
        action: decided ? 'dispute.decided' : 'dispute.review-started',
        subjectType: 'dispute',
        subjectId: disputeId,
        before: { status: before.status },
        after: { status: to, comment, corrected },
      });
      if (!decided) return { ok: true, dispute, corrected, notices: [] };
      // Written with the decision: a rejection's notice (and the appeal window it opens) cannot be lost
      // to a crash between the commit and the queue while that window runs.
      const notices = await NotificationsService.writeInTransaction(tx, [
        {
          personId: dispute.personId,
          kind: 'dispute.decided',
          subjectId: disputeId,
          dueAt: now,
          payload: {
            disputeId,
            decision: to,
            comment,
            appealUntil: window?.dueAt.toISOString() ?? null,
            appealUntilFallbackYear: window?.fallbackYear ?? null,
          },
          idempotencyKey: `dispute.decided:${disputeId}`,
        },
      ]);
      return { ok: true, dispute, corrected, notices };
    });
    if (outcome.ok) {
      await this.notifications.dispatchKeys(outcome.notices);
      if (outcome.corrected) await this.evaluations.request(outcome.dispute.personId, 'dispute-corrected');
    }
    return stripNotices(outcome);
  }

  /**
   * Applies what an approved dispute asked for: a credit entry gets the requested quantity (journaled
   * before/after). Other subjects have no machine-applicable value; the decision itself is the record.
   */
  private async applyCorrection(tx: Transaction, dispute: Dispute, reviewer: CaseActor): Promise<boolean> {
    if (dispute.subjectType !== 'CREDIT_ENTRY' || !dispute.subjectId || dispute.requestedValue === null) return false;
    const quantity = parseQuantity(dispute.requestedValue);
    if (quantity === null) return false;
    const entry = await tx.creditEntry.findUnique({ where: { id: dispute.subjectId } });
    if (!entry || entry.personId !== dispute.personId || entry.deletedAt) return false;
    const after = await tx.creditEntry.update({ where: { id: entry.id }, data: { quantity, source: 'REVIEW', verification: 'VERIFIED' } });
    await recordAudit(tx, {
      actorType: reviewer.type,
      actorId: reviewer.id,
      action: 'credit-entry.corrected-by-dispute',
      subjectType: 'credit_entry',
      subjectId: entry.id,
      before: entry,
      after: { ...after, disputeId: dispute.id },
    });
    return true;
  }

  private async checkSubject(person: Pick<Person, 'id'>, draft: DisputeDraft): Promise<{ ok: true } | DisputeRefusal> {
    switch (draft.subjectType) {
      case 'CREDIT_ENTRY': {
        if (!draft.subjectId || !UUID.test(draft.subjectId)) return { ok: false, reason: 'subject-not-found' };
        const entry = await this.db.creditEntry.findUnique({ where: { id: draft.subjectId } });
        if (!entry || entry.personId !== person.id || entry.deletedAt) return { ok: false, reason: 'subject-not-found' };
        if (draft.requestedValue === undefined || draft.requestedValue.trim() === '') return { ok: true };
        if (parseQuantity(draft.requestedValue) === null) return { ok: false, reason: 'requested-value-invalid' };
        return this.checkRequestedQuantity(person, entry, draft.requestedValue);
      }
      case 'APPLICATION_STATUS': {
        if (!draft.subjectId || !UUID.test(draft.subjectId)) return { ok: false, reason: 'subject-not-found' };
        const application = await this.db.application.findUnique({ where: { id: draft.subjectId } });
        return application && application.personId === person.id ? { ok: true } : { ok: false, reason: 'subject-not-found' };
      }
      case 'PROFILE_FIELD':
        return draft.field && isDisputableProfileField(draft.field) ? { ok: true } : { ok: false, reason: 'field-unknown' };
    }
  }

  /**
   * The corrected quantity must be one the person's rule set counts for the entry's type (range and step),
   * checked as /add checks it: otherwise an approval would store a number the engine then silently caps.
   * An entry whose type the rule set does not know has no range to hold it to.
   */
  private async checkRequestedQuantity(
    person: Pick<Person, 'id'>,
    entry: CreditEntry,
    requestedValue: string,
  ): Promise<{ ok: true } | DisputeRefusal> {
    const owner = await this.db.person.findUniqueOrThrow({ where: { id: person.id } });
    const ruleSet = await this.quantities.ruleSetOf(owner);
    const checked = this.quantities.checkQuantity(ruleSet, entry.creditTypeCode, requestedValue, this.quantities.today(owner));
    if (checked.ok) return { ok: true };
    const params = checked.params ?? {};
    switch (checked.reason) {
      case 'quantity-below-min':
        return { ok: false, reason: 'requested-value-below-min', params: { min: Number(params.min) } };
      case 'quantity-above-max':
        return { ok: false, reason: 'requested-value-above-max', params: { max: Number(params.max) } };
      case 'quantity-off-step':
        return { ok: false, reason: 'requested-value-off-step', params: { step: Number(params.step) } };
      case 'unknown-type':
        return { ok: true };
      default:
        return { ok: false, reason: 'requested-value-invalid' };
    }
  }
}

/** A quantity as people type it: 36, 36,5, 36.5; positive, at most two decimals. */
export function parseQuantity(text: string): number | null {
  const normalised = text.trim().replace(',', '.');
  if (!/^\d{1,6}(\.\d{1,2})?$/.test(normalised)) return null;
  const value = Number(normalised);
  return value > 0 ? value : null;
}
