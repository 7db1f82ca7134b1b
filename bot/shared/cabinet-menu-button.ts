import type { BotContext } from '../context';

/**
 * The menu button of this private chat, labelled in the person's language. The default button every chat
 * starts with is set once at start (TelegramBot.registerMenuButton) and Telegram has no per-language
 * variant of it, so a person who chose another language gets a button of their own chat. Nothing to do
 * without a cabinet (CABINET_URL unset). A refusal from Telegram costs the label, never the answer.
 */
export async function labelCabinetButton(ctx: BotContext): Promise<void> {
  const url = ctx.services.config.CABINET_URL;
  if (!url || ctx.chat?.type !== 'private') return;
  await ctx.api
    .setChatMenuButton({ chat_id: ctx.chat.id, menu_button: { type: 'web_app', text: ctx.t('cabinet.menu-button'), web_app: { url } } })
    .catch((err: unknown) => ctx.log.warn({ err }, 'could not label the menu button in the chosen language'));
}
