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
import { FileStore } from './files';
import { parseHtml } from './html';
import type { Hub } from './hub';
import { isInline, isReplyKeyboard, type AnyMarkup } from './markup';
import { Limits, faultParameters } from './limits';
import { methodTable, type MethodTable } from './methods';
import { createTopicIn } from './methods/chats';
import { SimulatedGroup, SimulatedUser } from './simulated-user';
import {
  type AnyObj,
  type CallCtx,
  type ChatState,
  type Params,
  type PendingUpdate,
  type Poller,
  type StoredMessage,
  type WebhookState,
  BLOCKABLE_METHODS,
  DEFAULT_EXCLUDED_UPDATES,
  Described,
  FILE_KEYS,
  MAX_BODY_BYTES,
  SEND_METHODS,
  SERVICE_KEYS,
  bad,
  chatKeyOf,
  stableKey,
  clone,
  int,
  str,
  updateType,
} from './state';
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

export class BotApiStandin {
  readonly opts: Required<Omit<StandinOptions, 'token' | 'webhookMaxAttempts' | 'localFilesDir'>> &
    Pick<StandinOptions, 'token' | 'webhookMaxAttempts' | 'localFilesDir'>;
  /** Absolute paths written for localFilesDir, to their files. */
  readonly localPaths = new Map<string, StoredFile>();
  readonly botInfo: User;
  private server?: http.Server;
  private root?: string;
  private readonly sockets = new Set<Socket>();
  stopped = false;

  private readonly chats = new Map<number, ChatState>();
  readonly users = new Map<number, User>();
  private readonly simulatedUsers = new Map<number, SimulatedUser>();
  private readonly groups = new Map<number, SimulatedGroup>();
  readonly fileStore = new FileStore();
  readonly commands = new Map<string, unknown[]>();
  readonly botTexts = new Map<string, string>();
  defaultMenuButton: unknown = { type: 'default' };

  webhook?: WebhookState;
  private handoverHook?: (update: Update) => Promise<void>;
  allowedUpdates?: string[];
  private nextUpdateId: number;
  pending: PendingUpdate[] = [];
  readonly pollers = new Set<Poller>();
  private webhookInflight = 0;
  webhookWake?: { at: number; timer: NodeJS.Timeout };
  private readonly outgoing = new Set<http.ClientRequest>();
  /**
   * Webhook deliveries keep their connections open, as Telegram's do (up to max_connections of them): a
   * new connection per update would charge the bot an accept and a close per update that it never pays.
   */
  private readonly webhookAgents = {
    'http:': new http.Agent({ keepAlive: true }),
    'https:': new https.Agent({ keepAlive: true, rejectUnauthorized: false }),
  };
  private flushScheduled?: NodeJS.Immediate;

  readonly callbackQueries = new Map<string, { chatId: number; answer?: CallbackAnswer }>();
  readonly answerWaiters = new Map<string, Array<(a: CallbackAnswer) => void>>();
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

  private readonly limits = new Limits();
  private latencyMs = 0;
  private statsData: StandinStats = BotApiStandin.emptyStats();

  private readonly listeners = new Set<(e: StandinEvent) => void>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly rejecters = new Set<(e: Error) => void>();

  private readonly handlers: MethodTable;
  private readonly methodNames = new Map<string, string>();
  readonly hub: Hub;

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
    for (const agent of Object.values(this.webhookAgents)) agent.destroy();
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

  emit(e: StandinEvent): void {
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
    this.limits.failNext(method, fault, times);
  }

  /**
   * Every call of method ('*' = any method) fails with this error (or a dropped connection) until
   * `clearFaults()`: Telegram down for minutes, e.g. answering 502 Bad Gateway. Queued `failNext` faults go first.
   */
  failAlways(method: string, fault: FaultSpec): void {
    this.limits.failAlways(method, fault);
  }

  /** Ends every injected fault: those queued by `failNext` and those standing by `failAlways`. */
  clearFaults(): void {
    this.limits.clearFaults();
  }

  /** Every send to this chat answers 403 (default "Forbidden: bot was blocked by the user"). */
  blockUser(chatId: number, description = 'Forbidden: bot was blocked by the user'): void {
    this.limits.blockUser(chatId, description);
  }

  unblockUser(chatId: number): void {
    this.limits.unblockUser(chatId);
  }

