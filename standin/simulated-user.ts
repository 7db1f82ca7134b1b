/**
 * Simulated Telegram users and groups: they write to the bot through the stand-in (updates delivered by
 * webhook or getUpdates) and read what the bot shows them.
 */
import type { InlineKeyboardButton, KeyboardButton, MessageEntity, ReplyKeyboardMarkup } from 'grammy/types';
import { detectEntities } from './html';
import type { Hub } from './hub';
import { guessMime, imageSize } from './files';
import { isInline, isReplyKeyboard } from './markup';
import type { CallRecord, CallbackAnswer, DeliveryResult, Message, ShownMessage, Update, User, UserSpec } from './types';

export interface ActionOptions {
  /** Wait until the bot got the update (webhook answered 2xx, or getUpdates returned it). Default true. */
  wait?: boolean;
  /** How long to wait for that. Default: the stand-in's defaultWaitMs (5 s). */
  timeoutMs?: number;
  /** Reply to this message id. */
  replyTo?: number;
}

/** Which inline button to press: its exact text, a pattern, a predicate, or a message id with callback data. */
export type ButtonTarget =
  string | RegExp | ((button: InlineKeyboardButton, message: ShownMessage) => boolean) | { messageId: number; data: string };

export interface ContactSpec {
  phone_number: string;
  first_name: string;
  last_name?: string;
  user_id?: number;
  vcard?: string;
}

/** Message-producing methods whose calls count as "the bot answered" for waitForReply. */
export const OUTPUT_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendDocument',
  'sendVoice',
  'sendAudio',
  'sendVideo',
  'sendAnimation',
  'sendSticker',
  'sendLocation',
  'sendContact',
  'sendMediaGroup',
  'copyMessage',
  'forwardMessage',
  'editMessageText',
  'editMessageCaption',
  'editMessageReplyMarkup',
  'deleteMessage',
  'deleteMessages',
]);

function withTimeout<T>(promise: Promise<T>, ms: number, message: () => string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(message())), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

/** Resolves when the bot got the update (unless opts.wait is false); rejects with an explanation after the timeout. */
async function awaitHandover(
  update: Update,
  delivered: Promise<DeliveryResult>,
  opts: ActionOptions,
  defaultMs: number,
  who: string,
): Promise<void> {
  if (opts.wait === false) {
    delivered.catch(() => undefined);
    return;
  }
  const ms = opts.timeoutMs ?? defaultMs;
  const kind = Object.keys(update).find((k) => k !== 'update_id');
  await withTimeout(
    delivered,
    ms,
    () =>
      `update ${update.update_id} (${kind}) from ${who} was not handed to the bot within ${ms} ms: ` +
      `no webhook answered it with 2xx and no getUpdates call fetched it (is the bot running against the stand-in?)`,
  );
}

function describeTarget(target: ButtonTarget): string {
  if (typeof target === 'string') return JSON.stringify(target);
  if (target instanceof RegExp) return String(target);
  if (typeof target === 'function') return 'matching the predicate';
  return `with data ${JSON.stringify(target.data)} in message ${target.messageId}`;
}

function buttonText(b: KeyboardButton): string {
  return typeof b === 'string' ? b : b.text;
}

/** One user in one chat (their private chat with the bot, or a group/topic): what they can do and see. */
export class ChatSession {
  /** Bot messages with a larger seq than this are "new" for nextBotMessage. */
  private seqCursor: number;
  /** Calls with an index from this on are "new" for waitForReply. */
  private callCursor: number;

  constructor(
    protected readonly hub: Hub,
    /** The Telegram user who acts in this session. */
    readonly from: User,
    readonly chatId: number,
    readonly threadId?: number,
    protected readonly phone?: string,
  ) {
    this.seqCursor = hub.currentSeq();
    this.callCursor = hub.callCount();
  }

  /** Sends a text message. Commands, @mentions and URLs in it get entities as Telegram's clients would. */
  sendText(text: string, opts: ActionOptions = {}): Promise<Update> {
    const entities = detectEntities(text);
    return this.post({ text, ...(entities.length ? { entities } : {}) }, opts);
  }

