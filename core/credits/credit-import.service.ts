import { createHash, randomUUID } from 'node:crypto';
import type { CreditEntry, Prisma, RosterEntry, StaffCategory } from '../../generated/prisma/client';
import { recordAudit } from '../audit/audit-journal';
import { IMPORT_TRANSACTION, insertInBatches, lockImport } from '../organizations/import-lock';
import { type ImportActor, type ImportOutcome, type ImportReport, reportFor } from '../organizations/import-report';
import {
  cellOf,
  type ColumnMap,
  type ColumnSpec,
  type ImportRow,
  type ImportTable,
  mapColumns,
  missingColumns,
  parseDateCell,
  parseQuantityCell,
  restoreSnilsDigits,
} from '../organizations/import-table';
import type { PersonalDataCipher } from '../people/personal-data';
import { normaliseSnils } from '../people/validation';
import type { RuleSetRepository } from '../rules/rule-set.repository';
import type { RuleSet } from '../rules/rule-set.schema';
import type { Clock } from '../shared/clock';
import type { Database, Transaction } from '../shared/database';
import { dbDateOf, isoDateOfDbDate, localDateOf } from '../shared/local-date';
import type { EvaluationRequests } from './credits.service';
import type { IsoDate } from '../shared/dates';
import { checkCreditEntry } from './entry-check';
import { resolvePeriod } from './period';

export type CreditField = 'externalId' | 'snils' | 'type' | 'quantity' | 'date' | 'title' | 'externalRef';

export const CREDIT_COLUMNS: readonly ColumnSpec<CreditField>[] = [
  {
    field: 'externalId',
    label: 'Табельный номер',
    aliases: ['Табельный номер', 'Таб. №', 'Таб номер', 'Табельный', 'externalId', 'employee id', 'employee number', 'personnel number'],
  },
  { field: 'snils', label: 'СНИЛС', aliases: ['СНИЛС', 'Номер СНИЛС', 'snils'] },
  { field: 'type', label: 'Вид', aliases: ['Вид', 'Вид обучения', 'Вид активности', 'Тип', 'type', 'type code', 'credit type', 'kind'] },
  {
    field: 'quantity',
    label: 'Количество',
    aliases: ['Количество', 'Кол-во', 'Часы', 'Количество часов', 'ЗЕТ', 'Баллы', 'quantity', 'hours', 'credits', 'points', 'amount'],
  },
  {
    field: 'date',
    label: 'Дата',
    aliases: ['Дата', 'Дата обучения', 'Дата окончания', 'Дата завершения', 'date', 'occurredOn', 'completed on'],
  },
  {
    field: 'title',
    label: 'Название',
    aliases: ['Название', 'Наименование', 'Наименование программы', 'Программа', 'title', 'programme', 'program'],
  },
  {
    field: 'externalRef',
    label: 'Номер документа',
    aliases: [
      'Номер документа',
      '№ документа',
      'Номер удостоверения',
      'Номер сертификата',
      'externalRef',
      'document number',
      'certificate number',
    ],
  },
];

export const TITLE_MAX = 300;
export const EXTERNAL_REF_MAX = 100;

/** A validated credit row, bound to the roster entry it belongs to. */
export interface CreditDraft {
  row: number;
  roster: RosterEntry;
  typeCode: string;
  quantity: number;
  date: IsoDate;
  title: string | null;
  externalRef: string;
}

export type CreditRowCheck = { ok: true; draft: CreditDraft } | { ok: false; reasons: string[] };

type CreditSnapshot = Pick<CreditEntry, 'creditTypeCode' | 'quantity' | 'title' | 'externalRef' | 'personId' | 'rosterEntryId'> & {
  occurredOn: IsoDate;
};

/**
 * Imports credit records an organization keeps for its staff (certificates of ПК, ИОМ, events).
 * Each row finds its person by табельный номер or СНИЛС in the organization's roster, is checked with
 * the same rules as an entry a person makes (`checkCreditEntry`, under the rule set the organization
 * uses for that person's category), and is stored idempotently under (roster entry, IMPORT, document
 * number — or a hash of the row when there is none). Records of staff who have not linked yet belong to
 * the roster entry; linking hands them over. Linked people whose records changed are re-evaluated.
 */
export class CreditImportService {
  constructor(
    private readonly db: Database,
    private readonly cipher: PersonalDataCipher,
    private readonly ruleSets: RuleSetRepository,
    private readonly evaluations: EvaluationRequests,
    private readonly clock: Clock,
  ) {}

