import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { projectRoot } from '../../infra/paths';

/** Test helper: validates an export against schemas/portfolio.xsd with libxml2 (compiled to WebAssembly, no native build). */
export async function validatePortfolioXml(xml: Buffer | string): Promise<{ valid: boolean; errors: string[] }> {
  const schema = readFileSync(path.join(projectRoot, 'schemas', 'portfolio.xsd'), 'utf8');
  const result = await validateXML({
    xml: { fileName: 'portfolio.xml', contents: typeof xml === 'string' ? xml : xml.toString('utf8') },
    schema: { fileName: 'portfolio.xsd', contents: schema },
  });
  return { valid: result.valid, errors: result.errors.map((e) => e.rawMessage) };
}
