/**
 * Limits and faults: what the stand-in does to a call before its handler runs. Injected faults
 * (`failNext`, `failAlways`), chats that answer 403 (`blockUser`), and Telegram-style rate limits in
 * sliding windows of accepted message-creating calls (the last 1 s, the last 60 s for a group).
 */
import { firstAfter } from './state';
import { ApiError, type ApiErrorBody, type FaultSpec, type RateLimitConfig } from './types';

export class Limits {
  private readonly faults = new Map<string, FaultSpec[]>();
  /** Faults that hold until cleared (an outage), by method or '*'. */
  private readonly standingFaults = new Map<string, FaultSpec>();
  private readonly blocked = new Map<number, string>();
  private rateLimit?: RateLimitConfig;
  private sentTimes: number[] = [];
  private readonly sentTimesByChat = new Map<number, number[]>();

  failNext(method: string, fault: FaultSpec, times: number): void {
    const list = this.faults.get(method) ?? [];
    for (let i = 0; i < times; i++) list.push(fault);
    this.faults.set(method, list);
  }

  failAlways(method: string, fault: FaultSpec): void {
    this.standingFaults.set(method, fault);
  }

  clearFaults(): void {
    this.faults.clear();
    this.standingFaults.clear();
  }

  blockUser(chatId: number, description: string): void {
    this.blocked.set(chatId, description);
  }

  unblockUser(chatId: number): void {
    this.blocked.delete(chatId);
  }

  /** The 403 description of a chat blocked by `blockUser`, if it is. */
  blockedReason(chatId: number): string | undefined {
    return this.blocked.get(chatId);
  }

  setRateLimit(limits: RateLimitConfig | undefined): void {
    this.rateLimit = limits;
    this.sentTimes = [];
    this.sentTimesByChat.clear();
  }

  /** The fault this call of `method` meets: a queued one first (that method's, then any method's), else a standing one. */
  takeFault(method: string): FaultSpec | undefined {
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

  /**
   * Checked and counted in one step, so two calls in flight at once cannot both take the last place:
   * above a limit the call is answered 429, else it is counted at once. Returns how many calls the last
   * second holds (the stats' peak).
   */
  takeRateLimitPlace(chatId: number, now: number): number {
    if (this.rateLimit) this.checkRateLimit(this.rateLimit, chatId, now);
    return this.noteSent(chatId, now);
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

  private noteSent(chatId: number, now: number): number {
    this.sentTimes.push(now);
    const drop = firstAfter(this.sentTimes, now - 1000);
    if (drop > 1000) this.sentTimes = this.sentTimes.slice(drop);
    const lastSecond = this.sentTimes.length - firstAfter(this.sentTimes, now - 1000);
    let chatTimes = this.sentTimesByChat.get(chatId) ?? [];
    chatTimes.push(now);
    const old = firstAfter(chatTimes, now - 60000);
    if (old > 100) chatTimes = chatTimes.slice(old);
    this.sentTimesByChat.set(chatId, chatTimes);
    return lastSecond;
  }
}

/** The parameters an injected fault answers with (retry_after, migrate_to_chat_id), if any. */
export function faultParameters(fault: { retry_after?: number; migrate_to_chat_id?: number }): ApiErrorBody['parameters'] {
  const p: NonNullable<ApiErrorBody['parameters']> = {};
  if (fault.retry_after !== undefined) p.retry_after = fault.retry_after;
  if (fault.migrate_to_chat_id !== undefined) p.migrate_to_chat_id = fault.migrate_to_chat_id;
  return Object.keys(p).length ? p : undefined;
}
