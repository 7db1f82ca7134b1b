/**
 * BotApiStandin: a Telegram Bot API server for tests and local demos. It speaks the Bot API wire format
 * over real HTTP (node:http), so a grammY bot configured with `client: { apiRoot }` talks to it exactly as
 * to api.telegram.org. It keeps chats, messages, files, commands and webhook state in memory, delivers
 * updates of simulated users by webhook or getUpdates, records every call, and injects faults
 * (failNext, blocked users, rate limits) for failure tests and benchmarks.
 */
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import type { MessageEntity } from 'grammy/types';
import { parseBody, type UploadedPart } from './body';
import { FileStore, guessMime, imageSize, type FileKind } from './files';
import { parseHtml } from './html';
import type { Hub } from './hub';
import { isInline, isReplyKeyboard, isWebAppUrl, validateMarkup, type AnyMarkup } from './markup';
import { SimulatedGroup, SimulatedUser } from './simulated-user';
import {
  ApiError,
  type ApiErrorBody,
  type CallRecord,
  type CallbackAnswer,
  type DeliveryResult,
  type FaultSpec,
  type GroupSpec,
  type Message,
  type RateLimitConfig,
  type ShownMessage,
  type StandinEvent,
  type StandinOptions,
  type StandinStats,
  type StoredFile,
  type Update,
  type User,
  type UserSpec,
} from './types';

/* eslint-disable @typescript-eslint/no-explicit-any */
type AnyObj = Record<string, any>;
type Params = Record<string, unknown>;

interface StoredMessage {
  /** The Message as Telegram returns it (reply_markup: inline keyboards only). */
  message: AnyObj;
  /** The markup the bot sent with it, reply keyboards included. */
  markup?: AnyMarkup;
  fromBot: boolean;
  service: boolean;
  seq: number;
  threadId?: number;
}

interface TopicState {
  message_thread_id: number;
  name: string;
  icon_color: number;
  icon_custom_emoji_id?: string;
  is_closed: boolean;
  deleted: boolean;
}

interface ChatState {
  chat: AnyObj;
  nextMessageId: number;
  messages: Map<number, StoredMessage>;
  replyKeyboard?: AnyMarkup;
  started: boolean;
  blockedByUser: boolean;
  topics: Map<number, TopicState>;
  admins: Map<number, { user: User; status: 'creator' | 'administrator' }>;
  members: Map<number, User>;
  botIsAdmin: boolean;
  menuButton?: unknown;
}

interface PendingUpdate {
  update: Update;
  raw: boolean;
  chatKey: string;
  handedOver: boolean;
  inflight: boolean;
  attempts: number;
  nextAttemptAt: number;
  settle: (r: DeliveryResult | Error) => void;
  delivered: Promise<DeliveryResult>;
}

interface Poller {
  limit: number;
  finish: (r: Update[] | ApiError) => void;
}

interface CallCtx {
  files: Map<string, UploadedPart>;
  recordParams: Params;
  /** Registers what to do when the HTTP client goes away before the answer. */
  onAbort?: (fn: () => void) => void;
}

interface WebhookState {
  url: string;
  secret_token?: string;
  max_connections: number;
  last_error_date?: number;
  last_error_message?: string;
}

/** A result that comes with a description in the OK body, as setWebhook's "Webhook was set". */
class Described {
  constructor(
    readonly result: unknown,
    readonly description: string,
  ) {}
}

const SEND_METHODS = new Set(['sendMessage', 'sendPhoto', 'sendDocument', 'sendVoice', 'copyMessage', 'forwardMessage']);

/** Calls refused with 403 when the user blocked the bot. */
const BLOCKABLE_METHODS = new Set([...SEND_METHODS, 'sendChatAction', 'editMessageText', 'editMessageReplyMarkup', 'editMessageCaption']);

const CHAT_ACTIONS = new Set([
  'typing',
  'upload_photo',
  'record_video',
  'upload_video',
  'record_voice',
  'upload_voice',
  'upload_document',
  'choose_sticker',
  'find_location',
  'record_video_note',
  'upload_video_note',
]);

const TOPIC_COLORS = new Set([7322096, 16766590, 13338331, 9367192, 16749490, 16478047]);

const DEFAULT_EXCLUDED_UPDATES = new Set(['chat_member', 'message_reaction', 'message_reaction_count']);

const SERVICE_KEYS = ['forum_topic_created', 'forum_topic_edited', 'forum_topic_closed', 'forum_topic_reopened'];

const FILE_KEYS = ['document', 'photo', 'voice', 'audio', 'video', 'animation', 'sticker', 'video_note'] as const;

const MAX_BODY_BYTES = 60 * 1024 * 1024;

function bad(description: string): never {
  throw new ApiError(400, `Bad Request: ${description}`);
}

function clone<T>(v: T): T {
  return v === undefined ? v : structuredClone(v);
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined;
}

function int(v: unknown): number | undefined {
  if (typeof v === 'number' && Number.isInteger(v)) return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return undefined;
}

