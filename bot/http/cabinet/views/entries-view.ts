import type { CreditEntry, Document } from '../../../../generated/prisma/client';
import { CreditsService } from '../../../../core/credits/credits.service';
import type { RuleSet } from '../../../../core/rules/rule-set.schema';
import { isoDateOfDbDate } from '../../../../core/shared/local-date';
import type { Lang, Translate } from '../../../../infra/i18n';
import { formatNumber } from '../../../format';
import type { DocumentView, EntryView } from '../wire';

export function documentView(document: Document, t: Translate): DocumentView {
  return {
    id: document.id,
    // A photo has no name of its own: its kind and day name it, as in the chat's /documents.
    name: document.originalName ?? `${t(`documents.kind.${document.kind}`)} ${isoDateOfDbDate(document.createdAt)}`,
    kind: document.kind,
    kindLabel: t(`documents.kind.${document.kind}`),
    mediaType: document.mediaType,
    sizeBytes: document.sizeBytes,
    uploadedAt: document.createdAt.toISOString(),
  };
}

/**
 * One credit entry as /history words it (date, type, credits, source, state), with the documents
 * attached to it: the entry's own proof and every document linked to it.
 */
export function entryView(
  entry: CreditEntry,
  ruleSet: RuleSet,
  documents: Document[],
  openDisputeSubjects: ReadonlySet<string>,
  t: Translate,
  lang: Lang,
): EntryView {
  const type = ruleSet.creditTypes.find((ct) => ct.code === entry.creditTypeCode);
  return {
    id: entry.id,
    date: isoDateOfDbDate(entry.occurredOn),
    typeCode: entry.creditTypeCode,
    typeName: type?.name[lang] ?? entry.creditTypeCode,
    title: entry.title,
    quantity: entry.quantity,
    quantityLabel: type
      ? t(`add.unit-count.${type.quantity.unit}`, { count: entry.quantity, formattedCount: formatNumber(entry.quantity, lang) })
      : formatNumber(entry.quantity, lang),
    credits: type ? Math.round(entry.quantity * type.weight * 100) / 100 : entry.quantity,
    source: entry.source,
    sourceLabel: t(`history.source.${entry.source}`),
    state: entry.verification,
    stateLabel: t(`history.state.${entry.verification}`),
    editable: CreditsService.isEditable(entry),
    disputable: !openDisputeSubjects.has(entry.id),
    documents: documents.map((d) => documentView(d, t)),
  };
}
