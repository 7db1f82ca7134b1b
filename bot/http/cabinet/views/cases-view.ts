import { actorTypeOf } from '../../../../core/applications/actor';
import type { ApplicationCard } from '../../../../core/applications/applications.service';
import { moscowDateOf, workingDaysLeft } from '../../../../core/calendar/deadline';
import type { ProductionCalendar } from '../../../../core/calendar/production-calendar';
import { yearOf } from '../../../../core/credits/dates';
import type { DisputeWithAppeal } from '../../../../core/disputes/disputes.service';
import type { Appeal, Document } from '../../../../generated/prisma/client';
import type { Translate } from '../../../../infra/i18n';
import type { AppealView, ApplicationView, Deadline, DisputeView, TimelineStep } from '../wire';
import { documentView } from './entries-view';

/**
 * A deadline as the person reads it: the instant, the working days left, and whether it is provisional.
 *
 * Provisional: a year between the start of the period and its end has no production calendar loaded, so
 * the working days were counted on the fallback (ТК РФ ст. 112) and the date may move when the year is
 * loaded. This is read from the calendar in force now; when core stores the flag with the deadline
 * (the calendar work on provisional dates), read it from the record here instead.
 */
export function deadlineOf(calendar: ProductionCalendar, now: Date, from: Date, due: Date): Deadline {
  const first = yearOf(moscowDateOf(from));
  const last = yearOf(moscowDateOf(due));
  let provisional = false;
  for (let year = first; year <= last; year++) if (!calendar.hasYear(year)) provisional = true;
  return { at: due.toISOString(), workingDaysLeft: workingDaysLeft(calendar, now, due), provisional };
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
  /** The end of the appeal window of a rejected dispute (DisputesService.appealWindowEnd). */
  appealWindowEnd: Date | null;
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
  const windowOpen = dispute.status === 'REJECTED' && !dispute.appeal && context.appealWindowEnd !== null && now <= context.appealWindowEnd;
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
    due: OPEN.has(dispute.status) ? deadlineOf(calendar, now, dispute.filedAt, dispute.dueAt) : null,
    decidedAt: dispute.decidedAt?.toISOString() ?? null,
    decisionComment: dispute.decisionComment,
    timeline,
    appealWindow: windowOpen ? deadlineOf(calendar, now, dispute.decidedAt!, context.appealWindowEnd!) : null,
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
    due: OPEN.has(appeal.status) ? deadlineOf(calendar, now, appeal.filedAt, appeal.dueAt) : null,
    decidedAt: appeal.decidedAt?.toISOString() ?? null,
    decisionComment: appeal.decisionComment,
    timeline,
  };
}
