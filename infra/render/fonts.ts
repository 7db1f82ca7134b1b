import { readFileSync } from 'node:fs';
import type * as Fontkit from 'fontkit';

/**
 * The one typeface of rendered files: PT Sans, made by ParaType for Russian, so Cyrillic always has glyphs
 * whatever fonts the machine has. Resolved from its npm package (node_modules ships in the image, unlike
 * other folders), which works from source under jest and from dist/ alike.
 */
export const FONT_FAMILY = 'PT Sans';

export const fontFiles = {
  regular: require.resolve('@expo-google-fonts/pt-sans/400Regular/PTSans_400Regular.ttf'),
  bold: require.resolve('@expo-google-fonts/pt-sans/700Bold/PTSans_700Bold.ttf'),
} as const;

export type FontWeight = keyof typeof fontFiles;

const bytesByWeight = new Map<FontWeight, Buffer>();
const fontByWeight = new Map<FontWeight, Fontkit.Font>();

/** The font file's bytes, read once per process. */
export function fontBytes(weight: FontWeight): Buffer {
  let bytes = bytesByWeight.get(weight);
  if (!bytes) {
    bytes = readFileSync(fontFiles[weight]);
    bytesByWeight.set(weight, bytes);
  }
  return bytes;
}

/** fontkit weighs some 16 MB: loaded when text is first measured (a chart, a PDF), not at start. */
let fontkit: typeof Fontkit | undefined;
function loadFontkit(): typeof Fontkit {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a lazy load, on first use
  return (fontkit ??= require('fontkit') as typeof Fontkit);
}

function fontOf(weight: FontWeight): Fontkit.Font {
  let font = fontByWeight.get(weight);
  if (!font) {
    const opened = loadFontkit().create(fontBytes(weight));
    if ('fonts' in opened) throw new Error(`${fontFiles[weight]} is a font collection, expected one font`);
    font = opened;
    fontByWeight.set(weight, font);
  }
  return font;
}

/** Width in pixels (or points) of a line of text: SVG cannot measure, and legends and ellipses need it. */
export function textWidth(text: string, size: number, weight: FontWeight = 'regular'): number {
  const font = fontOf(weight);
  return (font.layout(text).advanceWidth / font.unitsPerEm) * size;
}
