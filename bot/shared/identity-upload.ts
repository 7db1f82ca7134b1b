import type { BotContext } from '../context';
import { pendingQuestion } from './pending-questions';

/** «Send the document»: the next file is an identity document, for 15 minutes. */
const identityUpload = pendingQuestion({ inChat: (prefix, chatId) => `${prefix}:identity:upload:${chatId}` }, 15 * 60);

export async function expectIdentityUpload(ctx: BotContext): Promise<void> {
  await identityUpload.ask(ctx);
}

export async function awaitingIdentityUpload(ctx: BotContext): Promise<boolean> {
  return (await identityUpload.get(ctx)) !== null;
}

export async function identityUploadDone(ctx: BotContext): Promise<void> {
  await identityUpload.take(ctx);
}
