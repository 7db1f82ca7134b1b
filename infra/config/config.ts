import { z } from 'zod';
import { parseSupportHours } from '../../core/support/working-hours';

/**
 * The whole configuration, parsed once at start. An invalid environment stops the process with one
 * line naming the variable (see `ConfigError`), never with a stack trace half way through boot.
 */
const booleanish = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z
  .object({
    TELEGRAM_BOT_TOKEN: z
      .string()
      .regex(/^\d+:[A-Za-z0-9_-]{1,}$/, 'must look like 123456:ABC-DEF… (the token from @BotFather)')
      .optional(),
    TELEGRAM_API_ROOT: z.url({ message: 'must be a URL such as https://api.telegram.org' }).default('https://api.telegram.org'),
    BOT_MODE: z.enum(['polling', 'webhook']).default('polling'),
    WEBHOOK_URL: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).optional(),
    WEBHOOK_SECRET: z
      .string()
      .regex(/^[A-Za-z0-9_-]{16,256}$/, 'must be 16–256 characters of A-Z, a-z, 0-9, _ and -')
      .optional(),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgresql:// connection string')
      .optional(),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// connection string')
      .optional(),
    SUPPORT_CHAT_ID: z
      .string()
      .regex(/^-100\d{5,}$/, 'must be the numeric id of a supergroup, e.g. -1001234567890')
      .transform((v) => BigInt(v))
      .optional(),
    /** Telegram user ids allowed to act in the support group besides its administrators, comma-separated. */
    SUPPORT_AGENT_IDS: z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, 'must be numeric Telegram user ids separated by commas')
      .transform((v) => v.split(',').map((id) => Number(id.trim())))
      .default([]),
    /** When agents answer, Moscow time, on working days of the production calendar. */
    SUPPORT_HOURS: z
      .string()
      .refine((v) => parseSupportHours(v) !== null, 'must look like 09:00-18:00 (the end after the start)')
      .default('09:00-18:00'),
    /** The name agents' answers are signed with; by default the person's language's "support.agent-name". */
    SUPPORT_AGENT_NAME: z.string().min(1).max(64).optional(),
    ADMIN_API_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
    /** Bearer token Prometheus sends to scrape /metrics; without it /metrics is not served. */
    METRICS_TOKEN: z.string().min(24, 'must be at least 24 characters').optional(),
    DATA_DIR: z.string().min(1).default('.data'),
    /** Where registry files (application-statuses*.csv|xlsx, credits-<ORG>*.csv|xlsx) are dropped; default DATA_DIR/registry. */
    REGISTRY_DIR: z.string().min(1).optional(),
    TZ: z.string().default('Europe/Moscow').refine(isTimeZone, 'must be an IANA time zone such as Europe/Moscow'),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    HTTP_PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    HTTP_HOST: z.string().default('0.0.0.0'),
    DATA_ENCRYPTION_KEY: z
      .string()
      .refine((v) => Buffer.from(v, 'base64').length === 32, 'must be 32 bytes in base64 (openssl rand -base64 32)')
      .optional(),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,40}$/, 'must be 1–40 characters of letters, digits, _ . -')
      .default('nmo'),
    /** Messages per second Telegram allows the bot over all chats (about 30; more with paid broadcasts). */
    TELEGRAM_RATE_LIMIT: z.coerce.number().int().min(1).max(100_000).default(30),
    /** The worker's own global rate; default OUTBOUND_SHARE_OF_LIMIT of TELEGRAM_RATE_LIMIT (see below). */
    OUTBOUND_RATE_PER_SECOND: z.coerce.number().int().min(1).max(1000).optional(),
    /** Outbound jobs one worker process handles at once (sends wait on the network, not the CPU). */
    OUTBOUND_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
    /** The worker lowers its own CPU priority by this much (0–19) at start, so that a bot sharing its host answers first. */
    WORKER_NICE: z.coerce.number().int().min(0).max(19).default(10),
    /** Port of the worker's `GET /metrics` (Prometheus, METRICS_TOKEN required), on HTTP_HOST; unset: the worker listens on nothing. */
    WORKER_METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
    /** People per job of the nightly sweep: a job reads their entries and writes their snapshots in one statement each. */
    SWEEP_BATCH_SIZE: z.coerce.number().int().min(1).max(10_000).default(1000),
    /** Sweep batches one worker process runs at once: one computes while another waits on PostgreSQL. */
    SWEEP_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
    /** How often the reconciler re-dispatches due notifications a lost queue forgot (and re-creates its own schedule). */
    NOTIFICATIONS_RECONCILE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
    /** On SIGTERM the bot finishes the updates in hand for at most this long, then hands the rest back to the update log. */
    BOT_STOP_GRACE_MS: z.coerce.number().int().min(0).max(120_000).default(8000),
    /** Updates one bot process holds in memory at once (read from the update log, not finished); the rest wait in Redis. */
    BOT_MAX_UPDATES_IN_FLIGHT: z.coerce.number().int().min(1).max(10_000).default(512),
    /** setWebhook's max_connections: how many webhook requests Telegram makes at once (1–100). */
    WEBHOOK_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(100).default(40),
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    SEND_STARTUP_COMMANDS: booleanish.default(true),
    /** Documents larger than this are refused (Telegram's cloud getFile serves up to 20 MB). */
    DOCUMENT_MAX_BYTES: z.coerce
      .number()
      .int()
      .min(1)
      .default(20 * 1024 * 1024),
    /** With S3_BUCKET set, documents go to an S3-compatible bucket instead of DATA_DIR/documents. */
    S3_BUCKET: z.string().min(1).optional(),
    S3_ENDPOINT: z.url({ message: 'must be a URL such as https://storage.yandexcloud.net' }).optional(),
    S3_REGION: z.string().min(1).default('us-east-1'),
    S3_ACCESS_KEY_ID: z.string().min(1).optional(),
    S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
    S3_PREFIX: z.string().optional(),
    /**
     * Public URL of the personal cabinet (the Telegram Mini App served by this process under /cabinet/).
     * When set, the menu button and «Открыть кабинет» under /credits open it. Telegram opens only https;
     * plain http is accepted for localhost, where the demo runs it.
     */
    CABINET_URL: z
      .url({ protocol: /^https?$/, message: 'must be an https:// URL such as https://bot.example.org/cabinet/' })
      .refine(isCabinetUrl, 'must be an https:// URL (http only for localhost), such as https://bot.example.org/cabinet/')
      .optional(),
    /** How long (seconds) Telegram's signed launch data (initData) is accepted after Telegram issued it. */
    CABINET_INIT_DATA_MAX_AGE: z.coerce
      .number()
      .int()
      .min(60)
      .max(7 * 24 * 3600)
      .default(24 * 3600),
  })
  .superRefine((env, ctx) => {
    if (env.BOT_MODE === 'webhook') {
      if (!env.WEBHOOK_URL) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_URL'], message: 'is required when BOT_MODE=webhook' });
      if (!env.WEBHOOK_SECRET) ctx.addIssue({ code: 'custom', path: ['WEBHOOK_SECRET'], message: 'is required when BOT_MODE=webhook' });
    }
    if (env.S3_BUCKET) {
      for (const key of ['S3_ENDPOINT', 'S3_ACCESS_KEY_ID', 'S3_SECRET_ACCESS_KEY'] as const) {
        if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: 'is required when S3_BUCKET is set' });
      }
    }
    if (env.WORKER_METRICS_PORT !== undefined && !env.METRICS_TOKEN) {
      ctx.addIssue({ code: 'custom', path: ['METRICS_TOKEN'], message: 'is required when WORKER_METRICS_PORT is set' });
    }
    if (env.NODE_ENV === 'production' && !env.DATA_ENCRYPTION_KEY) {
      ctx.addIssue({ code: 'custom', path: ['DATA_ENCRYPTION_KEY'], message: 'is required in production' });
    }
  })
  .transform((env) => ({ ...env, OUTBOUND_RATE_PER_SECOND: env.OUTBOUND_RATE_PER_SECOND ?? outboundRateFor(env.TELEGRAM_RATE_LIMIT) }));

