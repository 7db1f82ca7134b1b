import type { BotApiStandin } from '../server';
import { botProfileMethods } from './bot-profile';
import { chatMethods } from './chats';
import { fileMethods } from './files';
import { messageMethods } from './messages';
import type { MethodTable } from './table';
import { updateMethods } from './updates';

export type { MethodTable } from './table';

/**
 * Every Bot API method the stand-in answers, by area: a method is found by its name in the file of its
 * area. Limits and faults (failNext, blocked users, rate limits) apply to every method before its
 * handler runs: standin/limits.ts.
 */
export const METHOD_AREAS = {
  'bot-profile': botProfileMethods,
  updates: updateMethods,
  messages: messageMethods,
  files: fileMethods,
  chats: chatMethods,
} satisfies Record<string, (s: BotApiStandin) => MethodTable>;

/** One table of all areas; a name in two areas is a mistake, refused here rather than silently overridden. */
export function methodTable(s: BotApiStandin): MethodTable {
  const table: MethodTable = {};
  for (const [area, methods] of Object.entries(METHOD_AREAS)) {
    for (const [name, handler] of Object.entries(methods(s))) {
      if (name in table) throw new Error(`stand-in method ${name} is declared twice (again in ${area})`);
      table[name] = handler;
    }
  }
  return table;
}
