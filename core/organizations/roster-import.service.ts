import { randomUUID } from 'node:crypto';
import type { Prisma, RosterEntry, StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import type { EvaluationRequests } from '../credits/credits.service';
import type { IsoDate } from '../shared/dates';
import type { PersonalDataCipher } from '../people/personal-data';
import { normaliseFullName, normalisePhone, normaliseSnils } from '../people/validation';
import type { Clock } from '../shared/clock';
import type { Database, Transaction } from '../shared/database';
import { dbDateOf, isoDateOfDbDate, localDateOf } from '../shared/local-date';
import { parseCategory } from './categories';
import { IMPORT_TRANSACTION, insertInBatches, lockImport } from './import-lock';
import { type ImportActor, type ImportOutcome, type ImportReport, reportFor } from './import-report';
import {
  cellOf,
  type ColumnMap,
  type ColumnSpec,
  type ImportRow,
  type ImportTable,
  mapColumns,
  missingColumns,
  parseDateCell,
  restoreSnilsDigits,
} from './import-table';

export type RosterField = 'externalId' | 'fullName' | 'category' | 'specialty' | 'department' | 'phone' | 'snils' | 'lastAccreditationDate';

export const ROSTER_COLUMNS: readonly ColumnSpec<RosterField>[] = [
  {
    field: 'externalId',
    label: 'Табельный номер',
    aliases: ['Табельный номер', 'Таб. №', 'Таб номер', 'Табельный', 'externalId', 'employee id', 'employee number', 'personnel number'],
  },
  { field: 'fullName', label: 'ФИО', aliases: ['ФИО', 'Фамилия Имя Отчество', 'Сотрудник', 'fullName', 'name', 'employee name'] },
  {
    field: 'category',
    label: 'Категория',
    aliases: ['Категория', 'Категория работника', 'Категория персонала', 'category', 'staff category'],
  },
  { field: 'specialty', label: 'Специальность', aliases: ['Специальность', 'specialty', 'speciality'] },
  {
    field: 'department',
    label: 'Отделение',
    aliases: ['Отделение', 'Подразделение', 'Структурное подразделение', 'department', 'unit', 'ward'],
  },
  {
    field: 'phone',
    label: 'Телефон',
    aliases: ['Телефон', 'Мобильный телефон', 'Номер телефона', 'Тел. моб.', 'phone', 'phone number', 'mobile', 'mobile phone'],
  },
  { field: 'snils', label: 'СНИЛС', aliases: ['СНИЛС', 'Номер СНИЛС', 'snils'] },
  {
    field: 'lastAccreditationDate',
    label: 'Дата последней аккредитации',
    aliases: [
      'Дата последней аккредитации',
      'Дата аккредитации',
      'Последняя аккредитация',
      'lastAccreditationDate',
      'last accreditation',
      'accreditation date',
    ],
  },
];

const REQUIRED: readonly RosterField[] = ['externalId', 'fullName', 'category'];
export const EXTERNAL_ID_MAX = 64;
export const SPECIALTY_MAX = 200;
export const DEPARTMENT_MAX = 200;

/**
 * A validated roster row. Optional fields are undefined when the file has no such column (what is
 * stored stays) and null when the cell is empty (the file says there is none).
 */
export interface RosterDraft {
  row: number;
  externalId: string;
  fullName: string;
  category: StaffCategory;
  specialty?: string | null;
  /** The unit (отделение) the person works in: what the education department filters its table by. */
  department?: string | null;
  phoneHash?: string | null;
  snilsHash?: string | null;
  lastAccreditationDate?: IsoDate | null;
}

export type RosterRowCheck = { ok: true; draft: RosterDraft } | { ok: false; reasons: string[] };

/** The fields an import sets, as the audit journal shows them (hashes only: never a phone or a СНИЛС). */
type RosterSnapshot = Pick<RosterEntry, 'externalId' | 'fullName' | 'category' | 'specialty' | 'department' | 'phoneHash' | 'snilsHash'> & {
  lastAccreditationDate: IsoDate | null;
};

/**
 * Imports an organization's staff roster (what people link to): validates each row, then creates or
 * updates entries by (organization, табельный номер) in one transaction, so a file is applied whole
 * or not at all and importing it twice changes nothing. Rows missing from the file are left alone:
 * a partial export must never unlink anyone. Phone and СНИЛС are kept only as keyed hashes.
 *
 * When an entry is already linked, the organization's category, specialty and accreditation date are
 * carried over to the person (the roster is the organization's word on them), and the person is
 * re-evaluated, since their cycle may have moved.
 */
export class RosterImportService {
  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly evaluations: EvaluationRequests,
    private readonly clock: Clock,
  ) {}

  async import(organizationId: string, table: ImportTable, actor: ImportActor): Promise<ImportOutcome> {
    const mapped = mapColumns(table.headers, ROSTER_COLUMNS);
    if (!mapped.ok) return mapped;
    const missing = missingColumns(mapped.columns, ROSTER_COLUMNS, REQUIRED);
    if (missing.length > 0) return { ok: false, problem: { code: 'columns-missing', columns: missing } };

    const report = reportFor(table);
    const today = localDateOf(this.clock.now(), 'Europe/Moscow');
    const drafts: RosterDraft[] = [];
    const seen = new Set<string>();
    for (const row of table.rows) {
      report.total += 1;
      const checked = checkRosterRow(row, mapped.columns, { today, lookupHash: (value) => this.cipher.lookupHash(value) });
      if (!checked.ok) {
        report.rejected.push({ row: row.row, reasons: checked.reasons });
        continue;
      }
      if (seen.has(checked.draft.externalId)) {
        report.rejected.push({ row: row.row, reasons: ['external-id-duplicate'] });
        continue;
      }
      seen.add(checked.draft.externalId);
      drafts.push(checked.draft);
    }

    const reevaluate = await this.db.$transaction(async (tx) => {
      await lockImport(tx, 'roster', organizationId);
      return this.apply(tx, organizationId, drafts, report, actor);
    }, IMPORT_TRANSACTION);
    report.rejected.sort((a, b) => a.row - b.row);
    for (const personId of reevaluate) await this.evaluations.request(personId, 'roster-import');
    return { ok: true, report };
  }

  /** Writes the drafts; returns the linked people whose profile changed. */
  private async apply(
    tx: Transaction,
    organizationId: string,
    drafts: RosterDraft[],
    report: ImportReport,
    actor: ImportActor,
  ): Promise<string[]> {
    const existing = await tx.rosterEntry.findMany({ where: { organizationId } });
    const byExternalId = new Map(existing.map((entry) => [entry.externalId, entry]));
    const snilsOwners = snilsOwnersAfter(existing, drafts);
    const reevaluate: string[] = [];
    const creates: Prisma.RosterEntryCreateManyInput[] = [];
    const audits: Prisma.AuditLogCreateManyInput[] = [];
    const auditOf = (action: string, subjectId: string, before: unknown, after: unknown): Prisma.AuditLogCreateManyInput => ({
      actorType: actor.type,
      actorId: actor.id ?? null,
      action,
      subjectType: 'roster_entry',
      subjectId,
      before: before === null ? undefined : (before as Prisma.InputJsonObject),
      after: after as Prisma.InputJsonObject,
    });

    for (const draft of drafts) {
      // Two staff records cannot share a СНИЛС: credits found by СНИЛС would not know whose they are.
      if (draft.snilsHash && (snilsOwners.get(draft.snilsHash)?.size ?? 0) > 1) {
        report.rejected.push({ row: draft.row, reasons: ['snils-duplicate'] });
        continue;
      }
      const current = byExternalId.get(draft.externalId);
      if (!current) {
        const after = snapshotOfDraft(draft, null);
        const id = randomUUID();
        creates.push({
          id,
          organizationId,
          ...after,
          lastAccreditationDate: after.lastAccreditationDate ? dbDateOf(after.lastAccreditationDate) : null,
        });
        audits.push(auditOf('roster-entry.created', id, null, after));
        report.created += 1;
        continue;
      }
      const before = snapshotOf(current);
      const after = snapshotOfDraft(draft, before);
      if (sameSnapshot(before, after)) {
        report.unchanged += 1;
        continue;
      }
      await tx.rosterEntry.update({
        where: { id: current.id },
        data: { ...after, lastAccreditationDate: after.lastAccreditationDate ? dbDateOf(after.lastAccreditationDate) : null },
      });
      audits.push(auditOf('roster-entry.updated', current.id, before, after));
      report.updated += 1;
      if (current.personId && profileChanged(before, after)) {
        await carryOverToPerson(tx, current.personId, after, actor);
        reevaluate.push(current.personId);
      }
    }
    await insertInBatches(creates, (data) => tx.rosterEntry.createMany({ data }));
    await insertInBatches(audits, (data) => tx.auditLog.createMany({ data }));
    await recordAudit(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'roster.imported',
      subjectType: 'organization',
      subjectId: organizationId,
      after: {
        total: report.total,
        created: report.created,
        updated: report.updated,
        unchanged: report.unchanged,
        rejected: report.rejected.length,
      },
    });
    return reevaluate;
  }
}