  /** Sends '/command payload' with a bot_command entity ('start' and '/start' both work). */
  sendCommand(command: string, payload?: string, opts: ActionOptions = {}): Promise<Update> {
    const cmd = command.startsWith('/') ? command : `/${command}`;
    const text = payload !== undefined && payload !== '' ? `${cmd} ${payload}` : cmd;
    const entities: MessageEntity[] = [{ type: 'bot_command', offset: 0, length: cmd.length }];
    return this.post({ text, entities }, opts);
  }

  /**
   * Presses an inline button: the newest bot message in this chat (or topic) that has a matching button.
   * Sends a callback_query carrying that message; resolves with the callback query id (see answerOf).
   * With {messageId, data} any data can be sent for that message, as a modified client could.
   */
  async pressButton(target: ButtonTarget, opts: ActionOptions = {}): Promise<string> {
    const shown = this.messages();
    let message: ShownMessage | undefined;
    let data: string | undefined;
    if (typeof target === 'object' && !(target instanceof RegExp)) {
      message = shown.find((m) => m.message_id === target.messageId);
      if (!message) throw new Error(`pressButton: the bot shows no message ${target.messageId} in chat ${this.chatId}`);
      data = target.data;
    } else {
      let button: InlineKeyboardButton | undefined;
      for (let i = shown.length - 1; i >= 0 && !button; i--) {
        const markup = shown[i].reply_markup;
        if (!isInline(markup)) continue;
        button = markup.inline_keyboard
          .flat()
          .find((b) =>
            typeof target === 'string' ? b.text === target : target instanceof RegExp ? target.test(b.text) : target(b, shown[i]),
          );
        if (button) message = shown[i];
      }
      if (!button || !message) {
        const present = shown
          .filter((m) => isInline(m.reply_markup))
          .map(
            (m) =>
              `#${m.message_id}: ${(m.reply_markup as { inline_keyboard: InlineKeyboardButton[][] }).inline_keyboard
                .flat()
                .map((b) => JSON.stringify(b.text))
                .join(', ')}`,
          );
        throw new Error(
          `pressButton: no inline button ${describeTarget(target)} in the bot's messages in chat ${this.chatId}` +
            (present.length ? `; buttons shown: ${present.join(' | ')}` : '; no message has an inline keyboard'),
        );
      }
      if (!('callback_data' in button)) {
        throw new Error(
          `pressButton: button ${JSON.stringify(button.text)} has no callback_data (${Object.keys(button)
            .filter((k) => k !== 'text')
            .join(', ')})`,
        );
      }
      data = button.callback_data;
    }
    const telegramMessage = this.hub.telegramMessage(this.chatId, message.message_id);
    const id = this.hub.newCallbackQueryId(this.chatId);
    this.markAction();
    const { update, delivered } = this.hub.enqueue({
      callback_query: {
        id,
        from: this.from,
        message: telegramMessage,
        chat_instance: `ci${Math.abs(this.chatId)}`,
        data,
      },
    } as Omit<Update, 'update_id'>);
    await this.awaitDelivery(update, delivered, opts);
    return id;
  }

  /** What the bot answered to a callback query (answerCallbackQuery), if it did yet. */
  answerOf(callbackQueryId: string): CallbackAnswer | undefined {
    return this.hub.answerOf(callbackQueryId);
  }

  /** Waits for the bot's answerCallbackQuery to the given query. */
  waitForAnswer(callbackQueryId: string, opts: { timeoutMs?: number } = {}): Promise<CallbackAnswer> {
    return this.hub.waitForAnswer(callbackQueryId, opts.timeoutMs ?? this.hub.defaultWaitMs);
  }

