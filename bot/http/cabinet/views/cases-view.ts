import { actorTypeOf } from '../../../../core/applications/actor';
import type { ApplicationCard } from '../../../../core/applications/applications.service';
import { workingDaysLeft } from '../../../../core/calendar/deadline';
import type { ProductionCalendar } from '../../../../core/calendar/production-calendar';
import type { AppealWindow, DisputeWithAppeal } from '../../../../core/disputes/disputes.service';
import type { Appeal, Document } from '../../../../generated/prisma/client';
import type { Translate } from '../../../../infra/i18n';
import type { AppealView, ApplicationView, Deadline, DisputeView, TimelineStep } from '../wire';
import { documentView } from './entries-view';

/**
 * A deadline as the person reads it: the instant, the working days left, and whether it is provisional:
 * counted over a year with no production calendar loaded yet (core stores that year with the deadline
 * and clears it when the year is loaded and the date recomputed), so the date may still move.
 */
export function deadlineOf(calendar: ProductionCalendar, now: Date, due: Date, fallbackYear: number | null): Deadline {
  return { at: due.toISOString(), workingDaysLeft: workingDaysLeft(calendar, now, due), provisional: fallbackYear !== null };
}

export function applicationView(card: ApplicationCard, t: Translate): ApplicationView {
  const { application } = card;
  return {
    id: application.id,
    title: application.title,
    kind: application.kind,
    status: application.status,
    statusLabel: t(`applications.status.${application.status}`),
    statusChangedAt: application.statusChangedAt.toISOString(),
    responsibleBody: application.responsibleBody,
    contacts: application.contacts,
    timeline: card.transitions.map((step) => ({
      at: step.at.toISOString(),
      label: `${t(`applications.status.${step.toStatus}`)} · ${t(`applications.actor.${actorTypeOf(step.actor)}`)}`,
      comment: step.comment,
    })),
    documents: card.documents.map((d) => documentView(d, t)),
    missingDocuments: card.missingDocuments.map((kind) => t(`applications.document-kind.${kind}`, { defaultValue: kind })),
    clarificationFrom: card.clarificationFrom?.toISOString() ?? null,
    canRequestClarification: card.canRequestClarification,
  };
}

const OPEN = new Set(['SUBMITTED', 'UNDER_REVIEW']);

export interface DisputeContext {
  calendar: ProductionCalendar;
  now: Date;
  /** The appeal window of a rejected dispute (DisputesService.appealWindow). */
  appealWindow: AppealWindow | null;
  evidence: Document[];
}

export function disputeView(dispute: DisputeWithAppeal, context: DisputeContext, t: Translate): DisputeView {
  const { calendar, now } = context;
  const subject =
    t(`disputes.subject.${dispute.subjectType}`) +
    (dispute.field ? ` — ${t(`disputes.field.${dispute.field}`, { defaultValue: dispute.field })}` : '');
  const timeline: TimelineStep[] = [
    { at: dispute.filedAt.toISOString(), label: t('cabinet.cases.dispute-filed'), comment: dispute.reason },
  ];
  if (dispute.decidedAt) {
    timeline.push({
      at: dispute.decidedAt.toISOString(),
      label: t('cabinet.cases.decided', { status: t(`disputes.status.${dispute.status}`) }),
      comment: dispute.decisionComment,
    });
  }
  const window = context.appealWindow;
  const windowOpen = dispute.status === 'REJECTED' && !dispute.appeal && window !== null && now <= window.until;
  return {
    id: dispute.id,
    subject,
    subjectType: dispute.subjectType,
    subjectId: dispute.subjectId,
    reason: dispute.reason,
    requestedValue: dispute.requestedValue,
    status: dispute.status,
    statusLabel: t(`disputes.status.${dispute.status}`),
    filedAt: dispute.filedAt.toISOString(),
    due: OPEN.has(dispute.status) ? deadlineOf(calendar, now, dispute.dueAt, dispute.dueFallbackYear) : null,
    decidedAt: dispute.decidedAt?.toISOString() ?? null,
    decisionComment: dispute.decisionComment,
    timeline,
    appealWindow: windowOpen ? deadlineOf(calendar, now, window.until, window.fallbackYear) : null,
    appeal: dispute.appeal ? appealView(dispute.appeal, calendar, now, t) : null,
    evidence: context.evidence.map((d) => documentView(d, t)),
  };
}

function appealView(appeal: Appeal, calendar: ProductionCalendar, now: Date, t: Translate): AppealView {
  const timeline: TimelineStep[] = [{ at: appeal.filedAt.toISOString(), label: t('cabinet.cases.appeal-filed'), comment: appeal.reason }];
  if (appeal.decidedAt) {
    timeline.push({
      at: appeal.decidedAt.toISOString(),
      label: t('cabinet.cases.decided-final', { status: t(`disputes.status.${appeal.status}`) }),
      comment: appeal.decisionComment,
    });
  }
  return {
    id: appeal.id,
    status: appeal.status,
    statusLabel: t(`disputes.status.${appeal.status}`),
    reason: appeal.reason,
    filedAt: appeal.filedAt.toISOString(),
    due: OPEN.has(appeal.status) ? deadlineOf(calendar, now, appeal.dueAt, appeal.dueFallbackYear) : null,
    decidedAt: appeal.decidedAt?.toISOString() ?? null,
    decisionComment: appeal.decisionComment,
    timeline,
  };
}
