import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * Helpers every feature uses live in core/shared, once (issue #16): a feature that needs a date, a time
 * of day in a zone or an HTML escape takes it from here, never from another feature, and nobody keeps a
 * copy of their own. These checks keep that true as the code grows.
 */
const root = path.resolve(__dirname, '../..');
const SOURCE_DIRS = ['admin', 'bot', 'core', 'infra', 'scripts', 'standin', 'test', 'worker'];
/** The shared helpers whose names must be defined once: dates, local time, text. */
const SHARED_HELPERS = ['core/shared/dates.ts', 'core/shared/local-date.ts', 'core/shared/text.ts'];

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(path.join(root, dir))).map((file) => ({
  file: path.relative(root, file),
  text: fs.readFileSync(file, 'utf8'),
}));

function exportedNames(text: string): string[] {
  return [...text.matchAll(/^export (?:async )?(?:function|const) (\w+)/gm)].map((m) => m[1]);
}

describe('shared helpers', () => {
  const shared = SHARED_HELPERS.flatMap((file) =>
    exportedNames(fs.readFileSync(path.join(root, file), 'utf8')).map((name) => ({ name, file })),
  );

  it('finds the helpers it guards (escapeHtml, addDays, instantAtLocal among them)', () => {
    expect(shared.map((s) => s.name)).toEqual(
      expect.arrayContaining(['escapeHtml', 'addDays', 'isIsoDate', 'localDateOf', 'instantAtLocal']),
    );
  });

  it('defines each of them once, in core/shared', () => {
    const copies = shared.flatMap(({ name, file }) =>
      files
        .filter((f) => f.file !== file && new RegExp(`^(?:export )?(?:async )?(?:function|const|let) ${name}\\b`, 'm').test(f.text))
        .map((f) => `${name} (${file}) is defined again in ${f.file}`),
    );
    expect(copies).toEqual([]);
  });

  it('are imported from core/shared, not passed on by a feature', () => {
    // A feature re-exporting a shared helper would make it look like that feature's own again.
    const reexports = files
      .filter((f) => !f.file.startsWith('core/shared/'))
      .flatMap((f) => [...f.text.matchAll(/^export (\*|\{[^}]*\}) from '([^']+)'/gm)].map((m) => ({ f, names: m[1], from: m[2] })))
      .filter(({ from }) => /shared\/(dates|local-date|text)$/.test(from))
      .map(({ f, names }) => `${f.file} re-exports ${names.trim()}`);
    expect(reexports).toEqual([]);
  });

  it('depend on no feature: core/shared imports only core/shared, Node, libraries and the Prisma client', () => {
    const reachingOut = files
      .filter((f) => f.file.startsWith('core/shared/') && !f.file.endsWith('.spec.ts'))
      .flatMap((f) => [...f.text.matchAll(/from '(\.\.\/[^']+)'/g)].map((m) => ({ file: f.file, spec: m[1] })))
      .filter(({ spec }) => !spec.startsWith('../../generated/'))
      .map(({ file, spec }) => `${file} imports ${spec}`);
    expect(reachingOut).toEqual([]);
  });
});
