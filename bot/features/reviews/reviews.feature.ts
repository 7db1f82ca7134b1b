import { Composer } from 'grammy';
import { IDENTITY_ERROR_CODES } from '../../../core/identity/identity.service';
import { callbackButton, callbackPattern } from '../../../infra/telegram/callback-data';
import { REVIEW_KIND, type ReviewPayload, type ReviewPostKind } from '../../../infra/telegram/review-outbox';
import { evidenceOf, findItem, loadQueue } from '../../../infra/telegram/review-queue';
import type { BotContext } from '../../context';
import { isAgent } from '../../shared/group-agent';
import { commandOf } from '../../shared/group-command';
import { answerInGroup } from '../../shared/group-line';
import { groupT } from '../../shared/group-language';
import { cannedCommand } from './canned';
import { awaitComment, hasPending, type PendingDecision, takePending } from './pending';
import { reviewOutbox, reviewTopic } from '../../shared/review-topic';

/**
 * Reviewers decide in the support group (R-DISPUTE, R-APPEAL, identity): /reviews posts the queue into
 * its own forum topic with «Открыть» / «Одобрить» / «Отклонить»; a decision waits for the agent's next
 * message in that topic as its comment. Also /reply and /canned (canned replies). Registered before
 * the support feature, which claims everything else in the group.
 *
 * Every post in the group is queued for the outbound worker (#6.7), which renders it and finds the review
 * topic; short answers to an agent («only agents may…», «write a comment», the /canned list, /reply's
 * confirmation and errors) are group lines in the thread they wrote in (bot/shared/group-line.ts). Only
 * answerCallbackQuery (a toast to the agent who pressed) stays direct: it is interactive, and Telegram
 * does not count it as a message in the group. No handler here edits the message a button was pressed on.
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

type Post = { kind: ReviewPostKind; payload: ReviewPayload };

/** Queues posts for the review topic, keyed by the update that asked for them (a repeat queues nothing). */
const post = (ctx: BotContext, key: string, posts: Post[]) => reviewOutbox(ctx.services, supportChatOf(ctx)!).post(key, posts);
const updateKey = (ctx: BotContext) => (ctx.callbackQuery ? `cb:${ctx.callbackQuery.id}` : `${ctx.chat!.id}:${ctx.msg!.message_id}`);

