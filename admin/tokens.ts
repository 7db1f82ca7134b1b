/** Injection tokens of the admin API. */
export const ADMIN_SERVICES = Symbol('ADMIN_SERVICES');
/** `() => Promise<string>`: the bot's username for invite links. */
export const BOT_USERNAME = Symbol('BOT_USERNAME');
