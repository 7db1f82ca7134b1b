/**
 * Updates and webhook: setWebhook, deleteWebhook, getWebhookInfo, getUpdates (long polling). The delivery of pending updates itself (by webhook or to a poller) is the server's (server.ts), which both ways share.
 */
import { ApiError, type Update } from '../types';
import { type Params, type Poller, type CallCtx, Described, bad, str, int } from '../state';
import type { BotApiStandin } from '../server';
import type { MethodTable } from './table';

export function updateMethods(s: BotApiStandin): MethodTable {
  return {
    setWebhook: (p) => {
      const url = str(p.url) ?? '';
      if (url === '') {
        const had = !!s.webhook;
        s.webhook = undefined;
        if (p.drop_pending_updates === true) s.dropPending();
        return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
      }
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        bad('bad webhook: invalid webhook URL specified');
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') bad('bad webhook: An HTTPS URL must be provided for webhook');
      const secret = str(p.secret_token);
      if (secret !== undefined && !/^[A-Za-z0-9_-]{1,256}$/.test(secret)) bad('bad webhook: secret token contains unallowed characters');
      const max = int(p.max_connections) ?? 40;
      if (max < 1 || max > 100) bad('bad webhook: max_connections must be between 1 and 100');
      if (Array.isArray(p.allowed_updates)) s.allowedUpdates = (p.allowed_updates as string[]).slice();
      const same = s.webhook?.url === url && s.webhook.secret_token === secret && s.webhook.max_connections === max;
      s.webhook = { url, secret_token: secret, max_connections: max };
      if (p.drop_pending_updates === true) s.dropPending();
      // a new webhook gets the pending updates at once, not after the old one's backoff
      for (const e of s.pending) e.nextAttemptAt = 0;
      if (s.webhookWake) clearTimeout(s.webhookWake.timer);
      s.webhookWake = undefined;
      for (const poller of [...s.pollers]) poller.finish(new ApiError(409, 'Conflict: terminated by setWebhook request'));
      s.kick();
      return new Described(true, same ? 'Webhook is already set' : 'Webhook was set');
    },
    deleteWebhook: (p) => {
      const had = !!s.webhook;
      s.webhook = undefined;
      if (s.webhookWake) clearTimeout(s.webhookWake.timer);
      s.webhookWake = undefined;
      if (p.drop_pending_updates === true) s.dropPending();
      return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
    },
    getWebhookInfo: () => ({
      url: s.webhook?.url ?? '',
      has_custom_certificate: false,
      pending_update_count: s.pending.length,
      ...(s.webhook
        ? {
            max_connections: s.webhook.max_connections,
            ip_address: '127.0.0.1',
            ...(s.webhook.last_error_date
              ? { last_error_date: s.webhook.last_error_date, last_error_message: s.webhook.last_error_message }
              : {}),
          }
        : {}),
      ...(s.allowedUpdates?.length ? { allowed_updates: [...s.allowedUpdates] } : {}),
    }),
    getUpdates: (p, ctx) => getUpdates(s, p, ctx),
  };
}

export function getUpdates(s: BotApiStandin, p: Params, ctx: CallCtx): Update[] | Promise<Update[]> {
  if (s.webhook)
    throw new ApiError(409, "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first");
  for (const other of [...s.pollers]) {
    other.finish(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
  }
  const offset = int(p.offset);
  const limit = Math.min(100, Math.max(1, int(p.limit) ?? 100));
  const timeoutSec = Math.max(0, int(p.timeout) ?? 0);
  if (Array.isArray(p.allowed_updates)) s.allowedUpdates = (p.allowed_updates as string[]).slice();
  if (offset !== undefined && offset !== 0) s.confirm(offset);
  const ready = s.available(limit);
  if (ready.length || timeoutSec === 0 || s.stopped) return s.handOver(ready);
  return new Promise<Update[]>((resolve, reject) => {
    const poller: Poller = {
      limit,
      finish: (r) => {
        if (!s.pollers.delete(poller)) return;
        s.clearLater(timer);
        if (r instanceof ApiError) reject(r);
        else resolve(r);
      },
    };
    const timer = s.later(() => poller.finish([]), Math.min(timeoutSec * 1000, s.opts.maxLongPollMs));
    s.pollers.add(poller);
    ctx.onAbort?.(() => poller.finish([]));
  });
}
