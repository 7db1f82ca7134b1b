/**
 * What a log line may carry. Logs are read by engineers, shipped to collectors and kept for months:
 * no configuration value, no bot context, no personal data may reach them, whatever a caller passes.
 * Three nets, each enough on its own for what it covers:
 * - errors are reduced to their name, message, stack and a few codes (a grammY error's `payload` holds
 *   the message text; a BotError's `ctx` holds the whole bot with its services and configuration);
 * - keys that name personal or secret values are replaced at any depth, and objects that are a bot
 *   context or the configuration are replaced whole;
 * - every secret value of the configuration is cut out of every string, messages included.
 */

const REDACTED = '[redacted]';
const SECRET = '[secret]';
const MAX_DEPTH = 6;
const MAX_ARRAY = 50;

/** Keys whose values are personal data or credentials, compared in lower case without `_`. */
const SENSITIVE_KEYS = new Set(
  [
    'phone',
    'phone_number',
    'snils',
    'inn',
    'fullName',
    'full_name',
    'first_name',
    'last_name',
    'username',
    'contact',
    'text',
    'caption',
    'payload',
    'token',
    'password',
    'secret',
    'authorization',
    'cookie',
    'initData',
  ].map(normalizeKey),
);

function normalizeKey(key: string): string {
  return key.toLowerCase().replace(/_/g, '');
}

/** Configuration keys whose values are secrets (a URL may carry a password). */
const SECRET_CONFIG_KEY = /TOKEN|SECRET|KEY|PASSWORD|_URL$/;

/** The strings to cut out of log lines: every secret configuration value, and the password inside URLs. */
export function secretsOf(config: object): string[] {
  const found = new Set<string>();
  for (const [key, value] of Object.entries(config)) {
    if (typeof value !== 'string' || !SECRET_CONFIG_KEY.test(key) || value.length < 6) continue;
    if (key === 'TELEGRAM_API_ROOT') continue;
    found.add(value);
    const colon = value.indexOf(':');
    // A bot token's secret half alone (after the bot id) is as secret as the whole.
    if (key === 'TELEGRAM_BOT_TOKEN' && colon > 0) found.add(value.slice(colon + 1));
    try {
      const url = new URL(value);
      if (url.password) found.add(decodeURIComponent(url.password));
    } catch {
      // not a URL
    }
  }
  return [...found].filter((s) => s.length >= 6).sort((a, b) => b.length - a.length);
}

export class LogScrubber {
  constructor(private readonly secrets: readonly string[]) {}

  string(text: string): string {
    let out = text;
    for (const secret of this.secrets) if (out.includes(secret)) out = out.split(secret).join(SECRET);
    return out;
  }

  /** A copy of `value` safe to log. */
  value(value: unknown, depth = 0, seen = new WeakSet<object>()): unknown {
    if (typeof value === 'string') return this.string(value);
    if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? value.toString() : value;
    if (value instanceof Error) return this.error(value, depth);
    if (value instanceof Date) return value;
    if (seen.has(value)) return '[circular]';
    if (depth >= MAX_DEPTH) return '[deep]';
    if (isBotContext(value)) return '[bot context]';
    if (isConfiguration(value)) return '[configuration]';
    seen.add(value);
    if (Array.isArray(value)) return value.slice(0, MAX_ARRAY).map((item) => this.value(item, depth + 1, seen));
    if (ArrayBuffer.isView(value)) return `[${value.byteLength} bytes]`;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = SENSITIVE_KEYS.has(normalizeKey(key)) ? REDACTED : this.value(item, depth + 1, seen);
    }
    return out;
  }

  /** An error as a log line may show it: what went wrong and where, never what it carried. */
  error(error: unknown, depth = 0): Record<string, unknown> {
    if (!(error instanceof Error)) return { type: typeof error, message: this.string(describeThrown(error)) };
    const out: Record<string, unknown> = { type: error.name, message: this.string(error.message) };
    if (error.stack) out.stack = this.string(error.stack);
    const fields = error as unknown as Record<string, unknown>;
    for (const key of ['code', 'error_code', 'description', 'method', 'status', 'statusCode', 'errno', 'syscall']) {
      const v = fields[key];
      if (typeof v === 'string' || typeof v === 'number') out[key] = typeof v === 'string' ? this.string(v) : v;
    }
    if (depth < 3) {
      // grammY wraps the handler's error in BotError.error and a network failure in HttpError.error.
      const inner = fields.error instanceof Error ? fields.error : error.cause;
      if (inner !== undefined && inner !== error) out.cause = this.error(inner, depth + 1);
      if (error instanceof AggregateError) out.errors = error.errors.slice(0, 5).map((e: unknown) => this.error(e, depth + 1));
    }
    return out;
  }
}

function describeThrown(thrown: unknown): string {
  if (typeof thrown === 'string') return thrown;
  if (thrown && typeof thrown === 'object') return `[${thrown.constructor?.name ?? 'object'}]`;
  return String(thrown);
}

/** grammY's Context: it holds the update (personal data), the API (the token) and our services. */
function isBotContext(value: object): boolean {
  return 'update' in value && 'api' in value && 'me' in value;
}

function isConfiguration(value: object): boolean {
  return 'TELEGRAM_BOT_TOKEN' in value || 'DATABASE_URL' in value || 'DATA_ENCRYPTION_KEY' in value;
}