  async import(organizationId: string, table: ImportTable, actor: ImportActor): Promise<ImportOutcome> {
    const mapped = mapColumns(table.headers, CREDIT_COLUMNS);
    if (!mapped.ok) return mapped;
    const columns = mapped.columns;
    const missing = missingColumns(columns, CREDIT_COLUMNS, ['type', 'quantity', 'date']);
    if (columns.externalId === undefined && columns.snils === undefined)
      missing.unshift('externalId («Табельный номер») or snils («СНИЛС»)');
    if (missing.length > 0) return { ok: false, problem: { code: 'columns-missing', columns: missing } };

    const roster = await this.db.rosterEntry.findMany({ where: { organizationId } });
    const context: CreditRowContext = {
      lookupHash: (value) => this.cipher.lookupHash(value),
      today: localDateOf(this.clock.now(), 'Europe/Moscow'),
      byExternalId: new Map(roster.map((entry) => [entry.externalId, entry])),
      bySnilsHash: groupBySnils(roster),
      ruleSetOf: memoByCategory((category) => this.ruleSets.forPerson({ organizationId, category })),
    };

    const report = reportFor(table);
    const drafts: CreditDraft[] = [];
    const seen = new Set<string>();
    for (const row of table.rows) {
      report.total += 1;
      const checked = await checkCreditRow(row, columns, context);
      if (!checked.ok) {
        report.rejected.push({ row: row.row, reasons: checked.reasons });
        continue;
      }
      const key = `${checked.draft.roster.id}\u0000${checked.draft.externalRef}`;
      if (seen.has(key)) {
        report.rejected.push({ row: row.row, reasons: ['entry-duplicate'] });
        continue;
      }
      seen.add(key);
      drafts.push(checked.draft);
    }

    const reevaluate = await this.db.$transaction(async (tx) => {
      await lockImport(tx, 'credits', organizationId);
      return this.apply(tx, organizationId, drafts, report, actor);
    }, IMPORT_TRANSACTION);
    report.rejected.sort((a, b) => a.row - b.row);
    for (const personId of reevaluate) await this.evaluations.request(personId, 'import');
    return { ok: true, report };
  }

