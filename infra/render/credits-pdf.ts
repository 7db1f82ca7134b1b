import type { IsoDate } from '../../core/shared/dates';
import type { Evaluation } from '../../core/credits/engine';
import type { RuleSet } from '../../core/rules/rule-set.schema';
import type { Lang } from '../i18n';
import { type CreditHistoryRow, type Verification, typeLabel } from './credit-history';
import { formatDate, formatDateTime, formatNumber } from './format';
import { A4, drawFooters, openPdf } from './pdf-document';

/** Every word of the report, already translated by the caller. */
export interface CreditsPdfLabels {
  title: string;
  person: string;
  organization: string;
  ruleSet: string;
  period: string;
  /** Captions of the three totals; a caller may name the unit in them ("Набрано, ЗЕТ"). */
  total: string;
  required: string;
  remaining: string;
  /** Heading of the breakdown by credit type. */
  byType: string;
  /** Heading of the list of entries. */
  history: string;
  /** Said instead of an empty history table. */
  noEntries: string;
  generatedAt: string;
  columns: {
    date: string;
    type: string;
    quantity: string;
    credits: string;
    title: string;
    verification: string;
    entries: string;
    counted: string;
    cap: string;
  };
  verifications: Record<Verification, string>;
}

export interface CreditsPdfInput {
  lang: Lang;
  person: { name: string; organization: string | null };
  ruleSet: Pick<RuleSet, 'name' | 'creditTypes'>;
  evaluation: Pick<Evaluation, 'period' | 'total' | 'required' | 'remaining' | 'percent' | 'met' | 'byType'>;
  /** Entries in the order to list them (toCreditHistoryRows gives them oldest first). */
  history: readonly CreditHistoryRow[];
  /** When the report was made: passed in so that the same input gives the same bytes. */
  generatedAt: Date;
  /** The person's zone (R-SETTINGS), in which generatedAt is shown, e.g. 'Europe/Moscow'. */
  timeZone: string;
  labels: CreditsPdfLabels;
}

const PAGE = A4;
const MARGIN = 42;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
/** Tables stop above the footer line. */
const CONTENT_BOTTOM = PAGE.height - MARGIN - 22;
const CELL_PADDING = 4;
const BODY_SIZE = 9;
const COLORS = {
  text: '#111827',
  muted: '#6b7280',
  rule: '#d1d5db',
  headerFill: '#f3f4f6',
  zebra: '#fafafa',
  accent: '#2563eb',
  met: '#16a34a',
  remaining: '#dc2626',
} as const;

/** The credit report as a PDF: who, under which rules, the totals, the breakdown by type and every entry. */
export function renderCreditsPdf(input: CreditsPdfInput): Promise<Buffer> {
  const { labels, lang } = input;
  const { doc, bytes } = openPdf({ lang, title: labels.title, author: input.person.name, generatedAt: input.generatedAt, margin: MARGIN });

  let y = header(doc, input);
  y = summary(doc, input, y + 14);
  y = section(doc, labels.byType, y + 22);
  y = table(doc, y, byTypeColumns(labels), byTypeRows(input));
  y = section(doc, labels.history, y + 22);
  if (input.history.length === 0) {
    doc.font('regular').fontSize(10).fillColor(COLORS.muted).text(labels.noEntries, MARGIN, y);
  } else {
    table(doc, y, historyColumns(labels), historyRows(input));
  }
  drawFooters(doc, `${labels.generatedAt}: ${formatDateTime(input.generatedAt, lang, input.timeZone)}`, {
    margin: MARGIN,
    y: PAGE.height - MARGIN - 8,
    color: COLORS.muted,
    ruleColor: COLORS.rule,
  });
  doc.end();
  return bytes;
}

