import type { Transformer } from 'grammy';

/** Where a delivery's last message landed: what the notification's record keeps. */
export interface Landed {
  chatId: bigint | null;
  messageId: number | null;
}

/**
 * A transformer for one delivery's client: every message Telegram creates (sendMessage, copyMessage,
 * sendDocument, …; a support delivery may post a card and then the message) is noted in `landed`, so
 * the notification's record says where its message is without each deliverer returning it.
 */
export function noteLanded(landed: Landed): Transformer {
  return async (prev, method, payload, signal) => {
    const response = await prev(method, payload, signal);
    if (response.ok) {
      const result = response.result as { message_id?: unknown; chat?: { id?: unknown } } | undefined;
      if (typeof result?.message_id === 'number') {
        landed.messageId = result.message_id;
        const chat = result.chat?.id ?? (payload as { chat_id?: unknown }).chat_id;
        landed.chatId = typeof chat === 'number' || typeof chat === 'bigint' ? BigInt(chat) : landed.chatId;
      }
    }
    return response;
  };
}