  /** Writes the drafts; returns the linked people whose records changed. */
  private async apply(
    tx: Transaction,
    organizationId: string,
    drafts: CreditDraft[],
    report: ImportReport,
    actor: ImportActor,
  ): Promise<string[]> {
    const rosterIds = [...new Set(drafts.map((draft) => draft.roster.id))];
    const existing =
      rosterIds.length === 0 ? [] : await tx.creditEntry.findMany({ where: { rosterEntryId: { in: rosterIds }, source: 'IMPORT' } });
    const byKey = new Map(existing.map((entry) => [`${entry.rosterEntryId}\u0000${entry.externalRef}`, entry]));
    const linkedTo = await lockRosterEntries(tx, rosterIds);
    const changedPeople = new Set<string>();
    const creates: Prisma.CreditEntryCreateManyInput[] = [];
    const audits: Prisma.AuditLogCreateManyInput[] = [];
    const auditOf = (
      action: string,
      subjectId: string,
      before: CreditSnapshot | null,
      after: CreditSnapshot,
    ): Prisma.AuditLogCreateManyInput => ({
      actorType: actor.type,
      actorId: actor.id ?? null,
      action,
      subjectType: 'credit_entry',
      subjectId,
      before: before ?? undefined,
      after,
    });

    for (const draft of drafts) {
      const after = snapshotOfDraft(draft, linkedTo.get(draft.roster.id) ?? null);
      const current = byKey.get(`${draft.roster.id}\u0000${draft.externalRef}`);
      if (!current) {
        const id = randomUUID();
        creates.push({ id, ...after, occurredOn: dbDateOf(after.occurredOn), source: 'IMPORT', verification: 'VERIFIED' });
        audits.push(auditOf('credit-entry.imported', id, null, after));
        report.created += 1;
      } else if (current.deletedAt) {
        // Removed after import (e.g. a dispute was upheld): the same file must not bring it back.
        report.unchanged += 1;
        continue;
      } else {
        const before = snapshotOf(current);
        if (sameSnapshot(before, after)) {
          report.unchanged += 1;
          continue;
        }
        await tx.creditEntry.update({ where: { id: current.id }, data: { ...after, occurredOn: dbDateOf(after.occurredOn) } });
        audits.push(auditOf('credit-entry.updated', current.id, before, after));
        report.updated += 1;
        if (current.personId && current.personId !== after.personId) changedPeople.add(current.personId);
      }
      if (after.personId) changedPeople.add(after.personId);
    }
    await insertInBatches(creates, (data) => tx.creditEntry.createMany({ data }));
    await insertInBatches(audits, (data) => tx.auditLog.createMany({ data }));
    await recordAudit(tx, {
      actorType: actor.type,
      actorId: actor.id,
      action: 'credits.imported',
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
    return [...changedPeople];
  }
}

/** What checking a credit row needs to know: the organization's roster and its rule sets. */
export interface CreditRowContext {
  today: IsoDate;
  lookupHash(normalised: string): string;
  byExternalId: Map<string, RosterEntry>;
  bySnilsHash: Map<string, RosterEntry[]>;
  ruleSetOf(category: StaffCategory): Promise<RuleSet>;
}

/** Every problem of one credit row at once (reason codes), or the record as it will be stored. */
export async function checkCreditRow(row: ImportRow, columns: ColumnMap<CreditField>, context: CreditRowContext): Promise<CreditRowCheck> {
  const reasons: string[] = [];
  const cell = (field: CreditField) => cellOf(row, columns, field) ?? '';

  const found = findRoster(cell('externalId'), cell('snils'), context);
  reasons.push(...found.reasons);

  const typeText = cell('type');
  const quantity = parseQuantityCell(cell('quantity'));
  const dateText = cell('date');
  const date = parseDateCell(dateText);
  const title = cell('title');
  if (title.length > TITLE_MAX) reasons.push('title-too-long');
  const documentNumber = cell('externalRef').replace(/\s+/g, ' ');
  if (documentNumber.length > EXTERNAL_REF_MAX) reasons.push('external-ref-too-long');

  let typeCode: string | null = null;
  if (found.roster) {
    const ruleSet = await context.ruleSetOf(found.roster.category);
    typeCode = resolveCreditType(ruleSet, typeText);
    const profile = {
      category: found.roster.category,
      cycleStart: found.roster.lastAccreditationDate ? isoDateOfDbDate(found.roster.lastAccreditationDate) : null,
    };
    const period = resolvePeriod(ruleSet, profile, context.today);
    // Without the accreditation date the cycle is unknown: older records may well belong to it.
    const bounds = { start: period.startKnown ? period.start : '0001-01-01', end: period.end };
    const check = checkCreditEntry(
      ruleSet,
      { typeCode: typeCode ?? typeText, quantity: quantity ?? Number.NaN, date: date ?? dateText },
      bounds,
      context.today,
    );
    if (!check.ok) reasons.push(...check.problems.map((problem) => problem.code));
  } else {
    // The rule set depends on the person: without one, only the formats can be checked.
    if (quantity === null) reasons.push('quantity-not-a-number');
    if (date === null) reasons.push('date-invalid');
  }

  if (reasons.length > 0 || !found.roster || !typeCode || quantity === null || !date) return { ok: false, reasons: unique(reasons) };
  const draft = { roster: found.roster, typeCode, quantity, date, title: title || null };
  return { ok: true, draft: { ...draft, row: row.row, externalRef: documentNumber || contentRef(draft) } };
}

/** The roster entry a row names: by табельный номер, else by СНИЛС; both must agree when both are given. */
function findRoster(externalId: string, snilsText: string, context: CreditRowContext): { roster: RosterEntry | null; reasons: string[] } {
  let snilsHash: string | null = null;
  if (snilsText) {
    const snils = normaliseSnils(restoreSnilsDigits(snilsText));
    if (!snils.ok) return { roster: null, reasons: [snils.reason] };
    snilsHash = context.lookupHash(snils.value);
  }
  if (externalId) {
    const roster = context.byExternalId.get(externalId) ?? null;
    if (!roster) return { roster: null, reasons: ['person-not-found'] };
    if (snilsHash && roster.snilsHash && roster.snilsHash !== snilsHash) return { roster: null, reasons: ['snils-mismatch'] };
    return { roster, reasons: [] };
  }
  if (!snilsHash) return { roster: null, reasons: ['person-missing'] };
  const matches = context.bySnilsHash.get(snilsHash) ?? [];
  if (matches.length > 1) return { roster: null, reasons: ['person-ambiguous'] };
  return matches.length === 1 ? { roster: matches[0], reasons: [] } : { roster: null, reasons: ['person-not-found'] };
}

export function groupBySnils(roster: readonly RosterEntry[]): Map<string, RosterEntry[]> {
  const groups = new Map<string, RosterEntry[]>();
  for (const entry of roster) {
    if (!entry.snilsHash) continue;
    groups.set(entry.snilsHash, [...(groups.get(entry.snilsHash) ?? []), entry]);
  }
  return groups;
}

/** One rule-set look-up per category per import, not per row. */
function memoByCategory(load: (category: StaffCategory) => Promise<RuleSet>): (category: StaffCategory) => Promise<RuleSet> {
  const cache = new Map<StaffCategory, Promise<RuleSet>>();
  return (category) => {
    let ruleSet = cache.get(category);
    if (!ruleSet) cache.set(category, (ruleSet = load(category)));
    return ruleSet;
  };
}

function fold(text: string): string {
  return text
    .toLocaleLowerCase('ru')
    .replace(/\u0451/g, '\u0435')
    .replace(/[^\p{L}\p{N}]/gu, '');
}

/** Words HR files use for the published rule's types, applied only when the rule set has that code. */
const WELL_KNOWN_TYPES: Record<string, string> = {
  пк: 'pk',
  повышениеквалификации: 'pk',
  программаповышенияквалификации: 'pk',
  иом: 'iom',
  интерактивныймодуль: 'iom',
  мероприятие: 'event',
  образовательноемероприятие: 'event',
  конференция: 'event',
};

const typeNamesCache = new WeakMap<RuleSet, Map<string, string>>();

/** Every name a credit type goes by in a rule set: its code, its names, and the abbreviation in brackets. */
function typeNames(ruleSet: RuleSet): Map<string, string> {
  let names = typeNamesCache.get(ruleSet);
  if (names) return names;
  names = new Map();
  const codes = new Set(ruleSet.creditTypes.map((type) => type.code));
  for (const [word, code] of Object.entries(WELL_KNOWN_TYPES)) if (codes.has(code)) names.set(word, code);
  for (const type of ruleSet.creditTypes) {
    for (const name of [type.name.ru, type.name.en]) {
      names.set(fold(name), type.code);
      names.set(fold(name.replace(/\([^)]*\)/g, '')), type.code);
      for (const [, inBrackets] of name.matchAll(/\(([^)]+)\)/g)) names.set(fold(inBrackets), type.code);
    }
    names.set(fold(type.code), type.code);
  }
  typeNamesCache.set(ruleSet, names);
  return names;
}

