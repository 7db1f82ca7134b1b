import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureCabinetBuilt } from '../support/cabinet-build';

/**
 * The cabinet opens on a phone over mobile data: the JavaScript of its first screen (the entry chunk and
 * everything index.html preloads with it; lazily loaded parts such as the admin screens excluded) must
 * stay under 250 KB gzipped. Measured from the built files, as a browser downloads them.
 */
const BUDGET_BYTES = 250 * 1024;

const dist = ensureCabinetBuilt();
const html = readFileSync(path.join(dist, 'index.html'), 'utf8');
const firstScreen = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="\/cabinet\/([^"]+\.js)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="\/cabinet\/([^"]+\.js)"/g),
].map((m) => m[1]);
const gzipped = firstScreen.map((file) => ({ file, bytes: gzipSync(readFileSync(path.join(dist, file)), { level: 9 }).length }));
const total = gzipped.reduce((sum, f) => sum + f.bytes, 0);

describe("the cabinet's first screen", () => {
  it(`loads at most 250 KB of JavaScript gzipped (now ${(total / 1024).toFixed(1)} KB in ${firstScreen.length} file(s))`, () => {
    expect(firstScreen.length).toBeGreaterThan(0);
    expect(total).toBeLessThan(BUDGET_BYTES);
  });

  it('leaves the education department’s screens out of it (loaded when an admin opens them)', () => {
    expect(firstScreen.some((file) => /AdminScreen/.test(file))).toBe(false);
    expect(readFileSync(path.join(dist, firstScreen[0]), 'utf8')).toMatch(/AdminScreen-[\w-]+\.js/);
  });
});
