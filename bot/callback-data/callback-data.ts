/**
 * Button payloads are shared with the worker (its notifications carry buttons the bot answers), so
 * the one definition lives in infra/telegram; features import it from here.
 */
export { callbackButton, callbackData, callbackPattern } from '../../infra/telegram/callback-data';