function stableKey(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(stableKey).join(',')}]`;
  return `{${Object.keys(v as AnyObj)
    .sort()
    .filter((k) => (v as AnyObj)[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${stableKey((v as AnyObj)[k])}`)
    .join(',')}}`;
}

/** Index of the first time > t in an ascending list (binary search). */
function firstAfter(times: number[], t: number): number {
  let lo = 0;
  let hi = times.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (times[mid] > t) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function updateType(update: Update): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'unknown';
}

function chatKeyOf(update: AnyObj): string {
  const inner = update[updateType(update as Update)] as AnyObj | undefined;
  const chatId = inner?.chat?.id ?? inner?.message?.chat?.id;
  if (chatId !== undefined) return `c${chatId}`;
  if (inner?.from?.id !== undefined) return `u${inner.from.id}`;
  return `x${update.update_id}`;
}

export class BotApiStandin {
  private readonly opts: Required<Omit<StandinOptions, 'token' | 'webhookMaxAttempts' | 'localFilesDir'>> &
    Pick<StandinOptions, 'token' | 'webhookMaxAttempts' | 'localFilesDir'>;
  /** Absolute paths written for localFilesDir, to their files. */
  private readonly localPaths = new Map<string, StoredFile>();
  private readonly botInfo: User;
  private server?: http.Server;
  private root?: string;
  private readonly sockets = new Set<Socket>();
  private stopped = false;

  private readonly chats = new Map<number, ChatState>();
  private readonly users = new Map<number, User>();
  private readonly simulatedUsers = new Map<number, SimulatedUser>();
  private readonly groups = new Map<number, SimulatedGroup>();
  private readonly fileStore = new FileStore();
  private readonly commands = new Map<string, unknown[]>();
  private readonly botTexts = new Map<string, string>();
  private defaultMenuButton: unknown = { type: 'default' };

  private webhook?: WebhookState;
  private handoverHook?: (update: Update) => Promise<void>;
  private allowedUpdates?: string[];
  private nextUpdateId: number;
  private pending: PendingUpdate[] = [];
  private readonly pollers = new Set<Poller>();
  private webhookInflight = 0;
  private webhookWake?: { at: number; timer: NodeJS.Timeout };
  private readonly outgoing = new Set<http.ClientRequest>();
  private flushScheduled?: NodeJS.Immediate;

  private readonly callbackQueries = new Map<string, { chatId: number; answer?: CallbackAnswer }>();
  private readonly answerWaiters = new Map<string, Array<(a: CallbackAnswer) => void>>();
  private callLog: CallRecord[] = [];
  private callCounter = 0;
  private readonly callWaiters = new Set<{ predicate: (c: CallRecord) => boolean; since: number; resolve: (c: CallRecord) => void }>();
  private seq = 0;
  private readonly botLog: Array<{ seq: number; chatId: number; threadId?: number; messageId: number; snapshot: ShownMessage }> = [];
  private readonly botMessageWaiters = new Set<{
    chatId: number;
    threadId?: number;
    afterSeq: number;
    resolve: (r: { message: ShownMessage; seq: number }) => void;
  }>();

  private readonly faults = new Map<string, FaultSpec[]>();
  /** Faults that hold until cleared (an outage), by method or '*'. */
  private readonly standingFaults = new Map<string, FaultSpec>();
  private readonly blocked = new Map<number, string>();
  private rateLimit?: RateLimitConfig;
  private sentTimes: number[] = [];
  private readonly sentTimesByChat = new Map<number, number[]>();
  private latencyMs = 0;
  private statsData: StandinStats = BotApiStandin.emptyStats();

  private readonly listeners = new Set<(e: StandinEvent) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly rejecters = new Set<(e: Error) => void>();

  private readonly handlers: Record<string, (p: Params, ctx: CallCtx) => unknown>;
  private readonly methodNames = new Map<string, string>();
  private readonly hub: Hub;

  constructor(options: StandinOptions = {}) {
    this.opts = {
      token: options.token,
      botId: options.botId ?? 777000001,
      botUsername: options.botUsername ?? 'nmo_test_bot',
      botFirstName: options.botFirstName ?? 'NMO Assistant',
      firstUpdateId: options.firstUpdateId ?? 1000,
      webhookRetryDelaysMs: options.webhookRetryDelaysMs?.length ? options.webhookRetryDelaysMs : [50, 100, 200, 400, 800, 1000],
      webhookMaxAttempts: options.webhookMaxAttempts,
      localFilesDir: options.localFilesDir ? path.resolve(options.localFilesDir) : undefined,
      webhookTimeoutMs: options.webhookTimeoutMs ?? 15000,
      maxLongPollMs: options.maxLongPollMs ?? 50000,
      defaultWaitMs: options.defaultWaitMs ?? 5000,
      now: options.now ?? Date.now,
    };
    this.botInfo = { id: this.opts.botId, is_bot: true, first_name: this.opts.botFirstName, username: this.opts.botUsername };
    this.nextUpdateId = this.opts.firstUpdateId;
    this.handlers = this.buildHandlers();
    for (const name of Object.keys(this.handlers)) this.methodNames.set(name.toLowerCase(), name);
    this.hub = this.buildHub();
  }

  private static emptyStats(): StandinStats {
    return {
      calls: 0,
      sent: 0,
      rateLimited: 0,
      forbidden: 0,
      injected: 0,
      errors: 0,
      byMethod: {},
      webhook: { delivered: 0, failedAttempts: 0, dropped: 0 },
      maxSentPerSecond: 0,
    };
  }

  // ───────────────────────────── lifecycle ─────────────────────────────

  /** Starts listening on 127.0.0.1 (port 0: any free port). apiRoot is what grammY takes as client.apiRoot. */
  async start(port = 0): Promise<{ apiRoot: string }> {
    if (this.server) throw new Error('BotApiStandin already started');
    this.stopped = false;
    const server = http.createServer((req, res) => {
      this.onRequest(req, res).catch((err) => {
        if (!res.headersSent)
          this.writeJson(res, 500, { ok: false, error_code: 500, description: `Internal Server Error: ${String(err)}` });
        else res.destroy();
      });
    });
    server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.server = server;
    this.root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return { apiRoot: this.root };
  }

  /** The URL to give grammY as client.apiRoot (after start). */
  get apiRoot(): string {
    if (!this.root) throw new Error('BotApiStandin not started');
    return this.root;
  }

  /** Stops the server: answers pending long polls, aborts webhook deliveries, fails pending waits, closes every connection. */
  async stop(): Promise<void> {
    if (this.stopped && !this.server) return;
    this.stopped = true;
    for (const poller of [...this.pollers]) poller.finish([]);
    if (this.flushScheduled) clearImmediate(this.flushScheduled);
    if (this.webhookWake) clearTimeout(this.webhookWake.timer);
    this.webhookWake = undefined;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const req of this.outgoing) req.destroy();
    this.outgoing.clear();
    const stoppedError = new Error('BotApiStandin stopped');
    for (const reject of [...this.rejecters]) reject(stoppedError);
    for (const entry of this.pending)
      if (!entry.handedOver) entry.settle(new Error('BotApiStandin stopped before the update was handed to the bot'));
    for (const written of this.localPaths.keys()) fs.rmSync(written, { force: true });
    this.localPaths.clear();
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
      for (const s of this.sockets) s.destroy();
    });
  }

  // ───────────────────────────── simulated users ─────────────────────────────

  /** A simulated user with a private chat with the bot (the same object for the same id). */
  user(spec: UserSpec): SimulatedUser {
    const existing = this.simulatedUsers.get(spec.id);
    if (existing) return existing;
    if (spec.id <= 0) throw new Error('user ids are positive');
    const user = this.hub.registerUser(spec);
    const chat = this.privateChat(user);
    chat.started = spec.started ?? true;
    const sim = new SimulatedUser(this.hub, spec, user);
    this.simulatedUsers.set(spec.id, sim);
    return sim;
  }

  /** A simulated supergroup (a forum with is_forum) with configurable admins. */
  group(spec: GroupSpec): SimulatedGroup {
    const existing = this.groups.get(spec.id);
    if (existing) return existing;
    if (spec.id >= 0) throw new Error('group chat ids are negative (supergroups: -100...)');
    const chat: ChatState = {
      chat: {
        id: spec.id,
        type: 'supergroup',
        title: spec.title,
        ...(spec.username ? { username: spec.username } : {}),
        ...(spec.is_forum ? { is_forum: true } : {}),
      },
      nextMessageId: 1,
      messages: new Map(),
      started: true,
      blockedByUser: false,
      topics: new Map(),
      admins: new Map(),
      members: new Map(),
      botIsAdmin: spec.botIsAdmin ?? true,
    };
    this.chats.set(spec.id, chat);
    const group = new SimulatedGroup(this.hub, spec.id, spec.title);
    this.groups.set(spec.id, group);
    if (spec.admins) group.setAdmins(spec.admins);
    for (const m of spec.members ?? []) chat.members.set(m.id, this.hub.registerUser(m));
    return group;
  }

  // ───────────────────────────── recording ─────────────────────────────

  /** Recorded calls (since the last clearCalls), optionally of one method. */
  calls(method?: string): CallRecord[] {
    return method ? this.callLog.filter((c) => c.method === method) : [...this.callLog];
  }

  /** Index the next call will get; pass it as `since` to wait only for later calls. */
  callCount(): number {
    return this.callCounter;
  }

  clearCalls(): void {
    this.callLog = [];
  }

  /**
   * Resolves with the first recorded call (index >= since, default 0, among calls not cleared) that has
   * the method or satisfies the predicate, waiting for it if needed; rejects after timeoutMs listing recent calls.
   */
  waitForCall(match: string | ((c: CallRecord) => boolean), opts: { timeoutMs?: number; since?: number } = {}): Promise<CallRecord> {
    const predicate = typeof match === 'string' ? (c: CallRecord) => c.method === match : match;
    return this.waitForCallInternal(predicate, {
      timeoutMs: opts.timeoutMs ?? this.opts.defaultWaitMs,
      since: opts.since ?? 0,
      description: typeof match === 'string' ? match : 'predicate',
    });
  }

  private waitForCallInternal(
    predicate: (c: CallRecord) => boolean,
    opts: { timeoutMs: number; since: number; description: string },
  ): Promise<CallRecord> {
    const found = this.callLog.find((c) => c.index >= opts.since && predicate(c));
    if (found) return Promise.resolve(found);
    return this.waitWithTimeout<CallRecord>(
      opts.timeoutMs,
      () => `waitForCall(${opts.description}) timed out after ${opts.timeoutMs} ms. Recent calls:\n${this.describeRecentCalls()}`,
      (resolve) => {
        const waiter = { predicate, since: opts.since, resolve };
        this.callWaiters.add(waiter);
        return () => this.callWaiters.delete(waiter);
      },
    );
  }

  private describeRecentCalls(): string {
    const recent = this.callLog.slice(-15);
    if (!recent.length) return '  (none)';
    return recent
      .map((c) => {
        const time = c.at.toISOString().slice(11, 23);
        const what = c.ok ? 'ok' : `${c.error?.error_code} ${c.error?.description}`;
        const text = typeof c.params.text === 'string' ? ` text=${JSON.stringify(c.params.text.slice(0, 40))}` : '';
        return `  #${c.index} ${time} ${c.method}${c.chatId !== undefined ? ` chat=${c.chatId}` : ''}${text} → ${what}`;
      })
      .join('\n');
  }

  /** Listens to what happens (bot messages, edits, deletes, callback answers, chat actions, every call). */
  subscribe(listener: (e: StandinEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(e: StandinEvent): void {
    for (const l of [...this.listeners]) {
      try {
        l(e);
      } catch {
        // a listener's failure is not the stand-in's
      }
    }
  }

  // ───────────────────────────── faults, limits, stats ─────────────────────────────

  /** The next `times` calls of method ('*' = any method) fail with this error (or a dropped connection). */
  failNext(method: string, fault: FaultSpec, times = 1): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  /**
   * Every call of method ('*' = any method) fails with this error (or a dropped connection) until
   * `clearFaults()`: Telegram down for minutes, e.g. answering 502 Bad Gateway. Queued `failNext` faults go first.
   */
  failAlways(method: string, fault: FaultSpec): void {
    this.standingFaults.set(method, fault);
  }

  /** Ends every injected fault: those queued by `failNext` and those standing by `failAlways`. */
  clearFaults(): void {
    this.faults.clear();
    this.standingFaults.clear();
  }

  /** Every send to this chat answers 403 (default "Forbidden: bot was blocked by the user"). */
  blockUser(chatId: number, description = 'Forbidden: bot was blocked by the user'): void {
    this.blocked.set(chatId, description);
  }

  unblockUser(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /** Rate limits for message-creating calls; above them the answer is 429 with parameters.retry_after. undefined: no limits. */
  setRateLimit(limits: RateLimitConfig | undefined): void {
    this.rateLimit = limits;
    this.sentTimes = [];
    this.sentTimesByChat.clear();
  }

  /**
   * Something to wait for after the bot got an update and before `delivered` resolves: a bot that
   * confirms updates before handling them (it records them in a durable log first) tells the test
   * when it has actually handled one, so a simulated user still sees the answer right after sending.
   */
  setHandoverHook(hook: ((update: Update) => Promise<void>) | undefined): void {
    this.handoverHook = hook;
  }

  /** Adds this much delay before answering every method except getUpdates (benchmarks). */
  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  stats(): StandinStats {
    return clone(this.statsData);
  }

  resetStats(): void {
    this.statsData = BotApiStandin.emptyStats();
  }

  // ───────────────────────────── inspection ─────────────────────────────

  /** Delivers an update exactly as given (its update_id too, so the same update can be redelivered). */
  deliverRaw(update: Update, opts: { timeoutMs?: number } = {}): Promise<DeliveryResult> {
    const { delivered } = this.enqueue(update as AnyObj, true);
    const ms = opts.timeoutMs ?? this.opts.defaultWaitMs;
    return this.waitWithTimeout<DeliveryResult>(
      ms,
      () =>
        `deliverRaw: update ${update.update_id} was not handed to the bot within ${ms} ms` +
        (this.webhook
          ? ` (webhook ${this.webhook.url}; last error: ${this.webhook.last_error_message ?? 'none'})`
          : ' (no webhook, no getUpdates fetched it)'),
      (resolve) => {
        let active = true;
        delivered.then((r) => active && resolve(r)).catch(() => undefined);
        return () => {
          active = false;
        };
      },
    );
  }

  /** Bytes of the file in a message (document, largest photo, voice, ...) or of a file_id. */
  fileOf(messageOrFileId: ShownMessage | Message | string): Buffer {
    return this.hub.fileOf(messageOrFileId);
  }

  /** A stored file by file_id. */
  file(fileId: string): StoredFile | undefined {
    return this.fileStore.get(fileId);
  }

  /** The bot's visible messages in a chat (after edits and deletes). */
  messages(chatId: number, opts: { threadId?: number; includeUser?: boolean } = {}): ShownMessage[] {
    return this.hub.shownMessages(chatId, opts);
  }

  /** Commands set with setMyCommands for this scope and language. */
  commandsFor(scope: AnyObj = { type: 'default' }, languageCode = ''): unknown[] | undefined {
    return clone(this.commands.get(`${stableKey(scope)}|${languageCode}`));
  }

  menuButton(chatId?: number): unknown {
    return clone(chatId === undefined ? this.defaultMenuButton : (this.chats.get(chatId)?.menuButton ?? this.defaultMenuButton));
  }

  webhookInfo(): { url: string; secret_token?: string; pending: number; last_error_message?: string } {
    return {
      url: this.webhook?.url ?? '',
      secret_token: this.webhook?.secret_token,
      pending: this.pending.length,
      last_error_message: this.webhook?.last_error_message,
    };
  }

  /** Callback query answer (answerCallbackQuery) by query id. */
  answerOf(queryId: string): CallbackAnswer | undefined {
    return clone(this.callbackQueries.get(queryId)?.answer);
  }

  get botUser(): User {
    return { ...this.botInfo };
  }

  // ───────────────────────────── HTTP ─────────────────────────────

  private writeJson(res: http.ServerResponse, status: number, body: unknown): void {
    const data = Buffer.from(JSON.stringify(body));
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': data.length });
    res.end(data);
  }

  private async readBody(req: http.IncomingMessage): Promise<Buffer | undefined> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req) {
      size += (chunk as Buffer).length;
      if (size > MAX_BODY_BYTES) return undefined;
      chunks.push(chunk as Buffer);
    }
    return Buffer.concat(chunks);
  }

  private async onRequest(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://standin');
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (fileMatch) {
      if (this.opts.token !== undefined && fileMatch[1] !== this.opts.token) {
        this.writeJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
        return;
      }
      const wanted = decodeURIComponent(fileMatch[2]);
      const file = this.fileStore.byFilePath(wanted) ?? this.localPaths.get(wanted);
      if (!file?.bytes) {
        this.writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
        return;
      }
      res.writeHead(200, { 'content-type': file.mime_type ?? 'application/octet-stream', 'content-length': file.bytes.length });
      res.end(file.bytes);
      return;
    }
    const apiMatch = /^\/bot([^/]+)\/([^/]*)$/.exec(url.pathname);
    if (!apiMatch) {
      this.writeJson(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      return;
    }
    const raw = await this.readBody(req);
    if (raw === undefined) {
      this.writeJson(res, 413, { ok: false, error_code: 413, description: 'Request Entity Too Large' });
      return;
    }
    if (this.opts.token !== undefined && apiMatch[1] !== this.opts.token) {
      this.writeJson(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
      return;
    }
    let params: Params;
    let files: Map<string, UploadedPart>;
    try {
      ({ params, files } = parseBody(req.headers['content-type'], raw, url.search));
    } catch (e) {
      const err = e instanceof ApiError ? e : new ApiError(400, `Bad Request: ${String(e)}`);
      this.writeJson(res, err.error_code, err.toBody());
      return;
    }
    const abortHandlers: Array<() => void> = [];
    res.on('close', () => {
      if (!res.writableFinished) for (const fn of abortHandlers) fn();
    });
    const outcome = await this.invoke(
      apiMatch[2],
      params,
      { files, recordParams: { ...params }, onAbort: (fn) => abortHandlers.push(fn) },
      'http',
    );
    if ('reset' in outcome) {
      req.socket.destroy();
      return;
    }
    if (res.destroyed) return;
    this.writeJson(res, outcome.status, outcome.body);
  }

  /** Runs one method call: faults, blocks, limits, the handler, stats and recording. */
  private async invoke(
    rawName: string,
    params: Params,
    ctx: CallCtx,
    via: CallRecord['via'],
  ): Promise<{ status: number; body: unknown } | { reset: true }> {
    const method = this.methodNames.get(rawName.toLowerCase());
    const name = method ?? rawName;
    let chatId: number | undefined;
    let body: { ok: true; result: unknown; description?: string } | ApiErrorBody;
    let reset = false;
    try {
      if (!method) throw new ApiError(404, 'Not Found');
      chatId = this.chatIdOf(method, params);
      if (this.latencyMs > 0 && method !== 'getUpdates') await this.sleep(this.latencyMs);
      const fault = this.takeFault(method);
      if (fault) {
        this.statsData.injected++;
        if ('reset' in fault) {
          reset = true;
          throw new ApiError(0, 'connection reset by the stand-in (failNext)');
        }
        throw new ApiError(fault.error_code, fault.description, this.faultParameters(fault));
      }
      if (BLOCKABLE_METHODS.has(method) && chatId !== undefined) this.checkBlocked(chatId);
      // Checked and counted in one step: two calls in flight at once cannot both take the last place.
      if (SEND_METHODS.has(method) && chatId !== undefined) this.takeRateLimitPlace(chatId);
      const result = await this.handlers[method](params, ctx);
      if (SEND_METHODS.has(method) && chatId !== undefined) this.statsData.sent++;
      body = result instanceof Described ? { ok: true, result: result.result, description: result.description } : { ok: true, result };
    } catch (e) {
      if (e instanceof ApiError) {
        body = e.toBody();
        if (e.error_code === 429) this.statsData.rateLimited++;
        if (e.error_code === 403) this.statsData.forbidden++;
      } else {
        body = {
          ok: false,
          error_code: 500,
          description: `Internal Server Error: stand-in failed on ${name}: ${e instanceof Error ? e.message : String(e)}`,
        };
      }
    }
    this.statsData.calls++;
    this.statsData.byMethod[name] = (this.statsData.byMethod[name] ?? 0) + 1;
    if (!body.ok) this.statsData.errors++;
    const record: CallRecord = {
      index: this.callCounter++,
      method: name,
      params: ctx.recordParams,
      at: new Date(this.opts.now()),
      ...(chatId !== undefined ? { chatId } : {}),
      ok: body.ok,
      ...(body.ok ? { result: clone(body.result) } : { error: body }),
      via,
    };
    this.callLog.push(record);
    this.emit({ type: 'call', call: record });
    for (const w of [...this.callWaiters]) {
      if (record.index >= w.since && w.predicate(record)) w.resolve(record);
    }
    if (reset) return { reset: true };
    return { status: body.ok ? 200 : body.error_code, body };
  }

  private faultParameters(fault: { retry_after?: number; migrate_to_chat_id?: number }): ApiErrorBody['parameters'] {
    const p: NonNullable<ApiErrorBody['parameters']> = {};
    if (fault.retry_after !== undefined) p.retry_after = fault.retry_after;
    if (fault.migrate_to_chat_id !== undefined) p.migrate_to_chat_id = fault.migrate_to_chat_id;
    return Object.keys(p).length ? p : undefined;
  }

  private takeFault(method: string): FaultSpec | undefined {
    for (const key of [method, '*']) {
      const list = this.faults.get(key);
      if (list?.length) {
        const f = list.shift()!;
        if (!list.length) this.faults.delete(key);
        return f;
      }
    }
    return this.standingFaults.get(method) ?? this.standingFaults.get('*');
  }

  private chatIdOf(method: string, params: Params): number | undefined {
    if (method === 'answerCallbackQuery') {
      const id = str(params.callback_query_id);
      return id ? this.callbackQueries.get(id)?.chatId : undefined;
    }
    const raw = params.chat_id;
    const n = int(raw);
    if (n !== undefined) return n;
    if (typeof raw === 'string' && raw.startsWith('@')) {
      for (const c of this.chats.values())
        if (c.chat.username && `@${c.chat.username}`.toLowerCase() === raw.toLowerCase()) return c.chat.id;
    }
    return undefined;
  }

  private checkBlocked(chatId: number): void {
    const description = this.blocked.get(chatId);
    if (description) throw new ApiError(403, description);
    const chat = this.chats.get(chatId);
    if (chat?.chat.type === 'private') {
      if (chat.blockedByUser) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
      if (!chat.started) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    }
  }

  /**
   * Telegram-style limits in sliding windows (the last 1 s, the last 60 s for a group) of accepted
   * message-creating calls: above a limit the call is answered 429, else it is counted at once.
   */
  private takeRateLimitPlace(chatId: number): void {
    const rl = this.rateLimit;
    const now = this.opts.now();
    if (rl) this.checkRateLimit(rl, chatId, now);
    this.noteSent(chatId, now);
  }

  private checkRateLimit(rl: RateLimitConfig, chatId: number, now: number): void {
    const check = (times: number[], windowMs: number, limit: number | undefined) => {
      if (limit === undefined) return;
      const first = firstAfter(times, now - windowMs);
      const inWindow = times.length - first;
      if (inWindow >= limit) {
        const retry = Math.max(1, Math.ceil((times[times.length - limit] + windowMs - now) / 1000));
        throw new ApiError(429, `Too Many Requests: retry after ${retry}`, { retry_after: retry });
      }
    };
    check(this.sentTimes, 1000, rl.perSecond);
    const chatTimes = this.sentTimesByChat.get(chatId) ?? [];
    check(chatTimes, 1000, rl.perChatPerSecond);
    if (chatId < 0) check(chatTimes, 60000, rl.perGroupPerMinute);
  }

  private noteSent(chatId: number, now: number): void {
    this.sentTimes.push(now);
    const drop = firstAfter(this.sentTimes, now - 1000);
    if (drop > 1000) this.sentTimes = this.sentTimes.slice(drop);
    const lastSecond = this.sentTimes.length - firstAfter(this.sentTimes, now - 1000);
    if (lastSecond > this.statsData.maxSentPerSecond) this.statsData.maxSentPerSecond = lastSecond;
    let chatTimes = this.sentTimesByChat.get(chatId) ?? [];
    chatTimes.push(now);
    const old = firstAfter(chatTimes, now - 60000);
    if (old > 100) chatTimes = chatTimes.slice(old);
    this.sentTimesByChat.set(chatId, chatTimes);
  }

  // ───────────────────────────── timers & waits ─────────────────────────────

  private later(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  private clearLater(t: NodeJS.Timeout | undefined): void {
    if (!t) return;
    clearTimeout(t);
    this.timers.delete(t);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.later(resolve, ms));
  }

  /** A promise resolved by `register`'s callback, rejected after ms (message) or when the stand-in stops. */
  private waitWithTimeout<T>(ms: number, message: () => string, register: (resolve: (v: T) => void) => () => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      let done = false;
      let unregister: () => void = () => undefined;
      const finish = (fn: () => void) => {
        if (done) return;
        done = true;
        this.clearLater(timer);
        this.rejecters.delete(onStop);
        unregister();
        fn();
      };
      const onStop = (e: Error) => finish(() => reject(e));
      const timer = this.later(() => finish(() => reject(new Error(message()))), ms);
      this.rejecters.add(onStop);
      unregister = register((v) => finish(() => resolve(v)));
      if (done) unregister();
    });
  }

  // ───────────────────────────── updates: queue, polling, webhook ─────────────────────────────

  private isAllowed(type: string): boolean {
    const list = this.allowedUpdates;
    if (!list || list.length === 0) return !DEFAULT_EXCLUDED_UPDATES.has(type);
    return list.includes(type);
  }

  private enqueue(partial: AnyObj, raw: boolean): { update: Update; delivered: Promise<DeliveryResult> } {
    let update: Update;
    if (raw) {
      update = partial as Update;
      if (typeof update.update_id !== 'number') throw new Error('deliverRaw: the update needs a numeric update_id');
      if (update.update_id >= this.nextUpdateId) this.nextUpdateId = update.update_id + 1;
    } else {
      update = { update_id: this.nextUpdateId++, ...partial } as Update;
    }
    let settle!: (r: DeliveryResult | Error) => void;
    const handedOver = new Promise<DeliveryResult>((resolve, reject) => {
      let settled = false;
      settle = (r) => {
        if (settled) return;
        settled = true;
        if (r instanceof Error) reject(r);
        else resolve(r);
      };
    });
    const delivered = handedOver.then(async (r) => {
      const hook = this.handoverHook;
      if (hook && (r.via === 'webhook' || r.via === 'getUpdates')) await hook(r.update);
      return r;
    });
    delivered.catch(() => undefined);
    if (this.stopped) {
      settle(new Error('BotApiStandin is stopped'));
      return { update, delivered };
    }
    if (!raw && !this.isAllowed(updateType(update))) {
      settle({ update, via: 'filtered', attempts: 0 });
      return { update, delivered };
    }
    this.pending.push({
      update,
      raw,
      chatKey: chatKeyOf(update as AnyObj),
      handedOver: false,
      inflight: false,
      attempts: 0,
      nextAttemptAt: 0,
      settle,
      delivered,
    });
    this.kick();
    return { update, delivered };
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.webhook) {
      this.pumpWebhook();
      return;
    }
    if (this.pollers.size && !this.flushScheduled) {
      this.flushScheduled = setImmediate(() => {
        this.flushScheduled = undefined;
        this.flushPollers();
      });
    }
  }

  private flushPollers(): void {
    for (const poller of [...this.pollers]) {
      const ready = this.available(poller.limit);
      if (ready.length) poller.finish(this.handOver(ready));
    }
  }

  private available(limit: number): PendingUpdate[] {
    return this.pending.filter((e) => !e.inflight).slice(0, limit);
  }

  private handOver(entries: PendingUpdate[]): Update[] {
    for (const e of entries) {
      e.attempts++;
      if (!e.handedOver) {
        e.handedOver = true;
        e.settle({ update: e.update, via: 'getUpdates', attempts: e.attempts });
      }
    }
    return entries.map((e) => clone(e.update));
  }

  private drop(e: PendingUpdate): void {
    if (!e.handedOver) e.settle({ update: e.update, via: 'dropped', attempts: e.attempts });
  }

  /** getUpdates' offset: forgets updates below it (raw redeliveries only once handed over), or keeps the last -offset. */
  private confirm(offset: number): void {
    if (offset > 0) {
      this.pending = this.pending.filter((e) => {
        if (e.inflight || e.update.update_id >= offset || (e.raw && !e.handedOver)) return true;
        this.drop(e);
        return false;
      });
    } else if (offset < 0) {
      const idle = this.pending.filter((e) => !e.inflight);
      const keep = new Set(idle.slice(offset));
      this.pending = this.pending.filter((e) => {
        if (e.inflight || keep.has(e)) return true;
        this.drop(e);
        return false;
      });
    }
  }

  private dropPending(): void {
    const keep: PendingUpdate[] = [];
    for (const e of this.pending) {
      if (e.inflight) keep.push(e);
      else this.drop(e);
    }
    this.pending = keep;
  }

  private pumpWebhook(): void {
    const hook = this.webhook;
    if (!hook || this.stopped) return;
    const now = Date.now();
    const busy = new Set<string>();
    let wakeAt = Infinity;
    for (const entry of this.pending) {
      if (entry.inflight) {
        busy.add(entry.chatKey);
        continue;
      }
      if (busy.has(entry.chatKey)) continue;
      // updates of one chat go out one at a time and in order
      busy.add(entry.chatKey);
      if (entry.nextAttemptAt > now) {
        wakeAt = Math.min(wakeAt, entry.nextAttemptAt);
        continue;
      }
      if (this.webhookInflight >= hook.max_connections) break;
      this.deliver(entry, hook);
    }
    if (wakeAt < Infinity && (!this.webhookWake || this.webhookWake.at > wakeAt)) {
      if (this.webhookWake) clearTimeout(this.webhookWake.timer);
      const timer = setTimeout(
        () => {
          this.webhookWake = undefined;
          this.pumpWebhook();
        },
        Math.max(0, wakeAt - now),
      );
      this.webhookWake = { at: wakeAt, timer };
    }
  }

  private deliver(entry: PendingUpdate, hook: WebhookState): void {
    entry.inflight = true;
    entry.attempts++;
    this.webhookInflight++;
    const payload = Buffer.from(JSON.stringify(entry.update));
    const target = new URL(hook.url);
    const client = target.protocol === 'https:' ? https : http;
    let finished = false;
    const finish = (status: number | undefined, statusText: string, responseBody: Buffer | undefined, error?: string) => {
      if (finished) return;
      finished = true;
      this.outgoing.delete(req);
      this.webhookInflight--;
      entry.inflight = false;
      if (this.stopped) return;
      if (status !== undefined && status >= 200 && status < 300) {
        this.pending = this.pending.filter((e) => e !== entry);
        this.statsData.webhook.delivered++;
        if (!entry.handedOver) {
          entry.handedOver = true;
          entry.settle({ update: entry.update, via: 'webhook', attempts: entry.attempts });
        }
        if (responseBody?.length) this.webhookReply(responseBody);
      } else {
        this.statsData.webhook.failedAttempts++;
        hook.last_error_date = Math.floor(this.opts.now() / 1000);
        hook.last_error_message = error ?? `Wrong response from the webhook: ${status} ${statusText}`;
        const max = this.opts.webhookMaxAttempts;
        if (max !== undefined && entry.attempts >= max) {
          this.pending = this.pending.filter((e) => e !== entry);
          this.statsData.webhook.dropped++;
          this.drop(entry);
        } else {
          const delays = this.opts.webhookRetryDelaysMs;
          entry.nextAttemptAt = Date.now() + delays[Math.min(entry.attempts - 1, delays.length - 1)];
        }
      }
      this.kick();
    };
    const req = client.request(
      target,
      {
        method: 'POST',
        agent: false,
        headers: {
          'content-type': 'application/json',
          'content-length': payload.length,
          ...(hook.secret_token ? { 'X-Telegram-Bot-Api-Secret-Token': hook.secret_token } : {}),
        },
        ...(target.protocol === 'https:' ? { rejectUnauthorized: false } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => finish(res.statusCode, res.statusMessage ?? '', Buffer.concat(chunks)));
        res.on('error', (e) => finish(undefined, '', undefined, `Connection error: ${e.message}`));
      },
    );
    this.outgoing.add(req);
    req.setTimeout(this.opts.webhookTimeoutMs, () => {
      req.destroy(new Error('Read timeout expired'));
    });
    req.on('error', (e) => {
      const code = (e as NodeJS.ErrnoException).code;
      finish(undefined, '', undefined, code === 'ECONNREFUSED' ? 'Connection refused' : e.message);
    });
    req.end(payload);
  }

  /** Telegram executes a method given in the body of a webhook answer. */
  private webhookReply(body: Buffer): void {
    let json: unknown;
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      return;
    }
    if (!json || typeof json !== 'object' || typeof (json as AnyObj).method !== 'string') return;
    const { method, ...params } = json as AnyObj;
    void this.invoke(method, params, { files: new Map(), recordParams: { ...params } }, 'webhook-reply');
  }

  // ───────────────────────────── chats & messages ─────────────────────────────

  private privateChat(user: User): ChatState {
    let chat = this.chats.get(user.id);
    if (!chat) {
      chat = {
        chat: {
          id: user.id,
          type: 'private',
          first_name: user.first_name,
          ...(user.last_name ? { last_name: user.last_name } : {}),
          ...(user.username ? { username: user.username } : {}),
        },
        nextMessageId: 1,
        messages: new Map(),
        started: true,
        blockedByUser: false,
        topics: new Map(),
        admins: new Map(),
        members: new Map([[user.id, user]]),
        botIsAdmin: false,
      };
      this.chats.set(user.id, chat);
    }
    return chat;
  }

  private requireChat(params: Params, key = 'chat_id'): ChatState {
    const raw = params[key];
    if (raw === undefined || raw === null || raw === '') bad(`${key} is empty`);
    const id = key === 'chat_id' ? this.chatIdOf('x', params) : int(raw);
    const chat = id === undefined ? undefined : this.chats.get(id);
    if (!chat) bad('chat not found');
    return chat;
  }

  private nowSec(): number {
    return Math.floor(this.opts.now() / 1000);
  }

  private isService(message: AnyObj): boolean {
    return SERVICE_KEYS.some((k) => k in message);
  }

  private shown(stored: StoredMessage): ShownMessage {
    const m = clone(stored.message);
    if (stored.markup) m.reply_markup = clone(stored.markup);
    else delete m.reply_markup;
    return m as ShownMessage;
  }

  private replySnapshot(stored: StoredMessage): AnyObj {
    const m = clone(stored.message);
    delete m.reply_to_message;
    return m;
  }

  private resolveThread(chat: ChatState, params: Params): number | undefined {
    const threadId = int(params.message_thread_id);
    if (threadId === undefined) return undefined;
    if (chat.chat.type === 'private') return undefined;
    const topic = chat.topics.get(threadId);
    if (topic && !topic.deleted) return threadId;
    if (!topic && chat.chat.is_forum && threadId === 1) return undefined; // the General topic
    if (!topic && !chat.chat.is_forum) {
      const root = chat.messages.get(threadId);
      if (root) return threadId;
    }
    bad('message thread not found');
  }

  private resolveReply(chat: ChatState, params: Params): StoredMessage | undefined {
    let replyTo: number | undefined;
    let allowWithout = params.allow_sending_without_reply === true;
    const rp = params.reply_parameters as AnyObj | undefined;
    if (rp && typeof rp === 'object') {
      replyTo = int(rp.message_id);
      if (rp.allow_sending_without_reply === true) allowWithout = true;
      if (rp.chat_id !== undefined && int(rp.chat_id) !== chat.chat.id) {
        const other = this.chats.get(int(rp.chat_id) ?? NaN);
        const target = other?.messages.get(replyTo ?? NaN);
        if (!target && !allowWithout) bad('message to be replied not found');
        return target;
      }
    } else replyTo = int(params.reply_to_message_id);
    if (replyTo === undefined) return undefined;
    const target = chat.messages.get(replyTo);
    if (!target && !allowWithout) bad('message to be replied not found');
    return target;
  }

  private addMessage(
    chat: ChatState,
    from: User,
    fromBot: boolean,
    content: AnyObj,
    opts: { threadId?: number; reply?: StoredMessage; markup?: AnyMarkup },
  ): StoredMessage {
    const id = chat.nextMessageId++;
    let threadId = opts.threadId;
    if (threadId === undefined && opts.reply?.threadId !== undefined) threadId = opts.reply.threadId;
    const topic = threadId !== undefined ? chat.topics.get(threadId) : undefined;
    let reply = opts.reply;
    if (!reply && topic) reply = chat.messages.get(topic.message_thread_id);
    const message: AnyObj = {
      message_id: id,
      from: clone(from),
      chat: clone(chat.chat),
      date: this.nowSec(),
      ...(threadId !== undefined ? { message_thread_id: threadId } : {}),
      ...(topic ? { is_topic_message: true } : {}),
      ...(reply ? { reply_to_message: this.replySnapshot(reply) } : {}),
      ...content,
    };
    if (isInline(opts.markup)) message.reply_markup = clone(opts.markup);
    if (isReplyKeyboard(opts.markup)) chat.replyKeyboard = clone(opts.markup);
    else if (opts.markup && 'remove_keyboard' in opts.markup) chat.replyKeyboard = undefined;
    const stored: StoredMessage = {
      message,
      markup: clone(opts.markup),
      fromBot,
      service: this.isService(message),
      seq: ++this.seq,
      threadId,
    };
    chat.messages.set(id, stored);
    if (fromBot && !stored.service) {
      const snapshot = this.shown(stored);
      this.botLog.push({ seq: stored.seq, chatId: chat.chat.id, threadId, messageId: id, snapshot });
      this.emit({ type: 'message', chatId: chat.chat.id, message: clone(snapshot) });
      for (const w of [...this.botMessageWaiters]) {
        if (w.chatId === chat.chat.id && (w.threadId === undefined || w.threadId === threadId) && stored.seq > w.afterSeq) {
          w.resolve({ message: clone(snapshot), seq: stored.seq });
        }
      }
    }
    return stored;
  }

  private telegramView(stored: StoredMessage): Message {
    return clone(stored.message) as Message;
  }

  private formatText(text: string, parseMode: unknown, entities: unknown): { text: string; entities?: MessageEntity[] } {
    if (Array.isArray(entities)) return { text, entities: entities.length ? (entities as MessageEntity[]) : undefined };
    if (parseMode === undefined || parseMode === null || parseMode === '') return { text };
    if (typeof parseMode !== 'string') bad('unsupported parse_mode');
    if (parseMode.toLowerCase() === 'html') {
      const parsed = parseHtml(text);
      return { text: parsed.text, entities: parsed.entities.length ? parsed.entities : undefined };
    }
    if (
      parseMode === 'MarkdownV2' ||
      parseMode === 'Markdown' ||
      parseMode.toLowerCase() === 'markdownv2' ||
      parseMode.toLowerCase() === 'markdown'
    ) {
      return { text };
    }
    bad(`unsupported parse_mode`);
  }

  private textContent(params: Params): AnyObj {
    const raw = str(params.text);
    if (raw === undefined || raw.trim() === '') bad('message text is empty');
    const { text, entities } = this.formatText(raw, params.parse_mode, params.entities);
    if (text.trim() === '') bad('message text is empty');
    if (text.length > 4096) bad('message is too long');
    return { text, ...(entities ? { entities } : {}) };
  }

  private captionContent(params: Params): AnyObj {
    const raw = str(params.caption);
    if (raw === undefined || raw === '') return {};
    const { text, entities } = this.formatText(raw, params.parse_mode, params.caption_entities);
    if (text.length > 1024) bad('message caption is too long');
    return { caption: text, ...(entities ? { caption_entities: entities } : {}) };
  }

  /** The file a media method refers to: an upload (attach:// or a part named like the field), a file_id or a URL. */
  private inputFile(kind: FileKind, field: string, params: Params, ctx: CallCtx): StoredFile {
    const value = params[field];
    let part: UploadedPart | undefined;
    if (typeof value === 'string' && value.startsWith('attach://')) {
      part = ctx.files.get(value.slice('attach://'.length));
      if (!part) bad(`file attach://${value.slice(9)} not found in the request`);
    } else if (value === undefined && ctx.files.has(field)) {
      part = ctx.files.get(field);
    }
    if (part) {
      if (part.data.length === 0) bad('file must be non-empty');
      if (part.data.length > 50 * 1024 * 1024) throw new ApiError(413, 'Request Entity Too Large');
      const mime =
        kind === 'voice'
          ? 'audio/ogg'
          : kind === 'photo'
            ? 'image/jpeg'
            : (guessMime(part.filename) ??
              (part.contentType && part.contentType !== 'application/octet-stream' ? part.contentType : 'application/octet-stream'));
      const file = this.fileStore.add(kind, { bytes: part.data, file_name: part.filename, mime_type: mime });
      ctx.recordParams[field] = { upload: true, file_name: part.filename, size: part.data.length, file_id: file.file_id };
      return file;
    }
    if (typeof value !== 'string' || value === '') bad(`there is no ${field} in the request`);
    if (/^https?:\/\//i.test(value)) {
      const name = value.split('?')[0].split('/').pop() || undefined;
      return this.fileStore.add(kind, { url: value, file_name: name, mime_type: guessMime(name) });
    }
    const known = this.fileStore.get(value);
    if (!known) bad('wrong file identifier/HTTP URL specified');
    if ((known.kind === 'photo') !== (kind === 'photo')) {
      const cap = (k: string) => k.charAt(0).toUpperCase() + k.slice(1);
      bad(`can't use file of type ${cap(known.kind)} as ${cap(kind)}`);
    }
    return known;
  }

  private mediaObject(kind: FileKind, file: StoredFile, params: Params): AnyObj {
    const base = { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size };
    switch (kind) {
      case 'photo': {
        const size = (file.bytes && imageSize(file.bytes)) ?? { width: 1, height: 1 };
        return { photo: [{ ...base, ...size }] };
      }
      case 'voice':
        return { voice: { ...base, duration: int(params.duration) ?? 1, mime_type: file.mime_type ?? 'audio/ogg' } };
      default:
        return {
          [kind]: {
            ...base,
            ...(file.file_name ? { file_name: file.file_name } : {}),
            ...(file.mime_type ? { mime_type: file.mime_type } : {}),
          },
        };
    }
  }

  private sendMedia(kind: FileKind, params: Params, ctx: CallCtx): Message {
    const chat = this.requireChat(params);
    const caption = this.captionContent(params);
    const markup = validateMarkup(params.reply_markup);
    const threadId = this.resolveThread(chat, params);
    const reply = this.resolveReply(chat, params);
    const file = this.inputFile(kind, kind, params, ctx);
    const stored = this.addMessage(
      chat,
      this.botInfo,
      true,
      { ...this.mediaObject(kind, file, params), ...caption },
      { threadId, reply, markup },
    );
    return this.telegramView(stored);
  }

  private findOwnMessage(
    params: Params,
    verb: 'edit' | 'delete' | 'copy' | 'forward',
    chatKey = 'chat_id',
  ): { chat: ChatState; stored: StoredMessage } {
    if (params.inline_message_id !== undefined && verb === 'edit') bad('inline messages are not supported by the stand-in');
    const chat = this.requireChat(params, chatKey);
    const id = int(params.message_id);
    if (id === undefined) bad('message identifier is not specified');
    const stored = chat.messages.get(id);
    if (!stored) bad(`message to ${verb} not found`);
    return { chat, stored };
  }

  private applyEdit(chat: ChatState, stored: StoredMessage, change: AnyObj, markup: AnyMarkup | undefined): Message {
    const before = stableKey({ c: this.contentKey(stored.message), m: isInline(stored.markup) ? stored.markup : undefined });
    const next = { ...stored.message, ...change };
    for (const [k, v] of Object.entries(change)) if (v === undefined) delete next[k];
    const after = stableKey({ c: this.contentKey(next), m: markup });
    if (before === after) {
      bad(
        'message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message',
      );
    }
    next.edit_date = this.nowSec();
    if (isInline(markup)) next.reply_markup = clone(markup);
    else delete next.reply_markup;
    stored.message = next;
    if (isInline(markup) || !isReplyKeyboard(stored.markup)) stored.markup = clone(markup);
    this.emit({ type: 'edit', chatId: chat.chat.id, message: this.shown(stored) });
    return this.telegramView(stored);
  }

  private contentKey(m: AnyObj): AnyObj {
    return { text: m.text, entities: m.entities, caption: m.caption, caption_entities: m.caption_entities };
  }

  private removeMessage(chat: ChatState, id: number): void {
    chat.messages.delete(id);
    this.emit({ type: 'delete', chatId: chat.chat.id, messageId: id });
  }

  private copyContent(source: AnyObj, params: Params): AnyObj {
    if (this.isService(source)) bad("message can't be copied");
    const content: AnyObj = {};
    for (const k of ['text', 'entities', 'contact', 'location', ...FILE_KEYS]) if (source[k] !== undefined) content[k] = clone(source[k]);
    const hasMedia = FILE_KEYS.some((k) => source[k] !== undefined);
    if (hasMedia) {
      if (params.caption !== undefined) Object.assign(content, this.captionContent(params));
      else if (params.remove_caption !== true && source.caption !== undefined) {
        content.caption = source.caption;
        if (source.caption_entities) content.caption_entities = clone(source.caption_entities);
      }
    }
    return content;
  }

  private memberOf(chat: ChatState, userId: number): AnyObj {
    if (userId === this.botInfo.id) {
      if (chat.chat.type === 'private')
        return { user: this.botUser, status: chat.blockedByUser ? 'kicked' : 'member', ...(chat.blockedByUser ? { until_date: 0 } : {}) };
      return chat.botIsAdmin ? this.adminObject(this.botInfo, 'administrator') : { user: this.botUser, status: 'member' };
    }
    const admin = chat.admins.get(userId);
    if (admin) return this.adminObject(admin.user, admin.status);
    const member = chat.members.get(userId);
    if (member) return { user: clone(member), status: 'member' };
    const known = this.users.get(userId);
    if (known) return { user: clone(known), status: 'left' };
    bad('user not found');
  }

  private adminObject(user: User, status: 'creator' | 'administrator'): AnyObj {
    if (status === 'creator') return { user: clone(user), status: 'creator', is_anonymous: false };
    return {
      user: clone(user),
      status: 'administrator',
      can_be_edited: false,
      is_anonymous: false,
      can_manage_chat: true,
      can_delete_messages: true,
      can_manage_video_chats: true,
      can_restrict_members: true,
      can_promote_members: false,
      can_change_info: true,
      can_invite_users: true,
      can_post_stories: false,
      can_edit_stories: false,
      can_delete_stories: false,
      can_pin_messages: true,
      can_manage_topics: true,
    };
  }

  private topicOf(chat: ChatState, params: Params): TopicState {
    if (!chat.chat.is_forum) bad('the chat is not a forum');
    const threadId = int(params.message_thread_id);
    const topic = threadId === undefined ? undefined : chat.topics.get(threadId);
    if (!topic || topic.deleted) bad('message thread not found');
    return topic;
  }

  private createTopicIn(chat: ChatState, from: User, fromBot: boolean, name: string, iconColor: number, emojiId?: string): StoredMessage {
    const stored = this.addMessage(
      chat,
      from,
      fromBot,
      {
        forum_topic_created: { name, icon_color: iconColor, ...(emojiId ? { icon_custom_emoji_id: emojiId } : {}) },
      },
      {},
    );
    const threadId = stored.message.message_id as number;
    stored.threadId = threadId;
    stored.message.message_thread_id = threadId;
    chat.topics.set(threadId, {
      message_thread_id: threadId,
      name,
      icon_color: iconColor,
      icon_custom_emoji_id: emojiId,
      is_closed: false,
      deleted: false,
    });
    return stored;
  }

  private commandKey(params: Params): string {
    const scope = (params.scope as AnyObj | undefined) ?? { type: 'default' };
    const lang = str(params.language_code) ?? '';
    if (lang !== '' && !/^[a-z]{2}$/.test(lang)) bad('invalid language code specified');
    return `${stableKey(scope)}|${lang}`;
  }

  // ───────────────────────────── methods ─────────────────────────────

  private buildHandlers(): Record<string, (p: Params, ctx: CallCtx) => unknown> {
    return {
      getMe: () => ({
        ...this.botInfo,
        can_join_groups: true,
        can_read_all_group_messages: false,
        supports_inline_queries: false,
        can_connect_to_business: false,
        has_main_web_app: false,
      }),
      logOut: () => true,
      close: () => true,

      setMyCommands: (p) => {
        const commands = p.commands;
        if (!Array.isArray(commands)) bad('parameter "commands" must be an Array');
        if (commands.length > 100) bad('too many commands specified');
        for (const c of commands as AnyObj[]) {
          if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) bad('BOT_COMMAND_INVALID');
          if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256)
            bad('BOT_COMMAND_DESCRIPTION_INVALID');
        }
        this.commands.set(this.commandKey(p), clone(commands));
        return true;
      },
      getMyCommands: (p) => clone(this.commands.get(this.commandKey(p)) ?? []),
      deleteMyCommands: (p) => {
        this.commands.delete(this.commandKey(p));
        return true;
      },
      setMyDescription: (p) => this.setBotText('description', p),
      getMyDescription: (p) => ({ description: this.botTexts.get(`description|${str(p.language_code) ?? ''}`) ?? '' }),
      setMyShortDescription: (p) => this.setBotText('short_description', p),
      getMyShortDescription: (p) => ({ short_description: this.botTexts.get(`short_description|${str(p.language_code) ?? ''}`) ?? '' }),
      setMyName: (p) => this.setBotText('name', p),
      getMyName: (p) => ({ name: this.botTexts.get(`name|${str(p.language_code) ?? ''}`) ?? this.botInfo.first_name }),
      setChatMenuButton: (p) => {
        const button = (p.menu_button as AnyObj | undefined) ?? { type: 'default' };
        if (typeof button !== 'object' || !['default', 'commands', 'web_app'].includes(button.type)) bad('unsupported menu button type');
        if (button.type === 'web_app') {
          if (typeof button.text !== 'string' || button.text.trim() === '') bad('menu button text must be non-empty');
          if (!isWebAppUrl((button.web_app as AnyObj | undefined)?.url)) bad('BUTTON_URL_INVALID');
        }
        if (p.chat_id === undefined) this.defaultMenuButton = clone(button);
        else this.requireChat(p).menuButton = clone(button);
        return true;
      },
      getChatMenuButton: (p) => this.menuButton(p.chat_id === undefined ? undefined : this.requireChat(p).chat.id),

      setWebhook: (p) => {
        const url = str(p.url) ?? '';
        if (url === '') {
          const had = !!this.webhook;
          this.webhook = undefined;
          if (p.drop_pending_updates === true) this.dropPending();
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
        if (Array.isArray(p.allowed_updates)) this.allowedUpdates = (p.allowed_updates as string[]).slice();
        const same = this.webhook?.url === url && this.webhook.secret_token === secret && this.webhook.max_connections === max;
        this.webhook = { url, secret_token: secret, max_connections: max };
        if (p.drop_pending_updates === true) this.dropPending();
        // a new webhook gets the pending updates at once, not after the old one's backoff
        for (const e of this.pending) e.nextAttemptAt = 0;
        if (this.webhookWake) clearTimeout(this.webhookWake.timer);
        this.webhookWake = undefined;
        for (const poller of [...this.pollers]) poller.finish(new ApiError(409, 'Conflict: terminated by setWebhook request'));
        this.kick();
        return new Described(true, same ? 'Webhook is already set' : 'Webhook was set');
      },
      deleteWebhook: (p) => {
        const had = !!this.webhook;
        this.webhook = undefined;
        if (this.webhookWake) clearTimeout(this.webhookWake.timer);
        this.webhookWake = undefined;
        if (p.drop_pending_updates === true) this.dropPending();
        return new Described(true, had ? 'Webhook was deleted' : 'Webhook is already deleted');
      },
      getWebhookInfo: () => ({
        url: this.webhook?.url ?? '',
        has_custom_certificate: false,
        pending_update_count: this.pending.length,
        ...(this.webhook
          ? {
              max_connections: this.webhook.max_connections,
              ip_address: '127.0.0.1',
              ...(this.webhook.last_error_date
                ? { last_error_date: this.webhook.last_error_date, last_error_message: this.webhook.last_error_message }
                : {}),
            }
          : {}),
        ...(this.allowedUpdates?.length ? { allowed_updates: [...this.allowedUpdates] } : {}),
      }),
      getUpdates: (p, ctx) => this.getUpdates(p, ctx),

      sendMessage: (p) => {
        const chat = this.requireChat(p);
        const content = this.textContent(p);
        const markup = validateMarkup(p.reply_markup);
        const threadId = this.resolveThread(chat, p);
        const reply = this.resolveReply(chat, p);
        if (p.link_preview_options !== undefined) content.link_preview_options = clone(p.link_preview_options);
        return this.telegramView(this.addMessage(chat, this.botInfo, true, content, { threadId, reply, markup }));
      },
      sendPhoto: (p, ctx) => this.sendMedia('photo', p, ctx),
      sendDocument: (p, ctx) => this.sendMedia('document', p, ctx),
      sendVoice: (p, ctx) => this.sendMedia('voice', p, ctx),
      copyMessage: (p) => {
        const chat = this.requireChat(p);
        const { stored: source } = this.findOwnMessage(p, 'copy', 'from_chat_id');
        const content = this.copyContent(source.message, p);
        const markup = validateMarkup(p.reply_markup);
        const threadId = this.resolveThread(chat, p);
        const reply = this.resolveReply(chat, p);
        const stored = this.addMessage(chat, this.botInfo, true, content, { threadId, reply, markup });
        return { message_id: stored.message.message_id };
      },
      forwardMessage: (p) => {
        const chat = this.requireChat(p);
        const { chat: fromChat, stored: source } = this.findOwnMessage(p, 'forward', 'from_chat_id');
        if (this.isService(source.message)) bad("message can't be forwarded");
        const content: AnyObj = {};
        for (const k of ['text', 'entities', 'caption', 'caption_entities', 'contact', 'location', ...FILE_KEYS]) {
          if (source.message[k] !== undefined) content[k] = clone(source.message[k]);
        }
        content.forward_origin =
          fromChat.chat.type === 'private'
            ? { type: 'user', date: source.message.date, sender_user: clone(source.message.from) }
            : { type: 'chat', date: source.message.date, sender_chat: clone(fromChat.chat) };
        const threadId = this.resolveThread(chat, p);
        return this.telegramView(this.addMessage(chat, this.botInfo, true, content, { threadId }));
      },
      editMessageText: (p) => {
        const { chat, stored } = this.findOwnMessage(p, 'edit');
        if (!stored.fromBot) bad("message can't be edited");
        if (stored.message.text === undefined) bad('there is no text in the message to edit');
        const content = this.textContent(p);
        const markup = validateMarkup(p.reply_markup);
        if (markup && !isInline(markup)) bad('inline keyboard expected');
        return this.applyEdit(chat, stored, { text: content.text, entities: content.entities }, markup);
      },
      editMessageCaption: (p) => {
        const { chat, stored } = this.findOwnMessage(p, 'edit');
        if (!stored.fromBot) bad("message can't be edited");
        if (!FILE_KEYS.some((k) => stored.message[k] !== undefined)) bad('there is no caption in the message to edit');
        const caption = this.captionContent(p);
        const markup = validateMarkup(p.reply_markup);
        if (markup && !isInline(markup)) bad('inline keyboard expected');
        return this.applyEdit(chat, stored, { caption: caption.caption, caption_entities: caption.caption_entities }, markup);
      },
      editMessageReplyMarkup: (p) => {
        const { chat, stored } = this.findOwnMessage(p, 'edit');
        if (!stored.fromBot) bad("message can't be edited");
        const markup = validateMarkup(p.reply_markup);
        if (markup && !isInline(markup)) bad('inline keyboard expected');
        return this.applyEdit(chat, stored, {}, markup);
      },
      deleteMessage: (p) => {
        const { chat, stored } = this.findOwnMessage(p, 'delete');
        this.removeMessage(chat, stored.message.message_id);
        return true;
      },
      deleteMessages: (p) => {
        const chat = this.requireChat(p);
        const ids = p.message_ids;
        if (!Array.isArray(ids) || ids.length < 1 || ids.length > 100) bad('message_ids must be an Array of 1-100 identifiers');
        for (const id of ids) if (chat.messages.has(id as number)) this.removeMessage(chat, id as number);
        return true;
      },
      answerCallbackQuery: (p) => {
        const id = str(p.callback_query_id);
        const query = id ? this.callbackQueries.get(id) : undefined;
        if (!id || !query || query.answer) bad('query is too old and response timeout expired or query ID is invalid');
        const text = str(p.text);
        if (text !== undefined && text.length > 200) bad('MESSAGE_TOO_LONG');
        const answer: CallbackAnswer = {
          callback_query_id: id,
          ...(text !== undefined ? { text } : {}),
          ...(p.show_alert !== undefined ? { show_alert: p.show_alert === true } : {}),
          ...(str(p.url) !== undefined ? { url: str(p.url) } : {}),
          ...(int(p.cache_time) !== undefined ? { cache_time: int(p.cache_time) } : {}),
          at: new Date(this.opts.now()),
        };
        query.answer = answer;
        this.emit({ type: 'callbackAnswer', chatId: query.chatId, answer: clone(answer) });
        for (const w of this.answerWaiters.get(id) ?? []) w(clone(answer));
        this.answerWaiters.delete(id);
        return true;
      },
      sendChatAction: (p) => {
        const chat = this.requireChat(p);
        const action = str(p.action);
        if (!action || !CHAT_ACTIONS.has(action)) bad('wrong parameter action in request');
        this.resolveThread(chat, p);
        this.emit({ type: 'chatAction', chatId: chat.chat.id, action });
        return true;
      },
      getFile: (p) => {
        const id = str(p.file_id);
        const file = id ? this.fileStore.get(id) : undefined;
        if (!file) bad('invalid file_id');
        if (file.file_size > 20 * 1024 * 1024) bad('file is too big');
        let filePath = file.file_path;
        const dir = this.opts.localFilesDir;
        if (dir && file.bytes) {
          filePath = path.join(dir, file.file_path);
          fs.mkdirSync(path.dirname(filePath), { recursive: true });
          fs.writeFileSync(filePath, file.bytes);
          this.localPaths.set(filePath, file);
        }
        return { file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, file_path: filePath };
      },

      createForumTopic: (p) => {
        const chat = this.requireChat(p);
        if (!chat.chat.is_forum) bad('the chat is not a forum');
        if (!chat.botIsAdmin) bad('not enough rights to create a topic');
        const name = str(p.name) ?? '';
        if (name.length < 1 || name.length > 128) bad('TOPIC_TITLE_EMPTY');
        const color = int(p.icon_color) ?? 7322096;
        if (!TOPIC_COLORS.has(color)) bad('TOPIC_ICON_COLOR_INVALID');
        const emoji = str(p.icon_custom_emoji_id);
        const stored = this.createTopicIn(chat, this.botInfo, true, name, color, emoji);
        const topic = chat.topics.get(stored.message.message_id)!;
        return {
          message_thread_id: topic.message_thread_id,
          name: topic.name,
          icon_color: topic.icon_color,
          ...(topic.icon_custom_emoji_id ? { icon_custom_emoji_id: topic.icon_custom_emoji_id } : {}),
        };
      },
      editForumTopic: (p) => {
        const chat = this.requireChat(p);
        const topic = this.topicOf(chat, p);
        if (!chat.botIsAdmin) bad('not enough rights to edit a topic');
        const name = str(p.name);
        const emoji = str(p.icon_custom_emoji_id);
        if (name !== undefined && (name.length < 1 || name.length > 128)) bad('TOPIC_TITLE_EMPTY');
        if ((name === undefined || name === topic.name) && (emoji === undefined || emoji === topic.icon_custom_emoji_id))
          bad('TOPIC_NOT_MODIFIED');
        if (name !== undefined) topic.name = name;
        if (emoji !== undefined) topic.icon_custom_emoji_id = emoji || undefined;
        this.addMessage(
          chat,
          this.botInfo,
          true,
          {
            forum_topic_edited: {
              ...(name !== undefined ? { name } : {}),
              ...(emoji !== undefined ? { icon_custom_emoji_id: emoji } : {}),
            },
          },
          { threadId: topic.message_thread_id },
        );
        return true;
      },
      closeForumTopic: (p) => this.setTopicClosed(p, true),
      reopenForumTopic: (p) => this.setTopicClosed(p, false),
      deleteForumTopic: (p) => {
        const chat = this.requireChat(p);
        const topic = this.topicOf(chat, p);
        if (!chat.botIsAdmin) bad('not enough rights to delete a topic');
        this.hub.deleteTopic(chat.chat.id, topic.message_thread_id);
        return true;
      },

      getChat: (p) => {
        const chat = this.requireChat(p);
        return {
          ...clone(chat.chat),
          accent_color_id: 0,
          max_reaction_count: 11,
          accepted_gift_types: { unlimited_gifts: false, limited_gifts: false, unique_gifts: false, premium_subscription: false },
          ...(chat.chat.type === 'supergroup' ? { permissions: { can_send_messages: true } } : {}),
        };
      },
      getChatMember: (p) => {
        const chat = this.requireChat(p);
        const userId = int(p.user_id);
        if (userId === undefined) bad('user_id is empty');
        return this.memberOf(chat, userId);
      },
      getChatAdministrators: (p) => {
        const chat = this.requireChat(p);
        if (chat.chat.type === 'private') bad('there are no administrators in the private chat');
        const out = [...chat.admins.values()].map((a) => this.adminObject(a.user, a.status));
        if (chat.botIsAdmin) out.push(this.adminObject(this.botInfo, 'administrator'));
        return out;
      },
      getChatMemberCount: (p) => {
        const chat = this.requireChat(p);
        const ids = new Set([...chat.admins.keys(), ...chat.members.keys(), this.botInfo.id]);
        return ids.size;
      },
    };
  }

  private setBotText(kind: string, p: Params): true {
    const value = str(p[kind]) ?? '';
    const key = `${kind}|${str(p.language_code) ?? ''}`;
    if (value === '') this.botTexts.delete(key);
    else this.botTexts.set(key, value);
    return true;
  }

  private setTopicClosed(p: Params, closed: boolean): true {
    const chat = this.requireChat(p);
    const topic = this.topicOf(chat, p);
    if (!chat.botIsAdmin) bad('not enough rights to manage topics');
    if (topic.is_closed === closed) bad('TOPIC_NOT_MODIFIED');
    topic.is_closed = closed;
    this.addMessage(chat, this.botInfo, true, closed ? { forum_topic_closed: {} } : { forum_topic_reopened: {} }, {
      threadId: topic.message_thread_id,
    });
    return true;
  }

  private getUpdates(p: Params, ctx: CallCtx): Update[] | Promise<Update[]> {
    if (this.webhook)
      throw new ApiError(
        409,
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first",
      );
    for (const other of [...this.pollers]) {
      other.finish(new ApiError(409, 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running'));
    }
    const offset = int(p.offset);
    const limit = Math.min(100, Math.max(1, int(p.limit) ?? 100));
    const timeoutSec = Math.max(0, int(p.timeout) ?? 0);
    if (Array.isArray(p.allowed_updates)) this.allowedUpdates = (p.allowed_updates as string[]).slice();
    if (offset !== undefined && offset !== 0) this.confirm(offset);
    const ready = this.available(limit);
    if (ready.length || timeoutSec === 0 || this.stopped) return this.handOver(ready);
    return new Promise<Update[]>((resolve, reject) => {
      const poller: Poller = {
        limit,
        finish: (r) => {
          if (!this.pollers.delete(poller)) return;
          this.clearLater(timer);
          if (r instanceof ApiError) reject(r);
          else resolve(r);
        },
      };
      const timer = this.later(() => poller.finish([]), Math.min(timeoutSec * 1000, this.opts.maxLongPollMs));
      this.pollers.add(poller);
      ctx.onAbort?.(() => poller.finish([]));
    });
  }

  // ───────────────────────────── hub for simulated users ─────────────────────────────

  private buildHub(): Hub {
    // The hub's getters read live fields of this server; arrow functions alone cannot define a getter.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const self = this;
    return {
      get defaultWaitMs() {
        return self.opts.defaultWaitMs;
      },
      botUser: () => self.botUser,
      registerUser: (spec) => {
        const user: User = {
          id: spec.id,
          is_bot: false,
          first_name: spec.first_name,
          ...(spec.last_name ? { last_name: spec.last_name } : {}),
          ...(spec.username ? { username: spec.username } : {}),
          ...(spec.language_code ? { language_code: spec.language_code } : {}),
          ...(spec.is_premium ? { is_premium: true as const } : {}),
        };
        self.users.set(user.id, user);
        return clone(user);
      },
      addUserMessage: (chatId, from, content, opts) => {
        const chat = self.chats.get(chatId);
        if (!chat) throw new Error(`no chat ${chatId}`);
        let reply: StoredMessage | undefined;
        if (opts.replyTo !== undefined) {
          reply = chat.messages.get(opts.replyTo);
          if (!reply) throw new Error(`chat ${chatId} shows no message ${opts.replyTo} to reply to`);
        }
        return self.telegramView(self.addMessage(chat, from, false, clone(content), { threadId: opts.threadId, reply }));
      },
      enqueue: (update) => self.enqueue(update as AnyObj, false),
      newCallbackQueryId: (chatId) => {
        const id = `${BigInt.asUintN(63, BigInt('0x' + randomBytes(8).toString('hex')))}`;
        self.callbackQueries.set(id, { chatId });
        return id;
      },
      answerOf: (id) => self.answerOf(id),
      waitForAnswer: (id, ms) => {
        const known = self.callbackQueries.get(id)?.answer;
        if (known) return Promise.resolve(clone(known));
        return self.waitWithTimeout<CallbackAnswer>(
          ms,
          () => `callback query ${id} was not answered (answerCallbackQuery) within ${ms} ms. Recent calls:\n${self.describeRecentCalls()}`,
          (resolve) => {
            const list = self.answerWaiters.get(id) ?? [];
            list.push(resolve);
            self.answerWaiters.set(id, list);
            return () => {
              const l = self.answerWaiters.get(id);
              if (l)
                self.answerWaiters.set(
                  id,
                  l.filter((f) => f !== resolve),
                );
            };
          },
        );
      },
      shownMessages: (chatId, opts) => {
        const chat = self.chats.get(chatId);
        if (!chat) return [];
        const out: ShownMessage[] = [];
        for (const stored of chat.messages.values()) {
          if (!opts.includeUser && (!stored.fromBot || stored.service)) continue;
          if (opts.threadId !== undefined && stored.threadId !== opts.threadId) continue;
          out.push(self.shown(stored));
        }
        return out;
      },
      telegramMessage: (chatId, messageId) => {
        const stored = self.chats.get(chatId)?.messages.get(messageId);
        return stored ? self.telegramView(stored) : undefined;
      },
      replyKeyboard: (chatId) => clone(self.chats.get(chatId)?.replyKeyboard),
      markStarted: (chatId) => {
        const chat = self.chats.get(chatId);
        if (chat) chat.started = true;
      },
      currentSeq: () => self.seq,
      callCount: () => self.callCounter,
      waitForBotMessage: (chatId, threadId, afterSeq, ms) => {
        const entry = self.botLog.find(
          (e) => e.chatId === chatId && e.seq > afterSeq && (threadId === undefined || e.threadId === threadId),
        );
        if (entry) {
          const current = self.chats.get(chatId)?.messages.get(entry.messageId);
          return Promise.resolve({ message: current ? self.shown(current) : clone(entry.snapshot), seq: entry.seq });
        }
        return self.waitWithTimeout<{ message: ShownMessage; seq: number }>(
          ms,
          () =>
            `no new bot message in chat ${chatId}${threadId !== undefined ? ` topic ${threadId}` : ''} within ${ms} ms. Recent calls:\n${self.describeRecentCalls()}`,
          (resolve) => {
            const waiter = { chatId, threadId, afterSeq, resolve };
            self.botMessageWaiters.add(waiter);
            return () => self.botMessageWaiters.delete(waiter);
          },
        );
      },
      waitForCall: (predicate, opts) => self.waitForCallInternal(predicate, opts),
      addFile: (kind, input) => self.fileStore.add(kind, input),
      fileOf: (target) => {
        let fileId: string | undefined;
        if (typeof target === 'string') fileId = target;
        else if (target && typeof target === 'object') {
          const m = target as AnyObj;
          if (Array.isArray(m.photo) && m.photo.length) {
            fileId = [...m.photo].sort((a, b) => (b.file_size ?? 0) - (a.file_size ?? 0) || b.width * b.height - a.width * a.height)[0]
              .file_id;
          } else {
            for (const k of FILE_KEYS) if (m[k]?.file_id) fileId = m[k].file_id;
          }
        }
        if (!fileId) throw new Error('fileOf: the message has no file (document, photo, voice, ...)');
        const file = self.fileStore.get(fileId);
        if (!file) throw new Error(`fileOf: unknown file_id ${fileId}`);
        if (!file.bytes) throw new Error(`fileOf: file ${fileId} was sent by URL (${file.url}); the stand-in has no bytes for it`);
        return Buffer.from(file.bytes);
      },
      topicExists: (chatId, threadId) => {
        const chat = self.chats.get(chatId);
        if (!chat) return false;
        const topic = chat.topics.get(threadId);
        if (topic) return !topic.deleted;
        return !chat.chat.is_forum && chat.messages.has(threadId);
      },
      createTopic: (chatId, from, name, iconColor) => {
        const chat = self.chats.get(chatId);
        if (!chat) throw new Error(`no chat ${chatId}`);
        if (!chat.chat.is_forum) throw new Error(`chat ${chatId} is not a forum`);
        const stored = self.createTopicIn(chat, from, from.id === self.botInfo.id, name, iconColor ?? 7322096);
        return self.telegramView(stored);
      },
      deleteTopic: (chatId, threadId) => {
        const chat = self.chats.get(chatId);
        const topic = chat?.topics.get(threadId);
        if (!chat || !topic || topic.deleted) throw new Error(`chat ${chatId} has no topic ${threadId}`);
        topic.deleted = true;
        for (const [id, stored] of [...chat.messages]) if (stored.threadId === threadId) self.removeMessage(chat, id);
      },
      setBlockedByUser: (chatId, blocked) => {
        const chat = self.chats.get(chatId);
        if (chat) chat.blockedByUser = blocked;
      },
      setGroupRoles: (chatId, roles) => {
        const chat = self.chats.get(chatId);
        if (!chat) throw new Error(`no chat ${chatId}`);
        if (roles.admins) {
          chat.admins.clear();
          for (const a of roles.admins) chat.admins.set(a.user.id, { user: clone(a.user), status: a.status });
        }
        for (const m of roles.members ?? []) chat.members.set(m.id, clone(m));
      },
      addGroupMember: (chatId, user) => {
        const chat = self.chats.get(chatId);
        if (chat && !chat.admins.has(user.id)) chat.members.set(user.id, clone(user));
      },
    };
  }
}
