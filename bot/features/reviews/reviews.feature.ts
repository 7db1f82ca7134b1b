import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { IDENTITY_ERROR_CODES } from '../../../core/identity/identity.service';
import { callbackData, callbackPattern } from '../../../infra/telegram/callback-data';
import type { BotContext } from '../../context';
import { commandOf, isAgent } from '../support/group';
import { groupT } from '../support/topic';
import { cannedCommand } from './canned';
import { awaitComment, hasPending, type PendingDecision, takePending } from './pending';
import { evidenceOf, findItem, itemDetails, itemKeyboard, itemLine, loadQueue, type ReviewKind } from './queue';
import { reviewTopicId, sendToReviewTopic } from './review-topic';

/**
 * Reviewers decide in the support group (R-DISPUTE, R-APPEAL, identity): /reviews posts the queue into
 * its own forum topic with «Открыть» / «Одобрить» / «Отклонить»; a decision waits for the agent's next
 * message in that topic as its comment. Also /reply and /canned (canned replies). Registered before
 * the support feature, which claims everything else in the group.
 */
const composer = new Composer<BotContext>();

const supportChatOf = (ctx: BotContext): bigint | undefined => ctx.services.config.SUPPORT_CHAT_ID;
const group = composer.filter((ctx) => supportChatOf(ctx) !== undefined && ctx.chat?.id === Number(supportChatOf(ctx)));

const reviewer = (ctx: BotContext) => ({ type: 'agent' as const, id: String(ctx.from?.id ?? 'anonymous') });

// Any review button: agents only; for everyone else nothing happens but the refusal.
group.callbackQuery(callbackPattern.reviewAny, async (ctx, next) => {
  if (await isAgent(ctx, supportChatOf(ctx)!)) return next();
  await ctx.answerCallbackQuery({ text: groupT(ctx.services)('support.group.not-agent'), show_alert: true });
});