  /** Rate limits for message-creating calls; above them the answer is 429 with parameters.retry_after. undefined: no limits. */
  setRateLimit(limits: RateLimitConfig | undefined): void {
    this.limits.setRateLimit(limits);
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

  /** Forgets a stored file, as Telegram does one it no longer has: a send by its file_id is refused from then on. */
  forgetFile(fileId: string): boolean {
    return this.fileStore.forget(fileId);
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
      const fault = this.limits.takeFault(method);
      if (fault) {
        this.statsData.injected++;
        if ('reset' in fault) {
          reset = true;
          throw new ApiError(0, 'connection reset by the stand-in (failNext)');
        }
        throw new ApiError(fault.error_code, fault.description, faultParameters(fault));
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
    const description = this.limits.blockedReason(chatId);
    if (description) throw new ApiError(403, description);
    const chat = this.chats.get(chatId);
    if (chat?.chat.type === 'private') {
      if (chat.blockedByUser) throw new ApiError(403, 'Forbidden: bot was blocked by the user');
      if (!chat.started) throw new ApiError(403, "Forbidden: bot can't initiate conversation with a user");
    }
  }

  /** A place under the rate limits (standin/limits.ts), or 429; the peak per second goes to the stats. */
  private takeRateLimitPlace(chatId: number): void {
    const lastSecond = this.limits.takeRateLimitPlace(chatId, this.opts.now());
    if (lastSecond > this.statsData.maxSentPerSecond) this.statsData.maxSentPerSecond = lastSecond;
  }

  // ───────────────────────────── timers & waits ─────────────────────────────

  later(fn: () => void, ms: number): NodeJS.Timeout {
    const t = setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
    return t;
  }

  clearLater(t: NodeJS.Timeout | undefined): void {
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

  kick(): void {
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

  available(limit: number): PendingUpdate[] {
    return this.pending.filter((e) => !e.inflight).slice(0, limit);
  }

  handOver(entries: PendingUpdate[]): Update[] {
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
  confirm(offset: number): void {
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

  dropPending(): void {
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

  private deliver(entry: PendingUpdate, hook: WebhookState, freshConnection = false): void {
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
        agent: freshConnection ? false : this.webhookAgents[target.protocol === 'https:' ? 'https:' : 'http:'],
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
      if (req.reusedSocket && code === 'ECONNRESET' && !finished && !this.stopped) {
        // A kept connection the bot had closed meanwhile (a restart): sent again at once on a new one, as
        // HTTP clients do; not a failed attempt (the update id keeps a delivery that did arrive from counting twice).
        finished = true;
        this.outgoing.delete(req);
        this.webhookInflight--;
        entry.inflight = false;
        entry.attempts--;
        this.deliver(entry, hook, true);
        return;
      }
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

  requireChat(params: Params, key = 'chat_id'): ChatState {
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

  isService(message: AnyObj): boolean {
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

  resolveThread(chat: ChatState, params: Params): number | undefined {
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

  resolveReply(chat: ChatState, params: Params): StoredMessage | undefined {
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

  addMessage(
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

  telegramView(stored: StoredMessage): Message {
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

  textContent(params: Params): AnyObj {
    const raw = str(params.text);
    if (raw === undefined || raw.trim() === '') bad('message text is empty');
    const { text, entities } = this.formatText(raw, params.parse_mode, params.entities);
    if (text.trim() === '') bad('message text is empty');
    if (text.length > 4096) bad('message is too long');
    return { text, ...(entities ? { entities } : {}) };
  }

  captionContent(params: Params): AnyObj {
    const raw = str(params.caption);
    if (raw === undefined || raw === '') return {};
    const { text, entities } = this.formatText(raw, params.parse_mode, params.caption_entities);
    if (text.length > 1024) bad('message caption is too long');
    return { caption: text, ...(entities ? { caption_entities: entities } : {}) };
  }

  findOwnMessage(
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

  applyEdit(chat: ChatState, stored: StoredMessage, change: AnyObj, markup: AnyMarkup | undefined): Message {
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

  removeMessage(chat: ChatState, id: number): void {
    chat.messages.delete(id);
    this.emit({ type: 'delete', chatId: chat.chat.id, messageId: id });
  }

  copyContent(source: AnyObj, params: Params): AnyObj {
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

  // ───────────────────────────── methods ─────────────────────────────

  private buildHandlers(): MethodTable {
    // One table, assembled from one file per Bot API area (standin/methods/): a method is found by its name.
    return methodTable(this);
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
        const stored = createTopicIn(self, chat, from, from.id === self.botInfo.id, name, iconColor ?? 7322096);
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
