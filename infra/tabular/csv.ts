import { type Table, TabularError } from './table';

export type Separator = ';' | ',' | '\t';

const SEPARATORS: readonly Separator[] = [';', ',', '\t'];

/**
 * The separator of the header line: the candidate that occurs most often outside quotes. Russian
 * Excel writes ';' (the comma is the decimal separator there), other tools ','; a tie goes to ';'.
 */
export function detectSeparator(text: string): Separator {
  const counts = new Map<Separator, number>(SEPARATORS.map((s) => [s, 0]));
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) break;
    else if (!quoted && counts.has(ch as Separator)) counts.set(ch as Separator, counts.get(ch as Separator)! + 1);
  }
  let best: Separator = ';';
  for (const separator of SEPARATORS) if (counts.get(separator)! > counts.get(best)!) best = separator;
  return best;
}

/**
 * Splits CSV text into records (RFC 4180: quoted fields may hold separators, doubled quotes and line
 * breaks; lines end in LF, CRLF or CR). Returns every record, blank ones included, so that an index
 * in the result plus one is the row number Excel shows.
 */
export function splitCsv(text: string, separator: Separator): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let field = '';
  let quoted = false;
  let i = 0;
  const endField = () => {
    record.push(field);
    field = '';
  };
  const endRecord = () => {
    endField();
    records.push(record);
    record = [];
  };
  while (i < text.length) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
          continue;
        }
        quoted = false;
      } else {
        field += ch;
      }
      i += 1;
      continue;
    }
    if (ch === '"' && field.length === 0) quoted = true;
    else if (ch === separator) endField();
    else if (ch === '\r') {
      endRecord();
      if (text[i + 1] === '\n') i += 1;
    } else if (ch === '\n') endRecord();
    else field += ch;
    i += 1;
  }
  // A final line without a line break is a record; the break after the last line starts none.
  if (field.length > 0 || record.length > 0) endRecord();
  return records;
}

/** Reads decoded CSV text as a table: the first non-blank record is the header. */
export function parseCsv(text: string, separator: Separator = detectSeparator(text)): Table {
  const records = splitCsv(text, separator);
  const headerIndex = records.findIndex((cells) => !isBlank(cells));
  if (headerIndex < 0) throw new TabularError('file-empty', 'the file has no header row');
  const rows = [];
  for (let index = headerIndex + 1; index < records.length; index++) {
    const cells = records[index];
    if (!isBlank(cells)) rows.push({ row: index + 1, cells: cells.map((c) => c.trim()) });
  }
  return { headers: records[headerIndex].map((h) => h.trim()), rows };
}

export function isBlank(cells: readonly string[]): boolean {
  return cells.every((cell) => cell.trim() === '');
}
