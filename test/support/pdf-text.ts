import { execFileSync } from 'node:child_process';
import { projectRoot } from '../../infra/paths';

/**
 * The text of each page of a PDF as pdf.js (Firefox's reader) extracts it, whitespace collapsed: wrapped
 * cells come out line by line, so tests compare words, not layout. pdf.js is ES modules only, which
 * jest's CommonJS runtime cannot load, so it runs in a child Node process.
 */
export function pdfPages(pdf: Buffer): string[] {
  const script = `
    import { readFileSync } from 'node:fs';
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const doc = await getDocument({ data: new Uint8Array(readFileSync(0)), verbosity: 0 }).promise;
    const pages = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      pages.push(content.items.map((item) => item.str + (item.hasEOL ? '\\n' : ' ')).join(''));
    }
    process.stdout.write(JSON.stringify(pages));
  `;
  const output = execFileSync(process.execPath, ['--input-type=module', '-e', script], {
    input: pdf,
    cwd: projectRoot,
    maxBuffer: 64 << 20,
  });
  return (JSON.parse(output.toString('utf8')) as string[]).map((page) => page.replace(/\s+/g, ' '));
}

/** All pages as one text. */
export function pdfText(pdf: Buffer): string {
  return pdfPages(pdf).join('\n').replace(/\s+/g, ' ');
}
