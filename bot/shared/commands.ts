import type { Api } from 'grammy';
import { LANGUAGES, type Translate } from '../../infra/i18n';

/** The commands shown in Telegram's menu and in /help, in this order. */
export const commandList = [
  'start',
  'credits',
  'add',
  'code',
  'plan',
  'history',
  'documents',
  'identity',
  'applications',
  'dispute',
  'appeal',
  'export',
  'portfolio',
  'events',
  'settings',
  'privacy',
  'export_my_data',
  'delete_me',
  'support',
  'help',
  'cancel',
] as const;

/**
 * Commands of an organization's admins: not in everybody's menu, but listed by /admin and /help for an
 * admin, and set as the menu of an admin's own chat (a chat-scoped command list) when they open /admin.
 */
export const adminCommandList = [
  'admin',
  'event_new',
  'events_admin',
  'programs',
  'codes',
  'report',
  'announce',
  'announce_status',
] as const;

/** Registers the command menu per language; Russian is also the default for every other language. */
export async function registerCommands(api: Api, translators: Record<(typeof LANGUAGES)[number], Translate>): Promise<void> {
  const commands = (t: Translate) => commandList.map((command) => ({ command, description: t(`commands.${command}`) }));
  await api.setMyCommands(commands(translators.ru));
  for (const lang of LANGUAGES) await api.setMyCommands(commands(translators[lang]), { language_code: lang });
}
