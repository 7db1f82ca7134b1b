import type { IsoDate } from '../../core/shared/dates';
import type { Lang } from '../i18n';
import { formatDate, formatDateTime, formatNumber } from './format';
import { A4, drawFooters, openPdf } from './pdf-document';

/** Every word of the plan, already translated by the caller. */
export interface PlanPdfLabels {
  title: string;
  person: string;
  organization: string;
  ruleSet: string;
  period: string;
  /** Heading of the items table. */
  items: string;
  /** Said instead of an empty table. */
  noItems: string;
  /** Mark and legend of items whose dates overlap another's. */
  overlapMark: string;
  overlapLegend: string;
  /** Heading and the sentence of the projection ("If the plan is completed, …"). */
  projectionTitle: string;
  projection: string;
  generatedAt: string;
  columns: { dates: string; title: string; type: string; provider: string; hours: string; deadline: string };
}

export interface PlanPdfItem {
  startsOn: IsoDate;
  endsOn: IsoDate;
  title: string;
  typeName: string;
  provider: string | null;
  hours: number;
  deadline: IsoDate | null;
  overlaps: boolean;
}

export interface PlanPdfInput {
  lang: Lang;
  person: { name: string; organization: string | null };
  ruleSetName: string;
  period: { start: IsoDate; end: IsoDate };
  items: readonly PlanPdfItem[];
  generatedAt: Date;
  timeZone: string;
  labels: PlanPdfLabels;
}

const PAGE = A4;
const MARGIN = 42;
const CONTENT_WIDTH = PAGE.width - 2 * MARGIN;
const CONTENT_BOTTOM = PAGE.height - MARGIN - 22;
const CELL_PADDING = 4;
const COLORS = { text: '#111827', muted: '#6b7280', rule: '#d1d5db', headerFill: '#f3f4f6', warn: '#b45309' } as const;
const SHARES = [0.2, 0.3, 0.16, 0.14, 0.08, 0.12] as const;

/** The study plan as a PDF to share with a manager: who, under which rules, the items, overlaps and the projection. */
export function renderPlanPdf(input: PlanPdfInput): Promise<Buffer> {
  const { labels, lang } = input;
  const { doc, bytes } = openPdf({ lang, title: labels.title, author: input.person.name, generatedAt: input.generatedAt, margin: MARGIN });

  doc.font('bold').fontSize(18).fillColor(COLORS.text).text(labels.title, MARGIN, MARGIN, { width: CONTENT_WIDTH });
  doc.moveDown(0.5);
  const facts: [string, string][] = [
    [labels.person, input.person.name],
    ...(input.person.organization ? [[labels.organization, input.person.organization] as [string, string]] : []),
    [labels.ruleSet, input.ruleSetName],
    [labels.period, `${formatDate(input.period.start, lang)} — ${formatDate(input.period.end, lang)}`],
  ];
  for (const [label, value] of facts) {
    doc.font('regular').fontSize(10).fillColor(COLORS.muted).text(`${label}: `, MARGIN, doc.y, { continued: true, width: CONTENT_WIDTH });
    doc.font('bold').fontSize(11).fillColor(COLORS.text).text(value);
  }

  doc.moveDown(1);
  doc.font('bold').fontSize(13).fillColor(COLORS.text).text(labels.projectionTitle, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.font('regular').fontSize(10.5).text(labels.projection, { width: CONTENT_WIDTH });

  doc.moveDown(1);
  doc.font('bold').fontSize(13).text(labels.items, MARGIN, doc.y, { width: CONTENT_WIDTH });
  doc.moveDown(0.3);
  if (input.items.length === 0) {
    doc.font('regular').fontSize(10).fillColor(COLORS.muted).text(labels.noItems, MARGIN, doc.y);
  } else {
    const c = labels.columns;
    let y = row(doc, doc.y, [c.dates, c.title, c.type, c.provider, c.hours, c.deadline], 'bold', COLORS.headerFill);
    for (const item of input.items) {
      const dates =
        item.startsOn === item.endsOn
          ? formatDate(item.startsOn, lang)
          : `${formatDate(item.startsOn, lang)} — ${formatDate(item.endsOn, lang)}`;
      const cells = [
        item.overlaps ? `${labels.overlapMark} ${dates}` : dates,
        item.title,
        item.typeName,
        item.provider ?? '',
        formatNumber(item.hours, lang),
        item.deadline ? formatDate(item.deadline, lang) : '',
      ];
      if (y + 40 > CONTENT_BOTTOM) {
        doc.addPage();
        y = MARGIN;
      }
      y = row(doc, y, cells, 'regular', null, item.overlaps ? COLORS.warn : COLORS.text);
    }
    if (input.items.some((item) => item.overlaps)) {
      doc
        .font('regular')
        .fontSize(9.5)
        .fillColor(COLORS.warn)
        .text(`${labels.overlapMark} ${labels.overlapLegend}`, MARGIN, y + 6, { width: CONTENT_WIDTH });
    }
  }

  drawFooters(doc, `${labels.generatedAt}: ${formatDateTime(input.generatedAt, lang, input.timeZone)}`, {
    margin: MARGIN,
    y: PAGE.height - MARGIN - 8,
    color: COLORS.muted,
  });
  doc.end();
  return bytes;
}

/** One table row, cells wrapping; returns the y below it. */
function row(
  doc: PDFKit.PDFDocument,
  top: number,
  cells: readonly string[],
  font: 'regular' | 'bold',
  fill: string | null,
  color: string = COLORS.muted,
): number {
  const widths = SHARES.map((share) => share * CONTENT_WIDTH);
  const size = font === 'bold' ? 8.5 : 9;
  doc.font(font).fontSize(size);
  const height =
    Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: widths[i] - 2 * CELL_PADDING }))) + 2 * CELL_PADDING;
  if (fill) doc.rect(MARGIN, top, CONTENT_WIDTH, height).fillColor(fill).fill();
  doc.font(font).fontSize(size).fillColor(color);
  let x = MARGIN;
  cells.forEach((cell, i) => {
    doc.text(cell, x + CELL_PADDING, top + CELL_PADDING, { width: widths[i] - 2 * CELL_PADDING });
    x += widths[i];
  });
  doc
    .moveTo(MARGIN, top + height)
    .lineTo(MARGIN + CONTENT_WIDTH, top + height)
    .lineWidth(0.5)
    .strokeColor(COLORS.rule)
    .stroke();
  return top + height;
}
