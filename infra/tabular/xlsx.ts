import type ExcelJS from 'exceljs';
import type { CellValue } from 'exceljs';
import { type Table, type TableRow, TabularError } from './table';
import { declaredUnzippedSize } from './zip-size';

/** A workbook of a few tens of thousands of staff unpacks to a few megabytes; 200 MB is plainly abuse. */
const MAX_UNZIPPED_BYTES = 200 * 1024 * 1024;

/**
 * Reads the first worksheet of an .xlsx workbook: the first non-empty row is the header. Dates come
 * back as 'YYYY-MM-DD', numbers as plain digits, formulas as their cached result.
 */
export async function parseXlsx(bytes: Uint8Array): Promise<Table> {
  const size = declaredUnzippedSize(bytes);
  if (size === null) throw new TabularError('xlsx-unreadable', 'the file is not a readable .xlsx workbook');
  if (size > MAX_UNZIPPED_BYTES) throw new TabularError('xlsx-too-large', 'the workbook unpacks to more than 200 MB');

  // Loaded when a workbook arrives: exceljs is 150 modules and ~25 MB the worker would carry all night for nothing.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer over the same bytes is what it reads.
    await workbook.xlsx.load(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) as unknown as ExcelJS.Buffer);
  } catch {
    throw new TabularError('xlsx-unreadable', 'the file is not a readable .xlsx workbook');
  }
  const sheet = workbook.worksheets.find((ws) => ws.actualRowCount > 0);
  if (!sheet) throw new TabularError('file-empty', 'the workbook has no rows');

  let headers: string[] | null = null;
  const rows: TableRow[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // row.values is 1-based and sparse: index 0 is always empty.
    const values = (row.values as CellValue[]).slice(1);
    const cells = Array.from({ length: Math.max(values.length, headers?.length ?? 0) }, (_, i) => cellText(values[i]));
    if (cells.every((cell) => cell === '')) return;
    if (headers === null) headers = cells;
    else rows.push({ row: rowNumber, cells });
  });
  if (headers === null) throw new TabularError('file-empty', 'the workbook has no header row');
  return { headers, rows };
}

/** The text a cell stands for, whatever exceljs made of it. */
export function cellText(value: CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(0) : String(value);
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  // exceljs turns a date serial into a Date at UTC midnight of that calendar day.
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  if ('richText' in value)
    return value.richText
      .map((part) => part.text)
      .join('')
      .trim();
  if ('hyperlink' in value) return String(value.text ?? '').trim();
  if ('formula' in value || 'sharedFormula' in value) return cellText((value.result ?? null) as CellValue);
  return ''; // an error value such as #N/A carries no data
}
