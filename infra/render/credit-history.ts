import type { IsoDate } from '../../core/shared/dates';
import type { Verification } from '../../core/credits/engine';
import type { LocalizedText, RuleSet } from '../../core/rules/rule-set.schema';
import type { Lang } from '../i18n';

export type { Verification };

export const creditSources = ['SELF', 'IMPORT', 'REVIEW', 'ATTENDANCE_CODE'] as const;
/** Mirrors the CreditSource enum of prisma/schema.prisma. */
export type CreditSource = (typeof creditSources)[number];

/** The fields of a stored CreditEntry (prisma/schema.prisma) that a history shows. */
export interface CreditEntryRecord {
  creditTypeCode: string;
  quantity: number;
  /** A @db.Date column: the day at UTC midnight. */
  occurredOn: Date;
  title: string | null;
  source: CreditSource;
  verification: Verification;
}

/** One line of a person's credit history, as the CSV and PDF renderers take it. */
export interface CreditHistoryRow {
  date: IsoDate;
  typeCode: string;
  /** The type's name in the rule set; null when the rule set does not know the code (the code is shown). */
  typeName: LocalizedText | null;
  quantity: number;
  /**
   * Credits the entry yields before caps (weight × quantity to 2 decimals, a quantity above the type's max
   * counting as max, as the engine counts); null when it yields none: rejected, or of an unknown type.
   */
  credits: number | null;
  title: string | null;
  source: CreditSource;
  verification: Verification;
}

/** The history of entries under a rule set, oldest first (entries of one day keep their order). */
export function toCreditHistoryRows(entries: readonly CreditEntryRecord[], ruleSet: Pick<RuleSet, 'creditTypes'>): CreditHistoryRow[] {
  const typeByCode = new Map(ruleSet.creditTypes.map((type) => [type.code, type]));
  const rows = entries.map((entry): CreditHistoryRow => {
    const type = typeByCode.get(entry.creditTypeCode);
    const countable = type !== undefined && entry.verification !== 'REJECTED' && entry.quantity >= 0;
    return {
      date: entry.occurredOn.toISOString().slice(0, 10),
      typeCode: entry.creditTypeCode,
      typeName: type?.name ?? null,
      quantity: entry.quantity,
      credits: countable ? Math.round(type.weight * Math.min(entry.quantity, type.quantity.max) * 100) / 100 : null,
      title: entry.title,
      source: entry.source,
      verification: entry.verification,
    };
  });
  return rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

export function typeLabel(row: Pick<CreditHistoryRow, 'typeCode' | 'typeName'>, lang: Lang): string {
  return row.typeName?.[lang] ?? row.typeCode;
}
