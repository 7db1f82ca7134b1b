import type { Update } from 'grammy/types';
import type { i18n } from 'i18next';
import { asLang } from '../../infra/i18n';

/**
 * Tells a person, once per outage, that the service is briefly unavailable and their message will be
 * answered when it is back: said by the webhook or the poller when the update log cannot take an
 * update, and by the error boundary when a handler met an outage. In private chats only; at most once
 * per chat per `windowMs`, so Telegram's redeliveries and our retries do not repeat it.
 */
export class OutageNotices {
  private readonly told = new Map<number, number>();

  constructor(
    private readonly send: (chatId: number, text: string) => Promise<unknown>,
    private readonly i18n: i18n,
    private readonly windowMs = 5 * 60_000,
  ) {}

  /** For an update that could not even be recorded: the language is Telegram's guess. */
  async tellAbout(update: Update): Promise<void> {
    const message = update.message ?? update.edited_message ?? update.callback_query?.message;
    const chat = message?.chat;
    const from = update.message?.from ?? update.edited_message?.from ?? update.callback_query?.from;
    if (!chat || chat.type !== 'private') return;
    await this.tell(chat.id, asLang(from?.language_code));
  }

  async tell(chatId: number, lang: 'ru' | 'en'): Promise<void> {
    const now = Date.now();
    const last = this.told.get(chatId);
    if (last !== undefined && now - last < this.windowMs) return;
    this.told.set(chatId, now);
    if (this.told.size > 10_000) for (const [id, at] of this.told) if (now - at >= this.windowMs) this.told.delete(id);
    // Best effort: if Telegram itself is away, there is nobody to tell.
    await this.send(chatId, this.i18n.getFixedT(lang)('errors.unavailable')).catch(() => undefined);
  }
}
