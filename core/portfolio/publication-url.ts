/** Why a typed link was refused (locales: `portfolio.refused.<reason>`). */
export type UrlProblem = 'url-invalid' | 'url-not-http' | 'url-too-long';

const MAX_URL_LENGTH = 2048;

/**
 * A publication link people can open: http(s) only (no javascript:, file:, data:), a host with a dot,
 * no credentials. Returns the normalised URL or the problem.
 */
export function checkPublicationUrl(text: string): { ok: true; url: string } | { ok: false; reason: UrlProblem } {
  const trimmed = text.trim();
  if (trimmed.length > MAX_URL_LENGTH) return { ok: false, reason: 'url-too-long' };
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return { ok: false, reason: 'url-invalid' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { ok: false, reason: 'url-not-http' };
  if (!url.hostname.includes('.') || url.username || url.password || /\s/.test(trimmed)) return { ok: false, reason: 'url-invalid' };
  return { ok: true, url: url.toString() };
}
