import ExcelJS from 'exceljs';
import { detectSeparator, parseCsv } from './csv';
import { decodeText } from './decode';
import { readTable } from './read-table';
import { TabularError } from './table';
import JSZip from 'jszip';
import { deflatedRepeat, honestEntry, writeZip, type ZipEntry } from '../../test/support/zip-writer';
import { readTableInThread } from './read-table-in-thread';

/** Windows-1251 as Russian Excel writes it: А..я at 0xC0..0xFF, Ё/ё at 0xA8/0xB8, № at 0xB9. */
function cp1251(text: string): Buffer {
  return Buffer.from(
    [...text].map((ch) => {
      const code = ch.codePointAt(0)!;
      if (code < 0x80) return code;
      if (code >= 0x410 && code <= 0x44f) return code - 0x410 + 0xc0;
      const extra: Record<string, number> = { Ё: 0xa8, ё: 0xb8, '№': 0xb9 };
      if (ch in extra) return extra[ch];
      throw new Error(`no cp1251 byte for ${ch}`);
    }),
  );
}

const ROSTER_CSV = 'Табельный номер;ФИО;Категория\r\nT-1;Иванова Мария Петровна;медсестра\r\nT-2;Петров Пётр Петрович;врач\r\n';

describe('reading CSV', () => {
  it('detects the separator from the header line, ignoring quoted ones', () => {
    expect(detectSeparator('a;b;c\n1,5;2;3')).toBe(';');
    expect(detectSeparator('a,b,c\n1;2;3')).toBe(',');
    expect(detectSeparator('"a;x",b,c\n')).toBe(',');
    expect(detectSeparator('a\tb\tc')).toBe('\t');
    expect(detectSeparator('single')).toBe(';');
  });

  it('reads UTF-8 with a BOM, semicolons and CRLF, numbering rows as Excel does', async () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(ROSTER_CSV, 'utf8')]);
    const table = await readTable(bytes);
    expect(table.format).toBe('csv');
    expect(table.headers).toEqual(['Табельный номер', 'ФИО', 'Категория']);
    expect(table.rows).toEqual([
      { row: 2, cells: ['T-1', 'Иванова Мария Петровна', 'медсестра'] },
      { row: 3, cells: ['T-2', 'Петров Пётр Петрович', 'врач'] },
    ]);
  });

  it('reads UTF-8 without a BOM and commas', async () => {
    const table = await readTable(Buffer.from('externalId,fullName,category\nT-1,"Smith, John",DOCTOR\n', 'utf8'));
    expect(table.rows).toEqual([{ row: 2, cells: ['T-1', 'Smith, John', 'DOCTOR'] }]);
  });

  it('decodes Windows-1251 when the bytes are not valid UTF-8', async () => {
    const bytes = cp1251('Таб. №;ФИО;Категория\nT-1;Семёнова Алёна Юрьевна;фармацевт\n');
    expect(decodeText(bytes).encoding).toBe('windows-1251');
    const table = await readTable(bytes);
    expect(table.headers).toEqual(['Таб. №', 'ФИО', 'Категория']);
    expect(table.rows[0].cells).toEqual(['T-1', 'Семёнова Алёна Юрьевна', 'фармацевт']);
  });

  it('keeps quoted separators, doubled quotes and line breaks inside a field', () => {
    const table = parseCsv('Название;Часы\n"Курс ""Кардиология""; часть 1";36\n"две\nстроки";2\n;\nпоследняя;1');
    expect(table.rows).toEqual([
      { row: 2, cells: ['Курс "Кардиология"; часть 1', '36'] },
      { row: 3, cells: ['две\nстроки', '2'] },
      { row: 5, cells: ['последняя', '1'] },
    ]);
  });

  it('skips blank lines but keeps counting them, as Excel shows them', () => {
    const table = parseCsv('\n\na;b\n1;2\n\n3;4\n\n');
    expect(table.headers).toEqual(['a', 'b']);
    expect(table.rows.map((r) => r.row)).toEqual([4, 6]);
  });

  it('reports a row whose quote is never closed, with its column, and reads every row after it', () => {
    // Four staff; the third line starts with a stray quote. It used to swallow every later line.
    const table = parseCsv(
      'Табельный номер;ФИО;Категория\nT-1;Иванова Мария;медсестра\n"T-2;Петров Пётр;врач\nT-3;Сидоров Иван;врач\nT-4;Кузнецова Анна;медсестра\n',
    );
    expect(table.rows.map((r) => r.cells[0])).toEqual(['T-1', 'T-3', 'T-4']);
    expect(table.unreadable).toEqual([{ row: 3, column: 1, problem: 'csv-quote-unclosed' }]);
  });

  it('reports a stray quote closed lines later by another one, instead of gluing the lines between into one cell', () => {
    const table = parseCsv('a;b;c\nT-1;x;y\nT-2;"Петров;врач\nT-3;"Сидоров";врач\nT-4;x;y\n');
    expect(table.rows.map((r) => r.row)).toEqual([2, 4, 5]);
    expect(table.rows[1].cells).toEqual(['T-3', 'Сидоров', 'врач']);
    expect(table.unreadable).toEqual([{ row: 3, column: 2, problem: 'csv-quote-unclosed' }]);
  });

  it('keeps a quote inside an unquoted field as typed (5" monitor), as Excel does', () => {
    expect(parseCsv('a;b\nМонитор 27";1\n').rows).toEqual([{ row: 2, cells: ['Монитор 27"', '1'] }]);
  });

  it('refuses a file whose header row itself has an unclosed quote, naming row and column', () => {
    expect(() => parseCsv('\nа;"б;в\n1;2;3\n')).toThrow(
      expect.objectContaining({ code: 'csv-unreadable', message: expect.stringMatching(/^row 2, column 2:/) }),
    );
  });

  it('refuses an empty file and the legacy .xls format', async () => {
    await expect(readTable(Buffer.alloc(0))).rejects.toMatchObject({ code: 'file-empty' });
    await expect(readTable(Buffer.from(' \r\n \n'))).rejects.toMatchObject({ code: 'file-empty' });
    await expect(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).rejects.toBeInstanceOf(TabularError);
    await expect(readTable(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]))).rejects.toMatchObject({
      code: 'xls-unsupported',
    });
  });
});