/** Title and who the report is about; returns the y below it. */
function header(doc: PDFKit.PDFDocument, input: CreditsPdfInput): number {
  const { labels, lang, evaluation } = input;
  doc.font('bold').fontSize(18).fillColor(COLORS.text).text(labels.title, MARGIN, MARGIN, { width: CONTENT_WIDTH });
  let y = doc.y + 10;
  const facts: [string, string][] = [
    [labels.person, input.person.name],
    ...(input.person.organization ? [[labels.organization, input.person.organization] as [string, string]] : []),
    [labels.ruleSet, input.ruleSet.name[lang]],
    [labels.period, periodText(evaluation.period, lang)],
  ];
  const labelWidth = Math.min(150, Math.max(...facts.map(([label]) => doc.font('regular').fontSize(10).widthOfString(label))) + 12);
  for (const [label, value] of facts) {
    doc
      .font('regular')
      .fontSize(10)
      .fillColor(COLORS.muted)
      .text(label, MARGIN, y + 1.5, { width: labelWidth - 8 });
    const labelBottom = doc.y;
    doc
      .font('bold')
      .fontSize(11.5)
      .fillColor(COLORS.text)
      .text(value, MARGIN + labelWidth, y, { width: CONTENT_WIDTH - labelWidth });
    y = Math.max(doc.y, labelBottom) + 4;
  }
  return y;
}

function periodText(period: { start: IsoDate; end: IsoDate }, lang: Lang): string {
  return `${formatDate(period.start, lang)} — ${formatDate(period.end, lang)}`;
}

/** Three totals side by side and a bar of the share done; returns the y below them. */
function summary(doc: PDFKit.PDFDocument, input: CreditsPdfInput, top: number): number {
  const { labels, lang, evaluation } = input;
  const gap = 10;
  const boxWidth = (CONTENT_WIDTH - 2 * gap) / 3;
  const boxHeight = 58;
  const boxes: [string, number, string][] = [
    [labels.total, evaluation.total, COLORS.accent],
    [labels.required, evaluation.required, COLORS.text],
    [labels.remaining, evaluation.remaining, evaluation.met ? COLORS.met : COLORS.remaining],
  ];
  boxes.forEach(([caption, value, color], i) => {
    const x = MARGIN + i * (boxWidth + gap);
    doc.roundedRect(x, top, boxWidth, boxHeight, 6).lineWidth(1).strokeColor(COLORS.rule).stroke();
    doc
      .font('bold')
      .fontSize(22)
      .fillColor(color)
      .text(formatNumber(value, lang), x + 10, top + 7, { width: boxWidth - 20, lineBreak: false });
    doc
      .font('regular')
      .fontSize(9.5)
      .fillColor(COLORS.muted)
      .text(caption, x + 10, top + 37, { width: boxWidth - 20, lineBreak: false, ellipsis: true });
  });

  const barTop = top + boxHeight + 12;
  const share = Math.min(1, Math.max(0, evaluation.percent / 100));
  doc
    .roundedRect(MARGIN, barTop, CONTENT_WIDTH - 60, 10, 5)
    .fillColor(COLORS.headerFill)
    .fill();
  if (share > 0)
    doc
      .roundedRect(MARGIN, barTop, Math.max(10, (CONTENT_WIDTH - 60) * share), 10, 5)
      .fillColor(evaluation.met ? COLORS.met : COLORS.accent)
      .fill();
  doc
    .font('bold')
    .fontSize(11)
    .fillColor(COLORS.text)
    .text(`${formatNumber(evaluation.percent, lang)}\u00a0%`, PAGE.width - MARGIN - 55, barTop - 2, {
      width: 55,
      align: 'right',
      lineBreak: false,
    });
  return barTop + 10;
}

function section(doc: PDFKit.PDFDocument, title: string, top: number): number {
  let y = top;
  if (y + 60 > CONTENT_BOTTOM) {
    doc.addPage();
    y = MARGIN;
  }
  doc.font('bold').fontSize(13).fillColor(COLORS.text).text(title, MARGIN, y, { width: CONTENT_WIDTH });
  return doc.y + 6;
}

interface Column {
  header: string;
  /** Share of the content width. */
  share: number;
  align?: 'left' | 'right';
}

