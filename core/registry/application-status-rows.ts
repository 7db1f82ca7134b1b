import type { ApplicationStatus } from '../../generated/prisma/client';
import { isApplicationStatus } from '../applications/application-status';
import type { IsoDate } from '../shared/dates';
import { cellOf, type ColumnMap, type ColumnSpec, type ImportRow, normaliseHeader, parseDateCell } from '../organizations/import-table';

export type StatusField = 'externalRef' | 'status' | 'date' | 'comment';

export const STATUS_COLUMNS: readonly ColumnSpec<StatusField>[] = [
  {
    field: 'externalRef',
    label: 'Номер заявления',
    aliases: ['Номер заявления', '№ заявления', 'Номер заявки', 'Номер', 'externalRef', 'application', 'application number'],
  },
  { field: 'status', label: 'Статус', aliases: ['Статус', 'Состояние', 'status'] },
  { field: 'date', label: 'Дата', aliases: ['Дата', 'Дата изменения', 'Дата статуса', 'date', 'changed on'] },
  { field: 'comment', label: 'Комментарий', aliases: ['Комментарий', 'Примечание', 'comment', 'note'] },
];

/** Status names as the registry and people write them, compared like headers (case, ё, punctuation). */
const STATUS_NAMES: Record<string, ApplicationStatus> = Object.fromEntries(
  (
    [
      ['В обработке', 'PROCESSING'],
      ['Принято в обработку', 'PROCESSING'],
      ['На рассмотрении', 'UNDER_REVIEW'],
      ['Рассматривается', 'UNDER_REVIEW'],
      ['Требуется действие', 'ACTION_REQUIRED'],
      ['Требуются действия', 'ACTION_REQUIRED'],
      ['Требуется доработка', 'ACTION_REQUIRED'],
      ['Одобрено', 'APPROVED'],
      ['Одобрена', 'APPROVED'],
      ['Принято решение об одобрении', 'APPROVED'],
      ['Отклонено', 'REJECTED'],
      ['Отклонена', 'REJECTED'],
      ['Отказано', 'REJECTED'],
    ] as const
  ).map(([name, status]) => [normaliseHeader(name), status]),
);

/** A Russian name or a code (PROCESSING, under_review); null when unknown. */
export function parseApplicationStatus(text: string): ApplicationStatus | null {
  const code = text
    .trim()
    .toUpperCase()
    .replace(/[\s-]+/g, '_');
  if (isApplicationStatus(code)) return code;
  return STATUS_NAMES[normaliseHeader(text)] ?? null;
}

export interface StatusChangeRow {
  row: number;
  externalRef: string;
  status: ApplicationStatus;
  date: IsoDate;
  comment: string | null;
}

export type StatusRowCheck = { ok: true; change: StatusChangeRow } | { ok: false; reasons: string[] };

/** Checks one row alone; every reason at once, as the organization imports do. */
export function checkStatusRow(row: ImportRow, columns: ColumnMap<StatusField>): StatusRowCheck {
  const reasons: string[] = [];
  const externalRef = cellOf(row, columns, 'externalRef')?.trim() ?? '';
  if (!externalRef) reasons.push('external-ref-missing');
  const statusText = cellOf(row, columns, 'status')?.trim() ?? '';
  const status = statusText ? parseApplicationStatus(statusText) : null;
  if (!status) reasons.push(statusText ? 'status-unknown' : 'status-missing');
  const dateText = cellOf(row, columns, 'date')?.trim() ?? '';
  const date = dateText ? parseDateCell(dateText) : null;
  if (!date) reasons.push(dateText ? 'date-invalid' : 'date-missing');
  const comment = cellOf(row, columns, 'comment')?.trim() || null;
  if (reasons.length > 0) return { ok: false, reasons };
  return { ok: true, change: { row: row.row, externalRef, status: status!, date: date!, comment } };
}
