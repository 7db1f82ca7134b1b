/**
 * What simulated users and groups may do inside the stand-in. The BotApiStandin implements it and hands
 * it to them, so that these internals stay off the stand-in's public surface.
 */
import type { FileKind } from './files';
import type { AnyMarkup } from './markup';
import type { CallRecord, CallbackAnswer, DeliveryResult, Message, ShownMessage, StoredFile, Update, User, UserSpec } from './types';

export interface Hub {
  readonly defaultWaitMs: number;
  botUser(): User;
  registerUser(spec: UserSpec): User;
  /** Stores a message a user wrote and returns it (a copy). */
  addUserMessage(chatId: number, from: User, content: Record<string, unknown>, opts: { threadId?: number; replyTo?: number }): Message;
  /** Queues an update (update_id assigned here); the promise settles when the bot got it. */
  enqueue(update: Omit<Update, 'update_id'>): { update: Update; delivered: Promise<DeliveryResult> };
  newCallbackQueryId(chatId: number): string;
  answerOf(queryId: string): CallbackAnswer | undefined;
  waitForAnswer(queryId: string, timeoutMs: number): Promise<CallbackAnswer>;
  shownMessages(chatId: number, opts: { threadId?: number; includeUser?: boolean }): ShownMessage[];
  /** The Message object as Telegram would put it into a callback query (current state, inline markup only). */
  telegramMessage(chatId: number, messageId: number): Message | undefined;
  replyKeyboard(chatId: number): AnyMarkup | undefined;
  markStarted(chatId: number): void;
  currentSeq(): number;
  callCount(): number;
  waitForBotMessage(
    chatId: number,
    threadId: number | undefined,
    afterSeq: number,
    timeoutMs: number,
  ): Promise<{ message: ShownMessage; seq: number }>;
  waitForCall(predicate: (c: CallRecord) => boolean, opts: { timeoutMs: number; since: number; description: string }): Promise<CallRecord>;
  addFile(kind: FileKind, input: { bytes: Buffer; file_name?: string; mime_type?: string }): StoredFile;
  fileOf(messageOrFileId: unknown): Buffer;
  topicExists(chatId: number, threadId: number): boolean;
  createTopic(chatId: number, from: User, name: string, iconColor?: number): Message;
  deleteTopic(chatId: number, threadId: number): void;
  setBlockedByUser(chatId: number, blocked: boolean): void;
  setGroupRoles(chatId: number, roles: { admins?: Array<{ user: User; status: 'creator' | 'administrator' }>; members?: User[] }): void;
  addGroupMember(chatId: number, user: User): void;
}
