import { escapeHtml } from '../../../core/shared/text';
import { Composer, InlineKeyboard } from 'grammy';
import { moscowDateOf } from '../../../core/calendar/deadline';
import type { IdentityState } from '../../../core/identity/identity.service';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { formatDate } from '../../format';
import { receiveFile } from '../../shared/receive-file';
import { awaitingIdentityUpload, expectIdentityUpload, identityUploadDone } from '../../shared/identity-upload';

/**
 * /identity (R-LINK «Подтверждение личности»): the current confirmation (none, pending, «Успешно» until a
 * date, rejected with the reason and the reviewer's recommendation) and the upload of a document confirming
 * authority. Registered before the documents feature so that the awaited file is taken here.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

/** Dates as the Moscow calendar day, like the decision notice the worker sends. */
function day(ctx: BotContext, instant: Date): string {
  return formatDate(moscowDateOf(instant), ctx.lang);
}

function stateText(ctx: BotContext, state: IdentityState): string {
  switch (state.kind) {
    case 'none':
      return ctx.t('identity.state.none');
    case 'pending':
      return ctx.t('identity.state.pending', { date: day(ctx, state.confirmation.createdAt) });
    case 'success': {
      const until = day(ctx, state.confirmation.expiresAt ?? state.confirmation.decidedAt ?? state.confirmation.createdAt);
      return ctx.t(state.expired ? 'identity.state.expired' : 'identity.state.success', { until });
    }
    case 'rejected': {
      const { errorCode, recommendation, decidedAt, createdAt } = state.confirmation;
      return ctx.t('identity.state.rejected', {
        date: day(ctx, decidedAt ?? createdAt),
        reason: ctx.t(`identity.error.${errorCode}`, { defaultValue: escapeHtml(errorCode ?? '') }),
        recommendation: escapeHtml(recommendation ?? ''),
      });
    }
  }
}

function uploadButton(state: IdentityState): string {
  if (state.kind === 'pending') return 'identity.replace-button';
  if (state.kind === 'rejected') return 'identity.upload-again-button';
  if (state.kind === 'success' && !state.expired) return 'identity.renew-button';
  return 'identity.upload-button';
}

async function showState(ctx: BotContext): Promise<void> {
  const state = await ctx.services.identity.state(ctx.person!);
  await ctx.reply([ctx.t('identity.title'), '', stateText(ctx, state)].join('\n'), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard().text(ctx.t(uploadButton(state)), callbackData.identityUpload),
  });
}

linked.command('identity', showState);
linked.callbackQuery(callbackPattern.identity, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showState(ctx);
});

linked.callbackQuery(callbackPattern.identityUpload, async (ctx) => {
  await ctx.answerCallbackQuery();
  await expectIdentityUpload(ctx);
  await ctx.reply(ctx.t('identity.prompt'));
});

linked.on(['message:document', 'message:photo'], async (ctx, next) => {
  if (!(await awaitingIdentityUpload(ctx))) return next();
  // A refused file (type, size, download) is explained by receiveFile; the prompt stays open for another try.
  const stored = await receiveFile(ctx);
  if (!stored) return;
  const outcome = await ctx.services.identity.submit(ctx.person!, stored.document.id);
  if (!outcome.ok) return void (await ctx.reply(ctx.t('documents.refused.not-found')));
  await identityUploadDone(ctx);
  await ctx.reply(
    ctx.t(outcome.replaced ? 'identity.replaced' : 'identity.submitted', { date: day(ctx, outcome.confirmation.createdAt) }),
    {
      reply_markup: new InlineKeyboard().text(ctx.t('identity.show-button'), callbackData.identity),
    },
  );
});

export { composer as identityFeature };
