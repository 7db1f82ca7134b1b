import type { AccessLevelCode } from '../../core/portfolio/completeness';
import type { PortfolioItemView, PortfolioView } from '../../core/portfolio/portfolio.service';
import type { Lang } from '../i18n';
import { formatDate, formatDateTime, formatNumber } from './format';
import { A4, drawFooters, openPdf } from './pdf-document';

/** Every word of the document, already translated by the caller. */
export interface PortfolioPdfLabels {
  title: string;
  person: string;
  category: string;
  specialty: string;
  organization: string;
  period: string;
  goal: string;
  /** Heading of the completeness summary. */
  summary: string;
  activityReport: string;
  education: string;
  /** Said instead of an empty part. */
  noItems: string;
  hours: string;
  date: string;
  link: string;
  documents: string;
  access: string;
  accessLevels: Record<AccessLevelCode, string>;
  generatedAt: string;
}

export interface PortfolioPdfInput {
  lang: Lang;
  view: Pick<PortfolioView, 'portfolio' | 'owner' | 'ruleSet' | 'items'>;
  /** The category in words (e.g. «Медицинская сестра»), or null when unknown. */
  categoryName: string | null;
  /** The completeness summary and the submission window, one translated sentence each. */
  summaryLines: readonly string[];
  generatedAt: Date;
  /** The person's zone, in which generatedAt is shown. */
  timeZone: string;
  labels: PortfolioPdfLabels;
}

const MARGIN = 48;
const CONTENT_WIDTH = A4.width - 2 * MARGIN;
const COLORS = { text: '#111827', muted: '#6b7280', rule: '#d1d5db', accent: '#2563eb' } as const;

/** The accreditation portfolio as a PDF: who, for which cycle and goal, what is missing, then both parts item by item. */
export function renderPortfolioPdf(input: PortfolioPdfInput): Promise<Buffer> {
  const { labels, lang, view } = input;
  const { doc, bytes } = openPdf({
    lang,
    title: `${labels.title}: ${view.portfolio.name}`,
    author: view.owner.name,
    generatedAt: input.generatedAt,
    margin: MARGIN,
    bottomMargin: MARGIN + 16,
  });

  doc.font('bold').fontSize(18).fillColor(COLORS.text).text(labels.title, { width: CONTENT_WIDTH });
  doc.font('regular').fontSize(13).text(view.portfolio.name, { width: CONTENT_WIDTH }).moveDown(0.6);
  const facts: Array<[string, string | null]> = [
    [labels.person, view.owner.name],
    [labels.category, input.categoryName],
    [labels.specialty, view.owner.specialty],
    [labels.organization, view.owner.organization],
    [labels.period, `${formatDate(isoDate(view.portfolio.periodStart), lang)} — ${formatDate(isoDate(view.portfolio.periodEnd), lang)}`],
    [labels.goal, view.portfolio.goal],
  ];
  for (const [label, value] of facts) if (value) fact(doc, label, value);

  heading(doc, labels.summary);
  for (const line of input.summaryLines)
    doc.font('regular').fontSize(10.5).fillColor(COLORS.text).text(`•  ${line}`, { width: CONTENT_WIDTH });

  const part = (title: string, items: PortfolioItemView[]) => {
    heading(doc, title);
    if (items.length === 0) doc.font('regular').fontSize(10.5).fillColor(COLORS.muted).text(labels.noItems);
    items.forEach((v, i) => item(doc, input, v, i + 1));
  };
  part(
    labels.activityReport,
    view.items.filter((v) => v.item.section === 'ACTIVITY_REPORT'),
  );
  part(
    labels.education,
    view.items.filter((v) => v.item.section === 'EDUCATION'),
  );

  drawFooters(doc, `${labels.generatedAt}: ${formatDateTime(input.generatedAt, lang, input.timeZone)}`, {
    margin: MARGIN,
    y: A4.height - MARGIN,
    color: COLORS.muted,
  });
  doc.end();
  return bytes;
}

function fact(doc: PDFKit.PDFDocument, label: string, value: string): void {
  doc.font('regular').fontSize(10).fillColor(COLORS.muted).text(`${label}: `, { continued: true });
  doc.font('bold').fontSize(10.5).fillColor(COLORS.text).text(value, { width: CONTENT_WIDTH });
}

function heading(doc: PDFKit.PDFDocument, title: string): void {
  doc.moveDown(0.8);
  doc.font('bold').fontSize(13.5).fillColor(COLORS.accent).text(title, MARGIN, doc.y, { width: CONTENT_WIDTH });
  const y = doc.y + 2;
  doc
    .moveTo(MARGIN, y)
    .lineTo(MARGIN + CONTENT_WIDTH, y)
    .lineWidth(0.5)
    .strokeColor(COLORS.rule)
    .stroke();
  doc.moveDown(0.4);
}

function item(doc: PDFKit.PDFDocument, input: PortfolioPdfInput, v: PortfolioItemView, n: number): void {
  const { labels, lang, view } = input;
  const type = view.ruleSet.creditTypes.find((t) => t.code === v.typeCode);
  doc.moveDown(0.3);
  doc.font('bold').fontSize(11).fillColor(COLORS.text).text(`${n}. ${v.item.title}`, MARGIN, doc.y, { width: CONTENT_WIDTH });
  const details = [
    type ? type.name[lang] : null,
    v.item.hours !== null ? `${labels.hours}: ${formatNumber(v.item.hours, lang)}` : null,
    v.date ? `${labels.date}: ${formatDate(v.date, lang)}` : null,
    `${labels.access}: ${labels.accessLevels[v.item.accessLevel]}`,
  ].filter((d): d is string => d !== null);
  doc.font('regular').fontSize(9.5).fillColor(COLORS.muted).text(details.join(' · '), { width: CONTENT_WIDTH });
  if (v.item.description && v.item.description !== v.item.title)
    doc.font('regular').fontSize(10).fillColor(COLORS.text).text(v.item.description, { width: CONTENT_WIDTH });
  if (v.item.url)
    doc
      .font('regular')
      .fontSize(10)
      .fillColor(COLORS.accent)
      .text(`${labels.link}: ${v.item.url}`, { width: CONTENT_WIDTH, link: v.item.url });
  if (v.documents.length > 0) {
    const names = v.documents.map((d) => `${d.originalName ?? d.mediaType} (SHA-256 ${d.sha256.slice(0, 12)}…)`);
    doc
      .font('regular')
      .fontSize(9.5)
      .fillColor(COLORS.muted)
      .text(`${labels.documents}: ${names.join('; ')}`, { width: CONTENT_WIDTH });
  }
}

function isoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}
