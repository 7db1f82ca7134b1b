import { GrammyError } from 'grammy';
import type { StoreOutcome } from '../../core/documents/documents.service';
import type { BotContext } from '../context';
import { formatValues } from '../format';
import { downloadTelegramFile, FileTooLargeError } from './download';

/**
 * Takes the file of a message (a document, or the largest size of a photo), downloads and stores it.
 * Refusals (too large, wrong type, download failure) are told to the person here; null then.
 * Shared by the documents feature and by /add's proof step, so both accept files the same way.
 */
export async function receiveFile(ctx: BotContext): Promise<Extract<StoreOutcome, { ok: true }> | null> {
  const documents = ctx.services.documents;
  const message = ctx.message;
  if (!message) return null;
  // A photo comes in several sizes: the largest is the original Telegram kept.
  const file =
    message.document ??
    [...(message.photo ?? [])].sort((a, b) => (b.file_size ?? 0) - (a.file_size ?? 0) || b.width * b.height - a.width * a.height)[0];
  if (!file) return null;
  const tooLarge = documents.tooLarge(file.file_size ?? 0);
  if (tooLarge) {
    await ctx.reply(ctx.t(`documents.refused.${tooLarge.reason}`, formatValues(tooLarge.params, ctx.lang)));
    return null;
  }

  let bytes: Buffer;
  try {
    const info = await ctx.api.getFile(file.file_id);
    if (!info.file_path) throw new Error('getFile answered without file_path');
    bytes = await downloadTelegramFile(ctx.services.config.TELEGRAM_API_ROOT, ctx.api.token, info.file_path, documents.maxBytes);
  } catch (error) {
    if (error instanceof FileTooLargeError || (error instanceof GrammyError && /too big/i.test(error.description))) {
      const refusal = documents.tooLarge(Number.MAX_SAFE_INTEGER)!;
      await ctx.reply(ctx.t(`documents.refused.${refusal.reason}`, formatValues(refusal.params, ctx.lang)));
      return null;
    }
    ctx.log.warn({ err: error }, 'document download failed');
    await ctx.reply(ctx.t('documents.download-failed'));
    return null;
  }

  const outcome = await documents.store(ctx.person!, {
    bytes,
    originalName: message.document?.file_name,
    telegramFileUniqueId: file.file_unique_id,
  });
  if (!outcome.ok) {
    await ctx.reply(ctx.t(`documents.refused.${outcome.reason}`, formatValues(outcome.params, ctx.lang)));
    return null;
  }
  return outcome;
}
