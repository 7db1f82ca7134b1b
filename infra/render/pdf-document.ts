import type PDFKitModule from 'pdfkit';
import type { Lang } from '../i18n';
import { fontBytes } from './fonts';

/** A4 in points. */
export const A4 = { width: 595.28, height: 841.89 } as const;

export interface PdfOptions {
  lang: Lang;
  title: string;
  author: string;
  /** Passed in, never read from the clock: the same input gives the same bytes. */
  generatedAt: Date;
  margin: number;
  /** Room kept below the content for the footer line; default `margin`. */
  bottomMargin?: number;
}

/**
 * An A4 document with PT Sans registered as 'regular' and 'bold' (the standard PDF fonts have no
 * Cyrillic), pages buffered for footers, and its bytes collected once `doc.end()` is called.
 */
/**
 * pdfkit (with fontkit) costs a process some 25 MB: it is loaded by the first PDF made, not by every
 * process that could make one (the bot answers thousands of updates for each PDF it sends).
 */
let pdfKit: typeof PDFKitModule | undefined;
function loadPdfKit(): typeof PDFKitModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, on first use
  return (pdfKit ??= require('pdfkit') as typeof PDFKitModule);
}

export function openPdf(options: PdfOptions): { doc: PDFKit.PDFDocument; bytes: Promise<Buffer> } {
  const { margin } = options;
  const PDFDocument = loadPdfKit();
  const doc = new PDFDocument({
    size: 'A4',
    margins: { top: margin, bottom: options.bottomMargin ?? margin, left: margin, right: margin },
    bufferPages: true,
    lang: options.lang === 'ru' ? 'ru-RU' : 'en-GB',
    displayTitle: true,
    info: { Title: options.title, Author: options.author, CreationDate: options.generatedAt, ModDate: options.generatedAt },
  });
  const bytes = new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  doc.registerFont('regular', fontBytes('regular'));
  doc.registerFont('bold', fontBytes('bold'));
  return { doc, bytes };
}

export interface FooterOptions {
  margin: number;
  /** Baseline of the footer text on every page. */
  y: number;
  color: string;
  /** A thin line above the footer, in this colour; none when absent. */
  ruleColor?: string;
}

/** When it was made on the left and "n / N" on the right, on every buffered page. */
export function drawFooters(doc: PDFKit.PDFDocument, generated: string, options: FooterOptions): void {
  const { margin, y } = options;
  const contentWidth = A4.width - 2 * margin;
  const { start, count } = doc.bufferedPageRange();
  for (let i = start; i < start + count; i++) {
    doc.switchToPage(i);
    // Writing below the bottom margin would otherwise make PDFKit start a new page.
    const bottomMargin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    if (options.ruleColor) {
      doc
        .moveTo(margin, y - 6)
        .lineTo(A4.width - margin, y - 6)
        .lineWidth(0.5)
        .strokeColor(options.ruleColor)
        .stroke();
    }
    doc.font('regular').fontSize(8.5).fillColor(options.color);
    doc.text(generated, margin, y, { width: contentWidth - 60, lineBreak: false });
    doc.text(`${i - start + 1} / ${count}`, A4.width - margin - 60, y, { width: 60, align: 'right', lineBreak: false });
    doc.page.margins.bottom = bottomMargin;
  }
}
