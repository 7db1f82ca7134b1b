import type { Message } from 'grammy/types';

/** `/close@this_bot rest` → { name: 'close', rest }; commands addressed to another bot are not ours. */
export function commandOf(message: Message, botUsername: string): { name: string; rest: string } | null {
  const match = /^\/([A-Za-z_]+)(?:@(\w+))?(?:\s+([\s\S]*))?$/.exec(message.text ?? '');
  if (!match || (match[2] && match[2].toLowerCase() !== botUsername.toLowerCase())) return null;
  return { name: match[1].toLowerCase(), rest: (match[3] ?? '').trim() };
}
