import { sign } from '@telegram-apps/init-data-node';

/** The token startSystem gives the bot: initData signed with it is what Telegram would send this bot. */
export const TEST_BOT_TOKEN = '123456:TEST-token';

export interface LaunchUser {
  id: number;
  first_name: string;
  language_code?: string;
}

/**
 * Launch data as Telegram signs it when a person opens the bot's Mini App (the library's own `sign`,
 * the counterpart of the `validate` the server uses): the user, a query id and the signing moment.
 */
export function signedInitData(user: LaunchUser, options: { token?: string; authDate?: Date } = {}): string {
  return sign(
    { user: { ...user, allows_write_to_pm: true }, query_id: `AAH${user.id}`, chat_type: 'sender', chat_instance: String(user.id * 7) },
    options.token ?? TEST_BOT_TOKEN,
    options.authDate ?? new Date(),
  );
}

/** The header the cabinet's page sends with every request. */
export function tmaHeader(initData: string): Record<string, string> {
  return { Authorization: `tma ${initData}` };
}
