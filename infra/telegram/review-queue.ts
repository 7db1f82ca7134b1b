import { escapeHtml } from '../../core/shared/text';
import { InlineKeyboard } from 'grammy';
import type { Appeal, Dispute, Document } from '../../generated/prisma/client';
import { moscowDateOf } from '../../core/calendar/deadline';
import type { DisputesService } from '../../core/disputes/disputes.service';
import type { DocumentsService } from '../../core/documents/documents.service';
import type { IdentityService, ReviewItem as IdentityItem } from '../../core/identity/identity.service';
import type { SupportService } from '../../core/support/support.service';
import type { Translate } from '../i18n';
import { provisionalNote } from '../provisional-note';
import { callbackData } from './callback-data';

/**
 * The review queue as reviewers read it in the support group: the bot lists it and schedules its posts,
 * the worker renders each post when it sends it (payloads carry ids, never names or reasons).
 */
export interface ReviewServices {
  support: SupportService;
  disputes: DisputesService;
  identity: IdentityService;
  documents: DocumentsService;
}

/** d: dispute, a: appeal, i: identity confirmation (as in the buttons' payloads). */
export type ReviewKind = 'd' | 'a' | 'i';

export type QueueItem =
  | { kind: 'd'; id: string; personId: string; fullName: string; dispute: Dispute }
  | { kind: 'a'; id: string; personId: string; fullName: string; appeal: Appeal; dispute: Dispute }
  | { kind: 'i'; id: string; personId: string; fullName: string; confirmation: IdentityItem };

const OPEN = ['SUBMITTED', 'UNDER_REVIEW'] as const;

/** ФИО by person id, for the queue's lines. */
async function fullNames(services: ReviewServices, personIds: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(personIds)];
  const contexts = await Promise.all(unique.map((id) => services.support.context(id).catch(() => null)));
  return new Map(unique.map((id, i) => [id, contexts[i]?.fullName ?? '—']));
}

/** A Moscow calendar day as the (Russian-speaking) group reads it. */
const day = (instant: Date) => moscowDateOf(instant).split('-').reverse().join('.');

/** Undecided disputes, appeals and identity confirmations, each kind by its due date (identity: oldest first). */
export async function loadQueue(services: ReviewServices): Promise<QueueItem[]> {
  const [disputes, appeals, confirmations] = await Promise.all([
    Promise.all(OPEN.map((status) => services.disputes.listForReview({ status }))).then((lists) => lists.flat()),
    Promise.all(OPEN.map((status) => services.disputes.listAppeals({ status }))).then((lists) => lists.flat()),
    services.identity.listForReview({ status: 'PENDING' }),
  ]);
  const names = await fullNames(services, [...disputes.map((d) => d.personId), ...appeals.map((a) => a.personId)]);
  return [
    ...disputes
      .sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime())
      .map((dispute) => ({
        kind: 'd' as const,
        id: dispute.id,
        personId: dispute.personId,
        fullName: names.get(dispute.personId) ?? '—',
        dispute,
      })),
    ...appeals
      .sort((x, y) => x.dueAt.getTime() - y.dueAt.getTime())
      .map((appeal) => ({
        kind: 'a' as const,
        id: appeal.id,
        personId: appeal.personId,
        fullName: names.get(appeal.personId) ?? '—',
        appeal,
        dispute: appeal.dispute,
      })),
    ...confirmations.map((confirmation) => ({
      kind: 'i' as const,
      id: confirmation.id,
      personId: confirmation.personId,
      fullName: confirmation.person.fullName ?? '—',
      confirmation,
    })),
  ];
}

export async function findItem(services: ReviewServices, kind: ReviewKind, id: string): Promise<QueueItem | null> {
  return (await loadQueue(services)).find((item) => item.kind === kind && item.id === id) ?? null;
}

/** One line of the queue: what, whose, due when. */
export function itemLine(t: Translate, item: QueueItem): string {
  const name = escapeHtml(item.fullName);
  switch (item.kind) {
    case 'd':
      return t('reviews.item.dispute', {
        name,
        subject: t(`reviews.subject.${item.dispute.subjectType}`),
        due: day(item.dispute.dueAt),
        provisional: provisionalNote(t, item.dispute.dueFallbackYear),
      });
    case 'a':
      return t('reviews.item.appeal', {
        name,
        due: day(item.appeal.dueAt),
        provisional: provisionalNote(t, item.appeal.dueFallbackYear),
      });
    case 'i':
      return t('reviews.item.identity', { name, since: day(item.confirmation.createdAt) });
  }
}

export function itemKeyboard(t: Translate, item: QueueItem): InlineKeyboard {
  return new InlineKeyboard()
    .text(t('reviews.open-button'), callbackData.reviewOpen(item.kind, item.id))
    .text(t('reviews.approve-button'), callbackData.reviewDecide('a', item.kind, item.id))
    .text(t('reviews.reject-button'), callbackData.reviewDecide('r', item.kind, item.id));
}

/** What «Открыть» shows before the files. */
export function itemDetails(t: Translate, item: QueueItem, documents: number): string {
  const name = escapeHtml(item.fullName);
  const dispute = item.kind === 'i' ? null : item.dispute;
  const lines = [itemLine(t, item), t('reviews.details.name', { name })];
  if (dispute) {
    lines.push(
      t('reviews.details.filed', { date: day(dispute.filedAt) }),
      t('reviews.details.subject', { subject: t(`reviews.subject.${dispute.subjectType}`), field: escapeHtml(dispute.field ?? '') }),
      t('reviews.details.reason', { reason: escapeHtml(dispute.reason) }),
      t('reviews.details.requested', { value: escapeHtml(dispute.requestedValue ?? '—') }),
    );
  }
  if (item.kind === 'a')
    lines.push(
      t('reviews.details.appeal-reason', { reason: escapeHtml(item.appeal.reason) }),
      t('reviews.details.rejected-with', { comment: escapeHtml(item.dispute.decisionComment ?? '—') }),
    );
  lines.push(t('reviews.details.documents', { n: documents }));
  return lines.join('\n');
}

/** The evidence of a case: a dispute's (and, for an appeal, the appeal's) linked documents, or the identity document. */
export async function evidenceOf(services: ReviewServices, item: QueueItem): Promise<Document[]> {
  if (item.kind === 'i') {
    const file = await services.identity.documentOf(item.id);
    return file ? [file.document] : [];
  }
  const owner = { id: item.personId };
  const subjects = new Set([`DISPUTE:${item.dispute.id}`, ...(item.kind === 'a' ? [`APPEAL:${item.appeal.id}`] : [])]);
  const linked: Document[] = [];
  for (const { document, links } of await services.documents.list(owner, 100)) {
    if (links === 0) continue;
    const of = await services.documents.linksOf(owner, document.id);
    if (of.some((s) => subjects.has(`${s.type}:${s.id}`))) linked.push(document);
  }
  return linked;
}
