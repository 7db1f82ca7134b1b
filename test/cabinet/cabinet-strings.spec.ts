import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { FALLBACK } from '../../cabinet/src/i18n/fallback';

/**
 * The cabinet's sentences live in locales/*.json under `cabinet` (the server sends them with the session),
 * in both languages. A key the page names that no locale defines would show the key itself to a nurse.
 */
const root = path.resolve(__dirname, '../..');
const cabinetOf = (lang: string) => JSON.parse(readFileSync(path.join(root, 'locales', `${lang}.json`), 'utf8')).cabinet as object;

function flatten(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? sources(full) : /\.tsx?$/.test(name) ? [full] : [];
  });
}

describe("the cabinet's sentences", () => {
  const ru = new Set(flatten(cabinetOf('ru')).map(base));
  const en = new Set(flatten(cabinetOf('en')).map(base));

  it('are defined in Russian and English alike', () => {
    expect([...ru].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !ru.has(k))).toEqual([]);
    expect(Object.keys(FALLBACK.en).sort()).toEqual(Object.keys(FALLBACK.ru).sort());
  });

  it('cover every key the page names', () => {
    const used = new Set<string>();
    for (const file of sources(path.join(root, 'cabinet/src'))) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([a-z][\w.-]*)'/g)) used.add(match[1]);
      // t(condition ? 'a.b' : 'c.d', …)
      for (const match of text.matchAll(/\bt\([^,()]*\?\s*'([a-z][\w.-]*)'\s*:\s*'([a-z][\w.-]*)'/g)) used.add(match[1]).add(match[2]);
    }
    for (const tab of ['cycle', 'entries', 'cases', 'plan', 'portfolio', 'admin']) used.add(`tabs.${tab}`);
    for (const part of ['compliance', 'events', 'announcements']) used.add(`admin.parts.${part}`);
    for (const status of ['behind', 'not-met', 'met', 'open-cases']) used.add(`admin.compliance.statuses.${status}`);
    expect(used.size).toBeGreaterThan(80);
    expect([...used].filter((k) => !ru.has(k))).toEqual([]);
  });
});