  /**
   * Presses a button of the reply keyboard the bot shows in this chat: sends its text, or for a
   * request_contact button a contact message with the user's own phone and user_id.
   */
  pressReplyButton(text: string, opts: ActionOptions = {}): Promise<Update> {
    const keyboard = this.hub.replyKeyboard(this.chatId);
    if (!isReplyKeyboard(keyboard)) {
      throw new Error(`pressReplyButton: the bot shows no reply keyboard in chat ${this.chatId}`);
    }
    const button = keyboard.keyboard.flat().find((b) => buttonText(b) === text);
    if (button === undefined) {
      throw new Error(
        `pressReplyButton: no button ${JSON.stringify(text)} on the reply keyboard; it has ${keyboard.keyboard
          .flat()
          .map((b) => JSON.stringify(buttonText(b)))
          .join(', ')}`,
      );
    }
    if (typeof button === 'object' && 'request_contact' in button && button.request_contact) {
      return this.post(
        {
          contact: {
            phone_number: this.phone ?? '',
            first_name: this.from.first_name,
            ...(this.from.last_name ? { last_name: this.from.last_name } : {}),
            user_id: this.from.id,
          },
        },
        opts,
      );
    }
    if (typeof button === 'object' && 'request_location' in button && button.request_location) {
      return this.post({ location: { latitude: 55.7558, longitude: 37.6173 } }, opts);
    }
    return this.sendText(text, opts);
  }

  /** The reply keyboard the bot currently shows in this chat, if any. */
  replyKeyboard(): ReplyKeyboardMarkup | undefined {
    const k = this.hub.replyKeyboard(this.chatId);
    return isReplyKeyboard(k) ? k : undefined;
  }

  /** Shares a contact (someone else's when user_id is absent or differs from the sender). */
  shareContact(contact: ContactSpec, opts: ActionOptions = {}): Promise<Update> {
    return this.post({ contact: { ...contact } }, opts);
  }

  sendDocument(
    doc: { buffer: Buffer; file_name: string; mime_type?: string; caption?: string },
    opts: ActionOptions = {},
  ): Promise<Update> {
    const mime_type = doc.mime_type ?? guessMime(doc.file_name) ?? 'application/octet-stream';
    const file = this.hub.addFile('document', { bytes: doc.buffer, file_name: doc.file_name, mime_type });
    return this.post(
      {
        document: {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          file_name: doc.file_name,
          mime_type,
          file_size: file.file_size,
        },
        ...this.captionOf(doc.caption),
      },
      opts,
    );
  }

  sendPhoto(photo: { buffer: Buffer; caption?: string }, opts: ActionOptions = {}): Promise<Update> {
    const file = this.hub.addFile('photo', { bytes: photo.buffer, mime_type: 'image/jpeg' });
    const size = imageSize(photo.buffer) ?? { width: 1, height: 1 };
    return this.post(
      {
        photo: [{ file_id: file.file_id, file_unique_id: file.file_unique_id, file_size: file.file_size, ...size }],
        ...this.captionOf(photo.caption),
      },
      opts,
    );
  }

  sendVoice(voice: { buffer: Buffer; duration?: number; mime_type?: string; caption?: string }, opts: ActionOptions = {}): Promise<Update> {
    const mime_type = voice.mime_type ?? 'audio/ogg';
    const file = this.hub.addFile('voice', { bytes: voice.buffer, mime_type });
    return this.post(
      {
        voice: {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          duration: voice.duration ?? 1,
          mime_type,
          file_size: file.file_size,
        },
        ...this.captionOf(voice.caption),
      },
      opts,
    );
  }

  /** A sticker (no file behind it that a bot could read as a document). */
  sendSticker(opts: ActionOptions & { emoji?: string } = {}): Promise<Update> {
    const file = this.hub.addFile('sticker', { bytes: Buffer.from('RIFF\0\0\0\0WEBP'), mime_type: 'image/webp' });
    return this.post(
      {
        sticker: {
          file_id: file.file_id,
          file_unique_id: file.file_unique_id,
          type: 'regular',
          width: 512,
          height: 512,
          is_animated: false,
          is_video: false,
          emoji: opts.emoji ?? '👍',
        },
      },
      opts,
    );
  }

  sendLocation(
    location: { latitude: number; longitude: number } = { latitude: 55.7558, longitude: 37.6173 },
    opts: ActionOptions = {},
  ): Promise<Update> {
    return this.post({ location }, opts);
  }

  /** What the bot currently shows here (its messages after edits and deletes), oldest first. */
  messages(): ShownMessage[] {
    return this.hub.shownMessages(this.chatId, { threadId: this.threadId });
  }

  /** The whole visible conversation here: the user's and the bot's messages, oldest first. */
  transcript(): ShownMessage[] {
    return this.hub.shownMessages(this.chatId, { threadId: this.threadId, includeUser: true });
  }