/** Every problem of one roster row at once (reason codes), or the row as it will be stored. */
export function checkRosterRow(
  row: ImportRow,
  columns: ColumnMap<RosterField>,
  context: { today: IsoDate; lookupHash(normalised: string): string },
): RosterRowCheck {
  const reasons: string[] = [];
  const cell = (field: RosterField) => cellOf(row, columns, field);

  const externalId = cell('externalId') ?? '';
  if (externalId === '') reasons.push('external-id-missing');
  else if (externalId.length > EXTERNAL_ID_MAX) reasons.push('external-id-too-long');

  const name = normaliseFullName(cell('fullName') ?? '');
  if (!name.ok) reasons.push(name.reason);

  const categoryText = cell('category') ?? '';
  const category = categoryText === '' ? null : parseCategory(categoryText);
  if (categoryText === '') reasons.push('category-missing');
  else if (!category) reasons.push('category-unknown');

  const specialtyText = cell('specialty');
  if (specialtyText !== undefined && specialtyText.length > SPECIALTY_MAX) reasons.push('specialty-too-long');

  const departmentText = cell('department');
  if (departmentText !== undefined && departmentText.length > DEPARTMENT_MAX) reasons.push('department-too-long');

  const phoneText = cell('phone');
  let phoneHash: string | null | undefined = phoneText === undefined ? undefined : null;
  if (phoneText) {
    const phone = normalisePhone(phoneText);
    if (phone.ok) phoneHash = context.lookupHash(phone.value);
    else reasons.push(phone.reason);
  }

  const snilsText = cell('snils');
  let snilsHash: string | null | undefined = snilsText === undefined ? undefined : null;
  if (snilsText) {
    const snils = normaliseSnils(restoreSnilsDigits(snilsText));
    if (snils.ok) snilsHash = context.lookupHash(snils.value);
    else reasons.push(snils.reason);
  }

  const dateText = cell('lastAccreditationDate');
  let lastAccreditationDate: IsoDate | null | undefined = dateText === undefined ? undefined : null;
  if (dateText) {
    const date = parseDateCell(dateText);
    if (!date) reasons.push('date-invalid');
    else if (date > context.today) reasons.push('date-in-future');
    else lastAccreditationDate = date;
  }

  if (reasons.length > 0 || !name.ok || !category) return { ok: false, reasons };
  return {
    ok: true,
    draft: {
      row: row.row,
      externalId,
      fullName: name.value,
      category,
      specialty: specialtyText === undefined ? undefined : specialtyText || null,
      department: departmentText === undefined ? undefined : departmentText || null,
      phoneHash,
      snilsHash,
      lastAccreditationDate,
    },
  };
}

