/**
 * The bot itself: getMe, logOut and close, its commands, description, short description and name per language, and the chat menu button.
 */
import { isWebAppUrl } from '../markup';
import { type AnyObj, type Params, bad, clone, str, stableKey } from '../state';
import type { BotApiStandin } from '../server';
import type { MethodTable } from './table';

export function botProfileMethods(s: BotApiStandin): MethodTable {
  return {
    getMe: () => ({
      ...s.botInfo,
      can_join_groups: true,
      can_read_all_group_messages: false,
      supports_inline_queries: false,
      can_connect_to_business: false,
      has_main_web_app: false,
    }),
    logOut: () => true,
    close: () => true,

    setMyCommands: (p) => {
      const commands = p.commands;
      if (!Array.isArray(commands)) bad('parameter "commands" must be an Array');
      if (commands.length > 100) bad('too many commands specified');
      for (const c of commands as AnyObj[]) {
        if (typeof c?.command !== 'string' || !/^[a-z0-9_]{1,32}$/.test(c.command)) bad('BOT_COMMAND_INVALID');
        if (typeof c.description !== 'string' || c.description.length < 1 || c.description.length > 256)
          bad('BOT_COMMAND_DESCRIPTION_INVALID');
      }
      s.commands.set(commandKey(s, p), clone(commands));
      return true;
    },
    getMyCommands: (p) => clone(s.commands.get(commandKey(s, p)) ?? []),
    deleteMyCommands: (p) => {
      s.commands.delete(commandKey(s, p));
      return true;
    },
    setMyDescription: (p) => setBotText(s, 'description', p),
    getMyDescription: (p) => ({ description: s.botTexts.get(`description|${str(p.language_code) ?? ''}`) ?? '' }),
    setMyShortDescription: (p) => setBotText(s, 'short_description', p),
    getMyShortDescription: (p) => ({ short_description: s.botTexts.get(`short_description|${str(p.language_code) ?? ''}`) ?? '' }),
    setMyName: (p) => setBotText(s, 'name', p),
    getMyName: (p) => ({ name: s.botTexts.get(`name|${str(p.language_code) ?? ''}`) ?? s.botInfo.first_name }),
    setChatMenuButton: (p) => {
      const button = (p.menu_button as AnyObj | undefined) ?? { type: 'default' };
      if (typeof button !== 'object' || !['default', 'commands', 'web_app'].includes(button.type)) bad('unsupported menu button type');
      if (button.type === 'web_app') {
        if (typeof button.text !== 'string' || button.text.trim() === '') bad('menu button text must be non-empty');
        if (!isWebAppUrl((button.web_app as AnyObj | undefined)?.url)) bad('BUTTON_URL_INVALID');
      }
      if (p.chat_id === undefined) s.defaultMenuButton = clone(button);
      else s.requireChat(p).menuButton = clone(button);
      return true;
    },
    getChatMenuButton: (p) => s.menuButton(p.chat_id === undefined ? undefined : s.requireChat(p).chat.id),
  };
}

export function commandKey(s: BotApiStandin, params: Params): string {
  const scope = (params.scope as AnyObj | undefined) ?? { type: 'default' };
  const lang = str(params.language_code) ?? '';
  if (lang !== '' && !/^[a-z]{2}$/.test(lang)) bad('invalid language code specified');
  return `${stableKey(scope)}|${lang}`;
}

export function setBotText(s: BotApiStandin, kind: string, p: Params): true {
  const value = str(p[kind]) ?? '';
  const key = `${kind}|${str(p.language_code) ?? ''}`;
  if (value === '') s.botTexts.delete(key);
  else s.botTexts.set(key, value);
  return true;
}