describe('reading XLSX', () => {
  async function workbook(build: (sheet: ExcelJS.Worksheet) => void): Promise<Buffer> {
    const book = new ExcelJS.Workbook();
    build(book.addWorksheet('Сотрудники'));
    return Buffer.from(await book.xlsx.writeBuffer());
  }

  it('reads the first sheet with Russian headers, dates, numbers and rich text', async () => {
    const bytes = await workbook((sheet) => {
      sheet.addRow(['Табельный номер', 'ФИО', 'СНИЛС', 'Дата последней аккредитации', 'Часы']);
      sheet.addRow([
        'T-1',
        { richText: [{ text: 'Иванова ' }, { text: 'Мария Петровна' }] },
        11223344595,
        new Date(Date.UTC(2023, 2, 15)),
        36.5,
      ]);
      sheet.addRow([]);
      sheet.addRow([1002, 'Петров Пётр Петрович', '112-233-445 95', '15.03.2023', { formula: '2*18', result: 36 }]);
    });
    const table = await readTable(bytes);
    expect(table.format).toBe('xlsx');
    expect(table.headers).toEqual(['Табельный номер', 'ФИО', 'СНИЛС', 'Дата последней аккредитации', 'Часы']);
    expect(table.rows).toEqual([
      { row: 2, cells: ['T-1', 'Иванова Мария Петровна', '11223344595', '2023-03-15', '36.5'] },
      { row: 4, cells: ['1002', 'Петров Пётр Петрович', '112-233-445 95', '15.03.2023', '36'] },
    ]);
  });

  it('pads short rows to the header width', async () => {
    const bytes = await workbook((sheet) => {
      sheet.addRow(['a', 'b', 'c']);
      sheet.addRow(['1']);
    });
    expect((await readTable(bytes)).rows).toEqual([{ row: 2, cells: ['1', '', ''] }]);
  });

  it('refuses a ZIP that is not a workbook', async () => {
    await expect(readTable(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toMatchObject({ code: 'xlsx-unreadable' });
    await expect(readTable(writeZip([honestEntry('notes.txt', 'not a workbook')]))).rejects.toMatchObject({ code: 'xlsx-unreadable' });
  });
});

/**
 * #12.5: a 408 KB workbook whose archive declared small sizes took the bot process to 534 MB, because
 * the check trusted the declared sizes and exceljs then inflated everything. The archive is now
 * inflated by a reader that stops at the first byte beyond what an entry declares, and counts the real
 * bytes against a hard limit: each refusal below says where it stopped.
 */
describe('reading XLSX that lies about itself', () => {
  /** The files of a real one-sheet workbook, honest, to forge from. */
  async function workbookEntries(): Promise<ZipEntry[]> {
    const book = new ExcelJS.Workbook();
    book.addWorksheet('Сотрудники').addRow(['Табельный номер', 'ФИО', 'Категория']);
    const zip = await JSZip.loadAsync(await book.xlsx.writeBuffer());
    const entries: ZipEntry[] = [];
    for (const file of Object.values(zip.files)) if (!file.dir) entries.push(honestEntry(file.name, await file.async('nodebuffer')));
    return entries;
  }

  async function withSheet(sheet: (honest: ZipEntry) => Promise<ZipEntry>): Promise<Buffer> {
    const entries = await workbookEntries();
    const at = entries.findIndex((e) => e.name === 'xl/worksheets/sheet1.xml');
    entries[at] = await sheet(entries[at]);
    return writeZip(entries);
  }

  it('reads the honest workbook the forgeries start from', async () => {
    expect((await readTable(writeZip(await workbookEntries()))).headers).toEqual(['Табельный номер', 'ФИО', 'Категория']);
  });

  it('refuses a forged workbook whose sheet inflates to 512 MB while declaring 2 KB, stopping at 2 KB', async () => {
    const forged = await withSheet(async (honest) => ({
      ...honest,
      deflated: await deflatedRepeat(' ', 512 * 1024 * 1024),
      declaredSize: 2048,
    }));
    expect(forged.length).toBeLessThan(1024 * 1024);
    await expect(readTable(forged)).rejects.toMatchObject({
      code: 'xlsx-forged',
      message:
        'the workbook is damaged or forged: xl/worksheets/sheet1.xml unpacks to more than the 2048 bytes it declares (stopped there)',
    });
  });

  it('refuses a workbook that declares more than 48 MB before inflating anything', async () => {
    // An honest sheet of 64 MB of spaces: nothing to forge, simply too much for an import.
    const big = await withSheet(async (honest) => ({
      ...honest,
      deflated: await deflatedRepeat(' ', 64 * 1024 * 1024),
      declaredSize: 64 * 1024 * 1024,
    }));
    await expect(readTable(big)).rejects.toMatchObject({ code: 'xlsx-too-large', message: 'the workbook unpacks to more than 48 MB' });
  });

  it('refuses an archive of more files than any workbook holds', async () => {
    const entries = [...(await workbookEntries()), ...Array.from({ length: 500 }, (_, i) => honestEntry(`xl/media/image${i}.png`, 'x'))];
    await expect(readTable(writeZip(entries))).rejects.toMatchObject({
      code: 'xlsx-too-large',
      message: expect.stringMatching(/^the workbook holds 5\d\d files, more than the 500 an import accepts$/),
    });
  });
});

describe('reading a file in a worker thread of its own', () => {
  it('reads a CSV and a workbook as readTable does', async () => {
    expect(await readTableInThread(Buffer.from(ROSTER_CSV, 'utf8'))).toMatchObject({ format: 'csv', rows: [{ row: 2 }, { row: 3 }] });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Сотрудники');
    sheet.addRow(['Табельный номер', 'ФИО']);
    sheet.addRow(['T-1', 'Иванова Мария Петровна']);
    const table = await readTableInThread(Buffer.from(await book.xlsx.writeBuffer()));
    expect(table).toEqual({
      format: 'xlsx',
      headers: ['Табельный номер', 'ФИО'],
      rows: [{ row: 2, cells: ['T-1', 'Иванова Мария Петровна'] }],
    });
  });

  it("passes the reader's refusals on as they are", async () => {
    await expect(readTableInThread(Buffer.from('\nа;"б;в\n'))).rejects.toMatchObject({ code: 'csv-unreadable' });
  });

  // 64 MB, not less: below some 32 MB V8 cannot even stop the thread cleanly and takes the process down with it.
  it('refuses a file that needs more memory than the thread may take, and the process goes on', async () => {
    const rows = Array.from({ length: 200_000 }, (_, i) => `T-${i};Иванова Мария Петровна ${i};медсестра`).join('\n');
    const bytes = Buffer.from(`Табельный номер;ФИО;Категория\n${rows}\n`, 'utf8');
    await expect(readTableInThread(bytes, { maxHeapMb: 64, timeoutMs: 60_000 })).rejects.toMatchObject({
      code: 'file-too-large',
      message: 'the file needs more memory than an import may take: split it into smaller files',
    });
    // The same file within the usual limits: the process and its next reader are fine.
    expect((await readTableInThread(bytes)).rows).toHaveLength(200_000);
  });
});
