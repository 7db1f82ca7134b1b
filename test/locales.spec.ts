import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { GROUP_LINES } from '../infra/telegram/group-lines';

/**
 * Every sentence lives in locales/, in both languages. These checks catch a key used in code that no
 * locale defines (the person would see "add.refused.foo") and a key one language forgot.
 */
const root = path.resolve(__dirname, '..');
const load = (lang: string) => JSON.parse(readFileSync(path.join(root, 'locales', `${lang}.json`), 'utf8'));

function flatten(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [prefix];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => flatten(v, prefix ? `${prefix}.${k}` : k));
}

/** Plural forms (`_one`, `_few`, …) count as their base key: languages have different sets of them. */
const base = (key: string) => key.replace(/_(zero|one|two|few|many|other)$/, '');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') && !name.endsWith('.spec.ts') ? [full] : [];
  });
}

describe('locales', () => {
  const ru = new Set(flatten(load('ru')).map(base));
  const en = new Set(flatten(load('en')).map(base));

  it('define the same keys in Russian and English', () => {
    expect([...ru].filter((k) => !en.has(k))).toEqual([]);
    expect([...en].filter((k) => !ru.has(k))).toEqual([]);
  });

  it('define every key the code names literally', () => {
    const used = new Set<string>();
    for (const file of [...sourceFiles(path.join(root, 'bot')), ...sourceFiles(path.join(root, 'worker'))]) {
      const text = readFileSync(file, 'utf8');
      for (const match of text.matchAll(/\bt\(\s*'([a-z][\w.-]+)'/g)) used.add(match[1]);
    }
    expect(used.size).toBeGreaterThan(20);
    expect([...used].filter((k) => !ru.has(k))).toEqual([]);
  });

  it('name a sentence for every refusal the linking journey can give', () => {
    const reasons = readFileSync(path.join(root, 'core/linking/onboarding.service.ts'), 'utf8')
      .match(/export type RefusalReason =([^;]+);/)![1]
      .match(/'([a-z-]+)'/g)!
      .map((r) => r.slice(1, -1))
      .filter((r) => r !== 'wrong-step');
    expect(reasons.length).toBeGreaterThan(10);
    expect(reasons.filter((r) => !ru.has(`onboarding.refused.${r}`))).toEqual([]);
  });

  it('name a sentence for every problem an entry can have', () => {
    const problems = [...readFileSync(path.join(root, 'core/credits/entry-check.ts'), 'utf8').matchAll(/code: '([a-z-]+)'/g)].map(
      (m) => m[1],
    );
    expect(problems.length).toBeGreaterThan(5);
    expect([...new Set(problems)].filter((p) => !ru.has(`add.refused.${p}`))).toEqual([]);
  });

  it('define every sentence a queued group line may carry', () => {
    expect(GROUP_LINES.filter((k) => !ru.has(k) || !en.has(k))).toEqual([]);
  });
});
