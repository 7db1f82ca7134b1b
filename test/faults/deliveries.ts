/** What Telegram received, one notification per chat: delivered once (applied), never (lost), more than once (doubled). */
export function tallyDeliveries(
  chats: ReadonlyArray<{ chatId: number }>,
  sentPerChat: ReadonlyMap<number, number>,
): { applied: number; lost: number; doubled: number } {
  const counts = chats.map((c) => sentPerChat.get(c.chatId) ?? 0);
  return {
    applied: counts.filter((n) => n === 1).length,
    lost: counts.filter((n) => n === 0).length,
    doubled: counts.filter((n) => n > 1).length,
  };
}