/** A linked person's category, specialty and cycle start follow the organization's roster. */
async function carryOverToPerson(tx: Transaction, personId: string, roster: RosterSnapshot, actor: ImportActor): Promise<void> {
  const person = await tx.person.findUniqueOrThrow({
    where: { id: personId },
    select: { category: true, specialty: true, lastAccreditationDate: true },
  });
  const updated = await tx.person.update({
    where: { id: personId },
    data: {
      category: roster.category,
      specialty: roster.specialty,
      lastAccreditationDate: roster.lastAccreditationDate ? dbDateOf(roster.lastAccreditationDate) : null,
    },
    select: { category: true, specialty: true, lastAccreditationDate: true },
  });
  await recordAudit(tx, {
    actorType: actor.type,
    actorId: actor.id,
    action: 'person.profile-from-roster',
    subjectType: 'person',
    subjectId: personId,
    before: person,
    after: updated,
  });
}

function snapshotOf(entry: RosterEntry): RosterSnapshot {
  return {
    externalId: entry.externalId,
    fullName: entry.fullName,
    category: entry.category,
    specialty: entry.specialty,
    department: entry.department,
    phoneHash: entry.phoneHash,
    snilsHash: entry.snilsHash,
    lastAccreditationDate: entry.lastAccreditationDate ? isoDateOfDbDate(entry.lastAccreditationDate) : null,
  };
}

/** The entry as the file wants it; a column the file lacks keeps the stored value. */
function snapshotOfDraft(draft: RosterDraft, stored: RosterSnapshot | null): RosterSnapshot {
  const pick = <T>(value: T | undefined, kept: T | null | undefined): T | null => (value === undefined ? (kept ?? null) : value);
  return {
    externalId: draft.externalId,
    fullName: draft.fullName,
    category: draft.category,
    specialty: pick(draft.specialty, stored?.specialty),
    department: pick(draft.department, stored?.department),
    phoneHash: pick(draft.phoneHash, stored?.phoneHash),
    snilsHash: pick(draft.snilsHash, stored?.snilsHash),
    lastAccreditationDate: pick(draft.lastAccreditationDate, stored?.lastAccreditationDate),
  };
}

function sameSnapshot(a: RosterSnapshot, b: RosterSnapshot): boolean {
  return (Object.keys(a) as (keyof RosterSnapshot)[]).every((key) => a[key] === b[key]);
}

function profileChanged(a: RosterSnapshot, b: RosterSnapshot): boolean {
  return a.category !== b.category || a.specialty !== b.specialty || a.lastAccreditationDate !== b.lastAccreditationDate;
}

/** Who holds each СНИЛС hash once the file is applied: stored entries, overridden by the file's rows. */
function snilsOwnersAfter(existing: readonly RosterEntry[], drafts: readonly RosterDraft[]): Map<string, Set<string>> {
  const hashOf = new Map<string, string | null>(existing.map((entry) => [entry.externalId, entry.snilsHash]));
  for (const draft of drafts) if (draft.snilsHash !== undefined) hashOf.set(draft.externalId, draft.snilsHash);
  const owners = new Map<string, Set<string>>();
  for (const [externalId, hash] of hashOf) {
    if (!hash) continue;
    const set = owners.get(hash) ?? new Set<string>();
    set.add(externalId);
    owners.set(hash, set);
  }
  return owners;
}
