import { escapeHtml } from '../../core/shared/text';
import type { FailedNotification, RetryOutcome } from '../../core/notifications/failed-notifications';

/** The pages the dashboard adds around Bull Board: plain HTML, no script, posting only to this server. */
export const BOARD_PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE =
  'body{font:15px system-ui,sans-serif;margin:2rem;max-width:60rem}table{border-collapse:collapse}td,th{border-bottom:1px solid #ccc;padding:.3rem .6rem;text-align:left;vertical-align:top}.error{color:#b00020}';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head><body>${body}</body></html>`;
}

/** Sign-in with the admin token, posted in the body (never in the URL). */
export function loginPage(basePath: string, refused: boolean): string {
  return page(
    'Queues: sign in',
    `<h1>Queues</h1>${refused ? '<p class="error">That is not the admin token.</p>' : ''}` +
      `<form method="post" action="${basePath}/login"><label>Admin token (ADMIN_API_TOKEN) <input type="password" name="token" autocomplete="off" required autofocus></label> <button type="submit">Sign in</button></form>` +
      '<p>The session lasts 30 minutes.</p>',
  );
}

/** FAILED notifications, with the button that retries those that did not reach Telegram. */
export function failedNotificationsPage(basePath: string, failed: readonly FailedNotification[], outcome?: RetryOutcome): string {
  const retryable = failed.filter((n) => n.retryable).length;
  const rows = failed
    .map(
      (n) =>
        `<tr><td><code>${escapeHtml(n.id)}</code></td><td>${escapeHtml(n.kind)}</td><td>${escapeHtml(n.dueAt.toISOString())}</td><td>${n.attempts}</td>` +
        `<td>${escapeHtml(n.lastError ?? '')}</td><td>${n.retryable ? 'yes' : escapeHtml(`no: ${n.held ?? ''}`)}</td></tr>`,
    )
    .join('');
  const said = outcome
    ? `<p><strong>Queued again: ${outcome.requeued.length}.</strong> Still FAILED and left alone: ${outcome.held}.</p>`
    : '';
  return page(
    'Queues: failed notifications',
    `<p><a href="${basePath}/">← Queues</a></p><h1>Failed notifications</h1>${said}` +
      `<p>${failed.length === 0 ? 'None.' : `${failed.length} shown (newest first, at most 200); ${retryable} did not reach Telegram and can be retried.`}</p>` +
      (retryable > 0
        ? `<form method="post" action="${basePath}/notifications/retry"><button type="submit">Retry the FAILED notifications that did not reach Telegram</button></form>`
        : '') +
      '<p>Not retried: those perhaps delivered (the send broke off without an answer), and those of people who blocked the bot or were deleted.</p>' +
      (failed.length
        ? `<table><thead><tr><th>id</th><th>kind</th><th>due</th><th>attempts</th><th>last error</th><th>retryable</th></tr></thead><tbody>${rows}</tbody></table>`
        : ''),
  );
}
