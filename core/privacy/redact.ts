/** What replaces a personal value in journals and payloads kept after an erasure. */
export const REDACTED = '[redacted]';

/**
 * Replaces every string that contains one of `secrets` (case-insensitive) by REDACTED, deep inside
 * JSON: the journal keeps who did what and when, but no longer whom it was about.
 */
export function redactJson(value: unknown, secrets: readonly string[]): unknown {
  const needles = secrets.filter((s) => s.length >= 3).map((s) => s.toLowerCase());
  const walk = (v: unknown): unknown => {
    if (typeof v === 'string') return needles.some((n) => v.toLowerCase().includes(n)) ? REDACTED : v;
    if (typeof v === 'number' || typeof v === 'bigint') return needles.includes(String(v)) ? REDACTED : v;
    if (Array.isArray(v)) return v.map(walk);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
    return v;
  };
  return walk(value);
}
