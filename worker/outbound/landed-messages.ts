import { AsyncLocalStorage } from 'node:async_hooks';
import type { Transformer } from 'grammy';

/** Where a delivery's last message landed: what the notification's record keeps. */
export interface Landed {
  chatId: bigint | null;
  messageId: number | null;
}

const current = new AsyncLocalStorage<Landed>();

/**
 * Watches the worker's Bot API calls: inside `trackLanded`, every message Telegram creates (sendMessage,
 * copyMessage, sendDocument, …; a support delivery may post a card and then the message) is noted, so
 * the notification's record says where its message is without each deliverer returning it.
 */
export const noteLandedMessages: Transformer = async (prev, method, payload, signal) => {
  const response = await prev(method, payload, signal);
  const landed = current.getStore();
  if (landed && response.ok) {
    const result = response.result as { message_id?: unknown; chat?: { id?: unknown } } | undefined;
    if (typeof result?.message_id === 'number') {
      landed.messageId = result.message_id;
      const chat = result.chat?.id ?? (payload as { chat_id?: unknown }).chat_id;
      landed.chatId = typeof chat === 'number' || typeof chat === 'bigint' ? BigInt(chat) : landed.chatId;
    }
  }
  return response;
};

/** Runs one delivery and returns, with its result, where its last message landed (null ids when none was created). */
export async function trackLanded<T>(deliver: () => Promise<T>): Promise<{ result: T; landed: Landed }> {
  const landed: Landed = { chatId: null, messageId: null };
  const result = await current.run(landed, deliver);
  return { result, landed };
}
