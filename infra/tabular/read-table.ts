import { parseCsv } from './csv';
import { decodeText } from './decode';
import { type Table, TabularError } from './table';

export type TableFormat = 'csv' | 'xlsx';

/**
 * exceljs (with jszip) costs a process some 35 MB: loaded by the first workbook read, not at start of
 * the bot process that serves the admin API.
 */
export async function parseXlsx(bytes: Uint8Array): ReturnType<typeof import('./xlsx').parseXlsx> {
  const xlsx = await import('./xlsx');
  return xlsx.parseXlsx(bytes);
}

/**
 * The format of an uploaded file, decided by its content, never by its name or declared type:
 * an .xlsx workbook is a ZIP archive; the legacy .xls is an OLE compound file; anything else is text.
 */
export function sniffFormat(bytes: Uint8Array): TableFormat {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'xlsx';
  if (bytes[0] === 0xd0 && bytes[1] === 0xcf && bytes[2] === 0x11 && bytes[3] === 0xe0) {
    throw new TabularError('xls-unsupported', 'the old .xls format is not supported: save the file as .xlsx or CSV');
  }
  return 'csv';
}

/** Reads a CSV (UTF-8 with or without BOM, or Windows-1251; ';', ',' or tab) or an XLSX file. */
export async function readTable(bytes: Uint8Array): Promise<Table & { format: TableFormat }> {
  if (bytes.length === 0) throw new TabularError('file-empty', 'the file is empty');
  const format = sniffFormat(bytes);
  if (format === 'xlsx') return { ...(await parseXlsx(bytes)), format };
  return { ...parseCsv(decodeText(bytes).text), format };
}
