import { execFileSync } from 'node:child_process';
import path from 'node:path';

/**
 * PDF, workbook, font and image libraries cost the processes some 60 MB at start (issue #14): they must
 * load when a file is first made, never with the bot's or the worker's module. Checked in a fresh
 * process, the way `node dist/bot/main.js` loads it, from the sources.
 */
const HEAVY = ['pdfkit', 'fontkit', 'exceljs', 'jszip', 'yauzl', '@resvg/resvg-js'];
const root = path.resolve(__dirname, '..');

function loadedPackages(moduleFile: string): string[] {
  const script = `
    require('reflect-metadata');
    require(${JSON.stringify(path.join(root, moduleFile))});
    const names = Object.keys(require.cache)
      .map((file) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)/.exec(file)?.[1])
      .filter(Boolean);
    process.stdout.write(JSON.stringify([...new Set(names)]));`;
  const out = execFileSync(process.execPath, ['-r', path.join(root, 'scripts/swc-register.js'), '-e', script], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, NODE_ENV: 'test' },
  });
  return JSON.parse(out) as string[];
}

describe('heavy libraries load on first use', () => {
  it.each(['bot/bot.module.ts', 'worker/worker.module.ts'])(
    '%s loads none of them',
    (moduleFile) => {
      const loaded = loadedPackages(moduleFile);
      expect(loaded).toContain('grammy'); // the check sees packages at all
      expect(loaded.filter((name) => HEAVY.includes(name))).toEqual([]);
    },
    120_000,
  );
});
