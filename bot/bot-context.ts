import { Context, type MiddlewareFn, type StorageAdapter } from 'grammy';
import type { Lang, Translate } from '../infra/i18n';
import type { Logger } from '../infra/logger';
import type { Person } from '../generated/prisma/client';
import type { BotContext, SessionData } from './context';
import type { BotServices } from './services';

/**
 * The context of every update (grammY's `ContextConstructor`): every property the bot gives a context is
 * made here, in the constructor, and `log` and `session` are accessors of the class. Before, the bot's
 * lazy logger and grammY's session plugin each defined an accessor on every context (`defineProperty`),
 * which gave each context a hidden class of its own, and with both V8 kept its properties in a
 * dictionary: each of the many `ctx.…` reads of an update went through a megamorphic or dictionary
 * lookup. Now every context shares one shape from its construction on.
 */
export class BotContextClass extends Context {
  override match: string | RegExpMatchArray | undefined = undefined;
  services: BotServices = undefined as unknown as BotServices;
  person: Person | null = null;
  lang: Lang = 'ru';
  t: Translate = undefined as unknown as Translate;
  /** Made when first read: most updates log nothing, and a pino child serialises its fields at once. */
  private logger: Logger | undefined = undefined;
  private chatSession: ChatSession | undefined = undefined;

  /** The bot's logger with the update's id and chat (attachServices gives the services first). */
  get log(): Logger {
    if (this.logger) return this.logger;
    if (!this.services) throw new Error('ctx.log is read before attachServices ran');
    return (this.logger = this.services.logger.child({ update_id: this.update.update_id, chat_id: this.chat?.id }));
  }

  set log(value: Logger) {
    this.logger = value;
  }

  get session(): SessionData {
    return this.openSession('access').get();
  }

  set session(value: SessionData | null | undefined) {
    this.openSession('assign').set(value);
  }

  /** The session middleware's (chatSession): the session this update reads and writes. */
  useSession(session: ChatSession): void {
    this.chatSession = session;
  }

  private openSession(what: 'access' | 'assign'): ChatSession {
    const session = this.chatSession;
    if (!session) throw new Error(`Cannot ${what} session data before the session middleware ran`);
    if (session.key === undefined) throw new Error(`Cannot ${what} session data because the session key was undefined!`);
    return session;
  }
}

/**
 * One update's session, as grammY's strict session plugin keeps it: read from the storage before the
 * handlers run (or `initial` when there is none, which then counts as written), written back after them
 * if they read or assigned it, deleted if they set it to null or undefined, left as it was if they threw.
 */
export class ChatSession {
  private value: SessionData | null | undefined = undefined;
  private read = false;
  private wrote = false;

  constructor(
    readonly key: string | undefined,
    private readonly storage: StorageAdapter<SessionData>,
    private readonly initial: () => SessionData,
  ) {}

  async load(): Promise<void> {
    if (this.key === undefined) return;
    // Nothing can assign the session before this ends: the context is given it afterwards (chatSession).
    const stored = await this.storage.read(this.key);
    if (stored !== undefined) {
      this.value = stored;
      return;
    }
    this.value = this.initial();
    this.wrote = true;
  }

  get(): SessionData {
    this.read = true;
    return this.value as SessionData;
  }

  set(value: SessionData | null | undefined): void {
    this.wrote = true;
    this.value = value;
  }

  async finish(): Promise<void> {
    if (this.key === undefined || !(this.read || this.wrote)) return;
    if (this.value == null) await this.storage.delete(this.key);
    else await this.storage.write(this.key, this.value);
  }
}

/** grammY's `session()` (strict, one session per chat) for BotContextClass: the same reads and writes. */
export function chatSession(options: {
  initial: () => SessionData;
  getSessionKey: (ctx: BotContext) => string | undefined;
  storage: StorageAdapter<SessionData>;
}): MiddlewareFn<BotContext> {
  return async (ctx, next) => {
    const session = new ChatSession(options.getSessionKey(ctx), options.storage, options.initial);
    await session.load();
    (ctx as unknown as BotContextClass).useSession(session);
    await next(); // no catch: nothing is written back when a handler throws
    await session.finish();
  };
}