/** The rule set's type code a cell names («ПК», «мероприятие», «iom»…), or null. */
export function resolveCreditType(ruleSet: RuleSet, text: string): string | null {
  const folded = fold(text);
  return folded ? (typeNames(ruleSet).get(folded) ?? null) : null;
}

/**
 * A stable reference for a row without a document number: the same record in a later export hashes the
 * same, whatever its row number. The roster entry is part of the unique key already.
 */
function contentRef(draft: { typeCode: string; quantity: number; date: IsoDate; title: string | null }): string {
  const content = JSON.stringify([
    draft.typeCode,
    draft.quantity,
    draft.date,
    (draft.title ?? '').replace(/\s+/g, ' ').toLocaleLowerCase('ru'),
  ]);
  return `row:${createHash('sha256').update(content).digest('base64url').slice(0, 32)}`;
}

/**
 * Locks the roster entries the file writes to and reads who they are linked to now. Linking claims a
 * roster entry with an update, so it waits for this import to commit and then hands over its records
 * too; a link that committed first is seen here. Either way no imported record is left behind.
 */
async function lockRosterEntries(tx: Transaction, ids: string[]): Promise<Map<string, string | null>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.$queryRaw<{ id: string; personId: string | null }[]>`
    SELECT id::text AS id, "personId"::text AS "personId" FROM "RosterEntry" WHERE id = ANY(${ids}::uuid[]) ORDER BY id FOR UPDATE`;
  return new Map(rows.map((row) => [row.id, row.personId]));
}

function snapshotOfDraft(draft: CreditDraft, personId: string | null): CreditSnapshot {
  return {
    creditTypeCode: draft.typeCode,
    quantity: draft.quantity,
    occurredOn: draft.date,
    title: draft.title,
    externalRef: draft.externalRef,
    rosterEntryId: draft.roster.id,
    personId,
  };
}

function snapshotOf(entry: CreditEntry): CreditSnapshot {
  return {
    creditTypeCode: entry.creditTypeCode,
    quantity: entry.quantity,
    occurredOn: isoDateOfDbDate(entry.occurredOn),
    title: entry.title,
    externalRef: entry.externalRef,
    rosterEntryId: entry.rosterEntryId,
    personId: entry.personId,
  };
}

function sameSnapshot(a: CreditSnapshot, b: CreditSnapshot): boolean {
  return (Object.keys(a) as (keyof CreditSnapshot)[]).every((key) => a[key] === b[key]);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
