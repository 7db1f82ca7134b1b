import type ExcelJS from 'exceljs';
import type { CellValue } from 'exceljs';
import JSZip from 'jszip';
import { unzipBounded, type UnzipLimits } from './bounded-unzip';
import { type Table, type TableRow, TabularError } from './table';

/**
 * A roster of 100,000 staff unpacks to about 40 MB of XML (and takes exceljs some 300 MB of memory to
 * read); more than 48 MB, or more files than any plain workbook holds, is refused before exceljs sees it.
 */
export const XLSX_LIMITS: UnzipLimits = { maxEntries: 500, maxTotalBytes: 48 * 1024 * 1024 };

/**
 * Reads the first worksheet of an .xlsx workbook: the first non-empty row is the header. Dates come
 * back as 'YYYY-MM-DD', numbers as plain digits, formulas as their cached result.
 *
 * The archive is unpacked first with real, enforced limits (see unzipBounded): exceljs, which trusts
 * the sizes an archive declares, only ever reads a copy packed here from contents already inflated
 * and counted, never the uploaded archive itself.
 */
export async function parseXlsx(bytes: Uint8Array): Promise<Table> {
  const files = await unzipBounded(bytes, XLSX_LIMITS);
  // exceljs reads any ZIP as an empty workbook: one without the workbook part is simply not an .xlsx.
  if (!files.has('xl/workbook.xml')) throw new TabularError('xlsx-unreadable', 'the file is not a readable .xlsx workbook');
  const verified = new JSZip();
  for (const [name, content] of files) verified.file(name, content, { binary: true });
  const repacked = await verified.generateAsync({ type: 'nodebuffer', compression: 'STORE' });

  // Loaded when a workbook arrives: exceljs is 150 modules and ~25 MB the worker would carry all night for nothing.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads.
    await workbook.xlsx.load(repacked as unknown as ExcelJS.Buffer);
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
