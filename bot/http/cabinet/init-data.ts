import { isExpiredError, parse, validate } from '@telegram-apps/init-data-node';

/** The Telegram user a launch of the cabinet was signed for. */
export interface CabinetUser {
  id: number;
  firstName: string;
  languageCode: string | null;
}

export type InitDataFailure = 'missing' | 'invalid' | 'expired' | 'no-user';
export type InitDataCheck = { ok: true; user: CabinetUser } | { ok: false; reason: InitDataFailure };

/** The scheme Telegram's own Mini App examples use: `Authorization: tma <initData>`. */
const SCHEME = /^tma[ \t]+(\S+)[ \t]*$/i;

/**
 * Checks the launch data Telegram signed for the cabinet (initData), as sent in the Authorization header:
 * its signature with the bot token and its age. Signature and expiry are the maintained library's
 * (@telegram-apps/init-data-node), so the HMAC scheme is never re-implemented here. Age is measured by the
 * wall clock: `auth_date` is Telegram's wall clock, not the product's business time.
 */
export function checkInitData(authorization: string | undefined, botToken: string, maxAgeSeconds: number): InitDataCheck {
  const match = SCHEME.exec(authorization ?? '');
  if (!match) return { ok: false, reason: 'missing' };
  const initData = match[1];
  try {
    validate(initData, botToken, { expiresIn: maxAgeSeconds });
  } catch (error) {
    return { ok: false, reason: isExpiredError(error) ? 'expired' : 'invalid' };
  }
  const user = userOf(initData);
  if (user === 'invalid') return { ok: false, reason: 'invalid' };
  if (!user || !Number.isSafeInteger(user.id)) return { ok: false, reason: 'no-user' };
  return { ok: true, user: { id: user.id, firstName: user.first_name, languageCode: user.language_code ?? null } };
}

function userOf(initData: string) {
  try {
    return parse(initData).user;
  } catch {
    // Signed by Telegram but not the shape we know: refuse rather than guess.
    return 'invalid' as const;
  }
}