  lastBotMessage(): ShownMessage | undefined {
    const all = this.messages();
    return all[all.length - 1];
  }

  /**
   * The next new message of the bot here, after this session's last action (or the last message that
   * nextBotMessage returned). Waits for it if needed.
   */
  async nextBotMessage(opts: { timeoutMs?: number } = {}): Promise<ShownMessage> {
    const { message, seq } = await this.hub.waitForBotMessage(
      this.chatId,
      this.threadId,
      this.seqCursor,
      opts.timeoutMs ?? this.hub.defaultWaitMs,
    );
    this.seqCursor = seq;
    return message;
  }

  /**
   * The next successful call by which the bot changed what this chat shows (send*, copy, forward, edit*,
   * delete*), with call index >= afterCallCount (default: since this session's last action or last reply).
   */
  async waitForReply(opts: { afterCallCount?: number; timeoutMs?: number; methods?: string[] } = {}): Promise<CallRecord> {
    const methods = opts.methods ? new Set(opts.methods) : OUTPUT_METHODS;
    const since = opts.afterCallCount ?? this.callCursor;
    const call = await this.hub.waitForCall((c) => c.ok && c.chatId === this.chatId && methods.has(c.method), {
      timeoutMs: opts.timeoutMs ?? this.hub.defaultWaitMs,
      since,
      description: `a reply in chat ${this.chatId} (${[...methods].slice(0, 4).join(', ')}${methods.size > 4 ? ', ...' : ''}) from call #${since}`,
    });
    this.callCursor = call.index + 1;
    return call;
  }

  /** Bytes of a file the bot sent (or any message with a file). */
  fileOf(messageOrFileId: ShownMessage | Message | string): Buffer {
    return this.hub.fileOf(messageOrFileId);
  }

  protected captionOf(caption?: string): Record<string, unknown> {
    if (caption === undefined) return {};
    const entities = detectEntities(caption);
    return { caption, ...(entities.length ? { caption_entities: entities } : {}) };
  }

  protected markAction(): void {
    this.seqCursor = this.hub.currentSeq();
    this.callCursor = this.hub.callCount();
  }

  protected async post(content: Record<string, unknown>, opts: ActionOptions): Promise<Update> {
    if (this.threadId !== undefined && !this.hub.topicExists(this.chatId, this.threadId)) {
      throw new Error(`chat ${this.chatId} has no topic ${this.threadId} (never created, or deleted)`);
    }
    this.hub.markStarted(this.chatId);
    this.markAction();
    const message = this.hub.addUserMessage(this.chatId, this.from, content, { threadId: this.threadId, replyTo: opts.replyTo });
    const { update, delivered } = this.hub.enqueue({ message } as Omit<Update, 'update_id'>);
    await this.awaitDelivery(update, delivered, opts);
    return update;
  }

  protected awaitDelivery(update: Update, delivered: Promise<DeliveryResult>, opts: ActionOptions): Promise<void> {
    return awaitHandover(update, delivered, opts, this.hub.defaultWaitMs, `user ${this.from.id}`);
  }
}

/** A simulated Telegram user with a private chat with the bot. */
export class SimulatedUser extends ChatSession {
  constructor(
    hub: Hub,
    readonly spec: UserSpec,
    user: User,
  ) {
    super(hub, user, user.id, undefined, spec.phone ?? `7900${String(spec.id).padStart(7, '0').slice(-7)}`);
  }

  get id(): number {
    return this.from.id;
  }

  /** The phone a request_contact button shares. */
  get phoneNumber(): string {
    return this.phone ?? '';
  }

  /** The user blocks the bot: sends to them answer 403 and the bot gets a my_chat_member update (kicked). */
  blockBot(opts: ActionOptions = {}): Promise<Update> {
    this.hub.setBlockedByUser(this.id, true);
    return this.memberUpdate('member', 'kicked', opts);
  }

  /** The user unblocks the bot (restarts it). */
  unblockBot(opts: ActionOptions = {}): Promise<Update> {
    this.hub.setBlockedByUser(this.id, false);
    return this.memberUpdate('kicked', 'member', opts);
  }