group.callbackQuery(callbackPattern.reviewOpen, async (ctx) => {
  const chatId = supportChatOf(ctx)!;
  const gt = groupT(ctx.services);
  const item = await findItem(ctx.services, ctx.match[1] as ReviewKind, ctx.match[2]);
  if (!item) return void (await ctx.answerCallbackQuery({ text: gt('reviews.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const files = await evidenceOf(ctx.services, item);
  await sendToReviewTopic(ctx.api, ctx.services, chatId, async (threadId) => {
    await ctx.api.sendMessage(Number(chatId), itemDetails(gt, item, files.length), { message_thread_id: threadId, parse_mode: 'HTML', reply_markup: itemKeyboard(gt, item) });
    for (const { document, bytes } of files) {
      const name = document.originalName ?? `${document.id}`;
      if (bytes) await ctx.api.sendDocument(Number(chatId), new InputFile(bytes, name), { message_thread_id: threadId });
      else await ctx.api.sendMessage(Number(chatId), gt('reviews.document-missing', { name }), { message_thread_id: threadId });
    }
  });
});

async function askComment(ctx: BotContext, pending: PendingDecision, key: 'reviews.ask-comment' | 'reviews.ask-recommendation'): Promise<void> {
  const gt = groupT(ctx.services);
  await awaitComment(ctx.services, ctx.from!.id, pending);
  await sendToReviewTopic(ctx.api, ctx.services, supportChatOf(ctx)!, (threadId) =>
    ctx.api.sendMessage(Number(supportChatOf(ctx)), gt(key, { decision: gt(`reviews.decision.${pending.decision}`) }), { message_thread_id: threadId }),
  );
}

group.callbackQuery(callbackPattern.reviewDecide, async (ctx) => {
  const gt = groupT(ctx.services);
  const [, verdict, kind, id] = ctx.match as unknown as [string, 'a' | 'r', ReviewKind, string];
  const item = await findItem(ctx.services, kind, id);
  if (!item) return void (await ctx.answerCallbackQuery({ text: gt('reviews.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  if (kind === 'i' && verdict === 'a') return decideAndTell(ctx, { kind, id, decision: 'APPROVED' }, '');
  if (kind === 'i') {
    const keyboard = new InlineKeyboard();
    IDENTITY_ERROR_CODES.forEach((code, index) => keyboard.text(gt(`identity.error.${code}`), callbackData.reviewErrorCode(id, index)).row());
    await sendToReviewTopic(ctx.api, ctx.services, supportChatOf(ctx)!, (threadId) =>
      ctx.api.sendMessage(Number(supportChatOf(ctx)), gt('reviews.pick-error', { item: itemLine(gt, item) }), { message_thread_id: threadId, parse_mode: 'HTML', reply_markup: keyboard }),
    );
    return;
  }
  await askComment(ctx, { kind, id, decision: verdict === 'a' ? 'APPROVED' : 'REJECTED' }, 'reviews.ask-comment');
});

group.callbackQuery(callbackPattern.reviewErrorCode, async (ctx) => {
  const errorCode = IDENTITY_ERROR_CODES[Number(ctx.match[2])];
  if (!errorCode) return void (await ctx.answerCallbackQuery());
  await ctx.answerCallbackQuery();
  await askComment(ctx, { kind: 'i', id: ctx.match[1], decision: 'REJECTED', errorCode }, 'reviews.ask-recommendation');
});

/** Calls the deciding service; the person is told by the notification it schedules. */
async function decideAndTell(ctx: BotContext, pending: PendingDecision, comment: string): Promise<void> {
  const services = ctx.services;
  const gt = groupT(services);
  let ok: boolean;
  if (pending.kind === 'd') ok = (await services.disputes.decide(pending.id, pending.decision, comment, reviewer(ctx))).ok;
  else if (pending.kind === 'a') ok = (await services.disputes.decideAppeal(pending.id, pending.decision, comment, reviewer(ctx))).ok;
  else {
    const input = pending.decision === 'APPROVED' ? { decision: 'SUCCESS' as const } : { decision: 'REJECTED' as const, errorCode: pending.errorCode ?? 'unreadable', recommendation: comment };
    ok = (await services.identity.decide(pending.id, input, reviewer(ctx))).ok;
  }
  const text = ok ? gt('reviews.decided', { decision: gt(`reviews.decision.${pending.decision}`) }) : gt('reviews.refused');
  await sendToReviewTopic(ctx.api, services, supportChatOf(ctx)!, (threadId) => ctx.api.sendMessage(Number(supportChatOf(ctx)), text, { message_thread_id: threadId }));
}

group.on('message', async (ctx, next) => {
  const chatId = supportChatOf(ctx)!;
  const message = ctx.message;
  const command = commandOf(message, ctx.me.username);
  const threadId = message.is_topic_message ? message.message_thread_id : undefined;
  const mine = command?.name === 'reviews' || command?.name === 'reply' || command?.name === 'canned';
  const inReviewTopic = threadId !== undefined && threadId === (await reviewTopicId(ctx.services));
  const awaited = !command && inReviewTopic && ctx.from !== undefined && (await hasPending(ctx.services, ctx.from.id));
  if (!mine && !awaited) return next();
  const gt = groupT(ctx.services);
  if (!(await isAgent(ctx, chatId))) return void (await ctx.reply(gt('support.group.not-agent'), { message_thread_id: threadId }));
  if (command?.name === 'reply' || command?.name === 'canned') return cannedCommand(ctx, command, threadId);
  if (command?.name === 'reviews') return postQueue(ctx, chatId);
  const pending = await takePending(ctx.services, ctx.from!.id);
  const comment = (message.text ?? message.caption ?? '').trim();
  if (!pending) return next();
  if (!comment) {
    await awaitComment(ctx.services, ctx.from!.id, pending);
    return void (await ctx.reply(gt('reviews.comment-empty'), { message_thread_id: threadId }));
  }
  await decideAndTell(ctx, pending, comment.slice(0, 2000));
});

/** The group's own limit is about 20 messages a minute: one /reviews posts at most this many cases. */
const QUEUE_POST_MAX = 15;

async function postQueue(ctx: BotContext, chatId: bigint): Promise<void> {
  const gt = groupT(ctx.services);
  const all = await loadQueue(ctx.services);
  const items = all.slice(0, QUEUE_POST_MAX);
  await sendToReviewTopic(ctx.api, ctx.services, chatId, async (threadId) => {
    await ctx.api.sendMessage(Number(chatId), all.length ? gt('reviews.queue-title', { n: all.length }) : gt('reviews.queue-empty'), { message_thread_id: threadId });
    for (const item of items) await ctx.api.sendMessage(Number(chatId), itemLine(gt, item), { message_thread_id: threadId, parse_mode: 'HTML', reply_markup: itemKeyboard(gt, item) });
    if (all.length > items.length) await ctx.api.sendMessage(Number(chatId), gt('reviews.queue-more', { n: all.length - items.length }), { message_thread_id: threadId });
  });
}

export { composer as reviewsFeature };