/**
 * The bot's interactive replies and the worker's fan-out count against the same global limit at
 * Telegram, and the bot does not book slots: so by default the worker takes 5/6 of the limit (25 of 30)
 * and leaves the rest to people who are talking to the bot, who then never meet a 429 behind a fan-out.
 */
export const OUTBOUND_SHARE_OF_LIMIT = 5 / 6;

export function outboundRateFor(telegramRateLimit: number): number {
  return Math.max(1, Math.floor(telegramRateLimit * OUTBOUND_SHARE_OF_LIMIT));
}

export type Config = z.infer<typeof schema>;

export class ConfigError extends Error {
  constructor(
    readonly variable: string,
    readonly problem: string,
  ) {
    super(`Invalid configuration: ${variable} ${problem}`);
    this.name = 'ConfigError';
  }
}

function isCabinetUrl(url: string): boolean {
  // zod runs the refinement after a failed URL check too: a string that is no URL is simply not this.
  if (!URL.canParse(url)) return false;
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || ['localhost', '127.0.0.1', '[::1]'].includes(hostname);
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** Parses the environment; empty strings count as unset, so `FOO=` in a compose file means "default". */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = schema.safeParse(present);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const variable = String(issue.path[0] ?? 'environment');
  const got = present[variable];
  const shown = got === undefined ? '' : ` (got '${/TOKEN|KEY|SECRET|PASSWORD|_URL$/.test(variable) ? '…' : got}')`;
  throw new ConfigError(variable, `${describe(issue)}${shown}`);
}

function describe(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_value' && 'values' in issue) return `must be one of ${issue.values.join(', ')}`;
  return issue.message;
}

/** Values a process cannot run without: checked where they are needed, with the same one-line error. */
export function required<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key];
  if (value === undefined || value === null) throw new ConfigError(String(key), 'is required');
  return value as NonNullable<Config[K]>;
}