  /** This user acting in a group (optionally in a forum topic). */
  in(group: SimulatedGroup, opts: { threadId?: number } = {}): ChatSession {
    return group.as(this, opts);
  }

  private async memberUpdate(oldStatus: 'member' | 'kicked', newStatus: 'member' | 'kicked', opts: ActionOptions): Promise<Update> {
    const bot = this.hub.botUser();
    const date = Math.floor(Date.now() / 1000);
    const member = (status: 'member' | 'kicked') => (status === 'kicked' ? { user: bot, status, until_date: 0 } : { user: bot, status });
    const { update, delivered } = this.hub.enqueue({
      my_chat_member: {
        chat: {
          id: this.id,
          type: 'private',
          first_name: this.from.first_name,
          ...(this.from.last_name ? { last_name: this.from.last_name } : {}),
          ...(this.from.username ? { username: this.from.username } : {}),
        },
        from: this.from,
        date,
        old_chat_member: member(oldStatus),
        new_chat_member: member(newStatus),
      },
    } as Omit<Update, 'update_id'>);
    await this.awaitDelivery(update, delivered, opts);
    return update;
  }
}

/** A simulated supergroup (optionally a forum with topics). */
export class SimulatedGroup {
  constructor(
    private readonly hub: Hub,
    readonly id: number,
    readonly title: string,
  ) {}

  /** A session of this user in the group (in a topic if threadId is given). The user becomes a member. */
  as(user: SimulatedUser | UserSpec, opts: { threadId?: number } = {}): ChatSession {
    const spec = user instanceof SimulatedUser ? user.spec : user;
    const tgUser = user instanceof SimulatedUser ? user.from : this.hub.registerUser(spec);
    this.hub.addGroupMember(this.id, tgUser);
    const phone = spec.phone ?? `7900${String(spec.id).padStart(7, '0').slice(-7)}`;
    return new ChatSession(this.hub, tgUser, this.id, opts.threadId, phone);
  }

  /** A user posts text into the group, into a topic with message_thread_id. */
  sendText(user: SimulatedUser | UserSpec, text: string, opts: ActionOptions & { message_thread_id?: number } = {}): Promise<Update> {
    return this.as(user, { threadId: opts.message_thread_id }).sendText(text, opts);
  }

  sendCommand(
    user: SimulatedUser | UserSpec,
    command: string,
    payload?: string,
    opts: ActionOptions & { message_thread_id?: number } = {},
  ): Promise<Update> {
    return this.as(user, { threadId: opts.message_thread_id }).sendCommand(command, payload, opts);
  }

  /** An admin creates a forum topic; the bot gets the forum_topic_created service message. Resolves with the thread id. */
  async createTopic(name: string, opts: ActionOptions & { by?: SimulatedUser | UserSpec; iconColor?: number } = {}): Promise<number> {
    const by = opts.by ? (opts.by instanceof SimulatedUser ? opts.by.from : this.hub.registerUser(opts.by)) : this.hub.botUser();
    const message = this.hub.createTopic(this.id, by, name, opts.iconColor);
    if (opts.by) {
      const { update, delivered } = this.hub.enqueue({ message } as Omit<Update, 'update_id'>);
      await awaitHandover(update, delivered, opts, this.hub.defaultWaitMs, `user ${by.id}`);
    }
    return message.message_id;
  }

  /** An admin deletes a topic: its messages vanish and sends into it answer "message thread not found". */
  deleteTopic(threadId: number): void {
    this.hub.deleteTopic(this.id, threadId);
  }

  /** The bot's visible messages in the group, or in one topic. */
  messages(opts: { threadId?: number; includeUser?: boolean } = {}): ShownMessage[] {
    return this.hub.shownMessages(this.id, opts);
  }

  setAdmins(admins: Array<SimulatedUser | UserSpec | { user: UserSpec; status: 'creator' | 'administrator' }>): void {
    this.hub.setGroupRoles(this.id, {
      admins: admins.map((a) => {
        if (a instanceof SimulatedUser) return { user: a.from, status: 'administrator' as const };
        if ('user' in a) return { user: this.hub.registerUser(a.user), status: a.status };
        return { user: this.hub.registerUser(a), status: 'administrator' as const };
      }),
    });
  }
}
