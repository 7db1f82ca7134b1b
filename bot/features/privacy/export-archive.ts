import type JSZipType from 'jszip';
import type { PersonalDataExport } from '../../../core/privacy/export.service';

/** The export as one ZIP: `my-data.json` and the person's document files under `documents/`. */
export async function exportArchive(bundle: PersonalDataExport): Promise<Buffer> {
  // jszip loads with the first export, not with the bot.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, on first use
  const JSZip = require('jszip') as typeof JSZipType;
  const zip = new JSZip();
  zip.file('my-data.json', JSON.stringify({ exportedAt: bundle.exportedAt.toISOString(), ...bundle.data }, null, 2));
  for (const file of bundle.files) zip.file(file.path, file.bytes);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}
