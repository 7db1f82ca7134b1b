/**
 * PortfolioItem.kind carries what the schema has no column for. Report part: 'report' or 'publication'.
 * Education part: the credit type code, followed by ':' and the credit entry's id when the item was
 * imported from it (so that importing twice adds nothing, and the date comes from the entry).
 */
export type ReportKind = 'report' | 'publication';

export interface EducationKind {
  typeCode: string;
  creditEntryId: string | null;
}

export function educationKind(typeCode: string, creditEntryId?: string | null): string {
  return creditEntryId ? `${typeCode}:${creditEntryId}` : typeCode;
}

export function educationKindOf(kind: string): EducationKind {
  const at = kind.indexOf(':');
  return at < 0 ? { typeCode: kind, creditEntryId: null } : { typeCode: kind.slice(0, at), creditEntryId: kind.slice(at + 1) };
}