group.callbackQuery(callbackPattern.reviewOpen, async (ctx) => {
  const gt = groupT(ctx.services);
  const { kind, id } = callbackButton.reviewOpen.fieldsOf(ctx.match);
  const item = await findItem(ctx.services, kind, id);
  if (!item) return void (await ctx.answerCallbackQuery({ text: gt('reviews.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const ref = { kind: item.kind, id: item.id };
  const files = await evidenceOf(ctx.services, item);
  await post(ctx, updateKey(ctx), [
    { kind: REVIEW_KIND.case, payload: { item: ref, documents: files.length } },
    ...files.map((document) => ({ kind: REVIEW_KIND.document, payload: { item: ref, ownerId: item.personId, documentId: document.id } })),
  ]);
});

async function askComment(ctx: BotContext, pending: PendingDecision, prompt: 'ask-comment' | 'ask-recommendation'): Promise<void> {
  await awaitComment(ctx.services, ctx.from!.id, pending);
  await post(ctx, updateKey(ctx), [{ kind: REVIEW_KIND.prompt, payload: { prompt, decision: pending.decision } }]);
}

group.callbackQuery(callbackPattern.reviewDecide, async (ctx) => {
  const gt = groupT(ctx.services);
  const { decision: verdict, kind, id } = callbackButton.reviewDecide.fieldsOf(ctx.match);
  const item = await findItem(ctx.services, kind, id);
  if (!item) return void (await ctx.answerCallbackQuery({ text: gt('reviews.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  if (kind === 'i' && verdict === 'a') return decideAndTell(ctx, { kind, id, decision: 'APPROVED' }, '');
  if (kind === 'i') {
    return post(ctx, updateKey(ctx), [{ kind: REVIEW_KIND.prompt, payload: { prompt: 'pick-error', item: { kind, id } } }]);
  }
  await askComment(ctx, { kind, id, decision: verdict === 'a' ? 'APPROVED' : 'REJECTED' }, 'ask-comment');
});

group.callbackQuery(callbackPattern.reviewErrorCode, async (ctx) => {
  const { id, index } = callbackButton.reviewErrorCode.fieldsOf(ctx.match);
  const errorCode = IDENTITY_ERROR_CODES[index];
  if (!errorCode) return void (await ctx.answerCallbackQuery());
  await ctx.answerCallbackQuery();
  await askComment(ctx, { kind: 'i', id, decision: 'REJECTED', errorCode }, 'ask-recommendation');
});

/** Calls the deciding service; the person is told by the notification it schedules. */
async function decideAndTell(ctx: BotContext, pending: PendingDecision, comment: string): Promise<void> {
  const services = ctx.services;
  let ok: boolean;
  if (pending.kind === 'd') ok = (await services.disputes.decide(pending.id, pending.decision, comment, reviewer(ctx))).ok;
  else if (pending.kind === 'a') ok = (await services.disputes.decideAppeal(pending.id, pending.decision, comment, reviewer(ctx))).ok;
  else {
    const input =
      pending.decision === 'APPROVED'
        ? { decision: 'SUCCESS' as const }
        : { decision: 'REJECTED' as const, errorCode: pending.errorCode ?? 'unreadable', recommendation: comment };
    ok = (await services.identity.decide(pending.id, input, reviewer(ctx))).ok;
  }
  await post(ctx, updateKey(ctx), [{ kind: REVIEW_KIND.decided, payload: { decision: pending.decision, ok } }]);
}

group.on('message', async (ctx, next) => {
  const chatId = supportChatOf(ctx)!;
  const message = ctx.message;
  const command = commandOf(message, ctx.me.username);
  const threadId = message.is_topic_message ? message.message_thread_id : undefined;
  const mine = command?.name === 'reviews' || command?.name === 'reply' || command?.name === 'canned';
  const inReviewTopic = threadId !== undefined && threadId === (await reviewTopic(ctx.services).id());
  const awaited = !command && inReviewTopic && ctx.from !== undefined && (await hasPending(ctx.services, ctx.from.id));
  if (!mine && !awaited) return next();
  if (!(await isAgent(ctx, chatId))) return answerInGroup(ctx, 'support.group.not-agent');
  if (command?.name === 'reply' || command?.name === 'canned') return cannedCommand(ctx, command, threadId);
  if (command?.name === 'reviews') return postQueue(ctx);
  const pending = await takePending(ctx.services, ctx.from!.id);
  const comment = (message.text ?? message.caption ?? '').trim();
  if (!pending) return next();
  if (!comment) {
    await awaitComment(ctx.services, ctx.from!.id, pending);
    return answerInGroup(ctx, 'reviews.comment-empty');
  }
  await decideAndTell(ctx, pending, comment.slice(0, 2000));
});

/** One /reviews posts at most this many cases: the group takes about 20 messages a minute, shared with support. */
const QUEUE_POST_MAX = 15;

async function postQueue(ctx: BotContext): Promise<void> {
  const all = await loadQueue(ctx.services);
  const items = all.slice(0, QUEUE_POST_MAX);
  await post(ctx, updateKey(ctx), [
    { kind: REVIEW_KIND.list, payload: { total: all.length } },
    ...items.map((item) => ({ kind: REVIEW_KIND.list, payload: { item: { kind: item.kind, id: item.id } } })),
    ...(all.length > items.length ? [{ kind: REVIEW_KIND.list, payload: { more: all.length - items.length } }] : []),
  ]);
}

export { composer as reviewsFeature };