function byTypeColumns(labels: CreditsPdfLabels): Column[] {
  return [
    { header: labels.columns.type, share: 0.55 },
    { header: labels.columns.entries, share: 0.15, align: 'right' },
    { header: labels.columns.counted, share: 0.15, align: 'right' },
    { header: labels.columns.cap, share: 0.15, align: 'right' },
  ];
}

function byTypeRows({ evaluation, ruleSet, lang }: CreditsPdfInput): string[][] {
  const nameByCode = new Map(ruleSet.creditTypes.map((type) => [type.code, type.name[lang]]));
  return evaluation.byType.map((balance) => [
    nameByCode.get(balance.code) ?? balance.code,
    String(balance.entries),
    formatNumber(balance.counted, lang),
    balance.cap === null ? '—' : formatNumber(balance.cap, lang),
  ]);
}

function historyColumns(labels: CreditsPdfLabels): Column[] {
  return [
    { header: labels.columns.date, share: 0.12 },
    { header: labels.columns.type, share: 0.27 },
    { header: labels.columns.quantity, share: 0.09, align: 'right' },
    { header: labels.columns.credits, share: 0.08, align: 'right' },
    { header: labels.columns.title, share: 0.29 },
    { header: labels.columns.verification, share: 0.15 },
  ];
}

function historyRows({ history, lang, labels }: CreditsPdfInput): string[][] {
  return history.map((row) => [
    formatDate(row.date, lang),
    typeLabel(row, lang),
    formatNumber(row.quantity, lang),
    row.credits === null ? '—' : formatNumber(row.credits, lang),
    row.title ?? '',
    labels.verifications[row.verification],
  ]);
}

/**
 * A table that continues on new pages, repeating its header row there; cells wrap and a row grows to its
 * tallest cell. Returns the y below the last row.
 */
function table(doc: PDFKit.PDFDocument, top: number, columns: readonly Column[], rows: readonly string[][]): number {
  const widths = columns.map((column) => column.share * CONTENT_WIDTH);
  const cellHeight = (cells: readonly string[], font: 'regular' | 'bold', size: number): number => {
    doc.font(font).fontSize(size);
    return Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * CELL_PADDING }))) + 2 * CELL_PADDING;
  };
  const drawRow = (
    cells: readonly string[],
    y: number,
    height: number,
    font: 'regular' | 'bold',
    size: number,
    fill: string | null,
  ): void => {
    if (fill) doc.rect(MARGIN, y, CONTENT_WIDTH, height).fillColor(fill).fill();
    let x = MARGIN;
    doc
      .font(font)
      .fontSize(size)
      .fillColor(font === 'bold' ? COLORS.muted : COLORS.text);
    cells.forEach((cell, i) => {
      doc.text(cell, x + CELL_PADDING, y + CELL_PADDING, { width: widths[i] - 2 * CELL_PADDING, align: columns[i].align ?? 'left' });
      x += widths[i];
    });
    doc
      .moveTo(MARGIN, y + height)
      .lineTo(MARGIN + CONTENT_WIDTH, y + height)
      .lineWidth(0.5)
      .strokeColor(COLORS.rule)
      .stroke();
  };

  const headers = columns.map((column) => column.header);
  const headerHeight = cellHeight(headers, 'bold', 8.5);
  let y = top;
  drawRow(headers, y, headerHeight, 'bold', 8.5, COLORS.headerFill);
  y += headerHeight;
  rows.forEach((cells, index) => {
    const height = cellHeight(cells, 'regular', BODY_SIZE);
    if (y + height > CONTENT_BOTTOM) {
      doc.addPage();
      y = MARGIN;
      drawRow(headers, y, headerHeight, 'bold', 8.5, COLORS.headerFill);
      y += headerHeight;
    }
    drawRow(cells, y, height, 'regular', BODY_SIZE, index % 2 === 1 ? COLORS.zebra : null);
    y += height;
  });
  return y;
}
