import type { Lang } from '../i18n';
import { A4, drawFooters, openPdf } from './pdf-document';

/** A plain table report: a title, lines of context, one table that breaks across pages with its header repeated. */
export interface TablePdfInput {
  lang: Lang;
  title: string;
  author: string;
  /** «Organization: …», «As of: …», filters: label/value pairs above the table. */
  facts: ReadonlyArray<[string, string]>;
  columns: ReadonlyArray<{ header: string; /** Share of the content width. */ width: number; align?: 'left' | 'right' }>;
  rows: ReadonlyArray<readonly string[]>;
  /** Said instead of an empty table. */
  empty: string;
  /** Footer line, e.g. «Сформировано 25.11.2026 12:00». */
  generated: string;
  generatedAt: Date;
}

const MARGIN = 36;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const CONTENT_BOTTOM = A4.height - MARGIN - 22;
const PAD = 3;
const FONT_SIZE = 8;
const COLORS = { text: '#1f2933', muted: '#616e7c', rule: '#cbd2d9', header: '#e4e7eb', zebra: '#f5f7fa' };

/** Renders a table report as an A4 PDF in PT Sans (Cyrillic names print as they are). */
export async function renderTablePdf(input: TablePdfInput): Promise<Buffer> {
  const { doc, bytes } = openPdf({
    lang: input.lang,
    title: input.title,
    author: input.author,
    generatedAt: input.generatedAt,
    margin: MARGIN,
    bottomMargin: MARGIN + 22,
  });
  const total = input.columns.reduce((sum, c) => sum + c.width, 0);
  const widths = input.columns.map((c) => (c.width / total) * CONTENT_WIDTH);

  doc.font('bold').fontSize(15).fillColor(COLORS.text).text(input.title, MARGIN, MARGIN, { width: CONTENT_WIDTH });
  doc.moveDown(0.4);
  for (const [label, value] of input.facts) {
    doc.font('regular').fontSize(9).fillColor(COLORS.muted).text(`${label}: `, MARGIN, doc.y, { continued: true, width: CONTENT_WIDTH });
    doc.font('bold').fillColor(COLORS.text).text(value);
  }
  doc.moveDown(0.6);

  const rowHeight = (cells: readonly string[], font: 'regular' | 'bold') => {
    doc.font(font).fontSize(FONT_SIZE);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * PAD }))) + 2 * PAD;
  };
  const drawRow = (cells: readonly string[], y: number, font: 'regular' | 'bold', fill?: string) => {
    const height = rowHeight(cells, font);
    if (fill) doc.rect(MARGIN, y, CONTENT_WIDTH, height).fill(fill);
    doc.font(font).fontSize(FONT_SIZE).fillColor(COLORS.text);
    let x = MARGIN;
    cells.forEach((cell, i) => {
      doc.text(cell, x + PAD, y + PAD, { width: widths[i] - 2 * PAD, align: input.columns[i].align ?? 'left' });
      x += widths[i];
    });
    doc
      .moveTo(MARGIN, y + height)
      .lineTo(MARGIN + CONTENT_WIDTH, y + height)
      .lineWidth(0.4)
      .strokeColor(COLORS.rule)
      .stroke();
    return y + height;
  };

  const headers = input.columns.map((c) => c.header);
  let y = drawRow(headers, doc.y, 'bold', COLORS.header);
  if (input.rows.length === 0) {
    doc
      .font('regular')
      .fontSize(9)
      .fillColor(COLORS.muted)
      .text(input.empty, MARGIN, y + 6, { width: CONTENT_WIDTH });
  }
  input.rows.forEach((row, index) => {
    if (y + rowHeight(row, 'regular') > CONTENT_BOTTOM) {
      doc.addPage();
      y = drawRow(headers, MARGIN, 'bold', COLORS.header);
    }
    y = drawRow(row, y, 'regular', index % 2 === 1 ? COLORS.zebra : undefined);
  });

  drawFooters(doc, input.generated, { margin: MARGIN, y: A4.height - MARGIN - 10, color: COLORS.muted, ruleColor: COLORS.rule });
  doc.end();
  return bytes;
}
