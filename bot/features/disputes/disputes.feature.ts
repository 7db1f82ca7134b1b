import { escapeHtml } from '../../../core/shared/text';
import { randomBytes } from 'node:crypto';
import { Composer, InlineKeyboard } from 'grammy';
import { DISPUTABLE_PROFILE_FIELDS } from '../../../core/disputes/dispute-subject';
import type { DisputeRefusal } from '../../../core/disputes/disputes.service';
import { isoDateOfDbDate } from '../../../core/shared/local-date';
import { provisionalNote } from '../../../infra/provisional-note';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { formatDate, formatNumber } from '../../format';
import { disputeRefusalText } from '../../shared/dispute-refusal';
import { moscowDay } from '../../shared/moscow-day';
import type { DisputeWizard } from './dispute-draft';

/**
 * /dispute (R-DISPUTE): pick what is wrong (an own credit entry, a profile field, an application's status),
 * state the reason, pick evidence among own uploaded documents, confirm; the answer names the review date.
 * /appeal (R-APPEAL): a rejected dispute may be appealed until the window's end, said in advance; after it,
 * the refusal names the date it closed. Another person's ids in a crafted button are answered as missing.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

/** The wizard of this button's nonce, or null when the button is stale. */
function wizardOf(ctx: BotContext, nonce: string): DisputeWizard | null {
  const wizard = ctx.session.dispute;
  return wizard && wizard.nonce === nonce ? wizard : null;
}

async function stale(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t('common.stale-button') });
}

function refusalText(ctx: BotContext, refusal: DisputeRefusal): string {
  return disputeRefusalText(ctx.t, ctx.lang, refusal);
}

/** A refusal of the corrected value itself: the wizard stays on that question for another answer. */
function isRequestedValueRefusal(refusal: DisputeRefusal): boolean {
  return refusal.reason.startsWith('requested-value-');
}

async function start(ctx: BotContext): Promise<void> {
  const wizard: DisputeWizard = { nonce: randomBytes(4).toString('hex'), step: 'kind', documentIds: [] };
  ctx.session.dispute = wizard;
  ctx.session.appeal = undefined;
  await ctx.reply(ctx.t('disputes.ask-kind'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('disputes.kind.entry'), callbackData.disputeKind(wizard.nonce, 'e'))
      .row()
      .text(ctx.t('disputes.kind.field'), callbackData.disputeKind(wizard.nonce, 'f'))
      .row()
      .text(ctx.t('disputes.kind.application'), callbackData.disputeKind(wizard.nonce, 'a'))
      .row()
      .text(ctx.t('common.cancel'), callbackData.disputeCancel(wizard.nonce)),
  });
}

linked.command('dispute', start);
linked.callbackQuery(callbackPattern.disputeStart, async (ctx) => {
  await ctx.answerCallbackQuery();
  await start(ctx);
});

linked.callbackQuery(callbackPattern.disputeCancel, async (ctx) => {
  if (!wizardOf(ctx, ctx.match[1])) return stale(ctx);
  ctx.session.dispute = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('disputes.cancelled'));
});

linked.callbackQuery(callbackPattern.disputeKind, async (ctx) => {
  const wizard = wizardOf(ctx, ctx.match[1]);
  if (!wizard) return stale(ctx);
  await ctx.answerCallbackQuery();
  const keyboard = new InlineKeyboard();
  const person = ctx.person!;
  if (ctx.match[2] === 'e') {
    const entries = await ctx.services.disputes.disputableEntries(person);
    if (entries.length === 0) return void (await ctx.reply(ctx.t('disputes.no-entries')));
    wizard.subjectType = 'CREDIT_ENTRY';
    for (const e of entries) {
      keyboard
        .text(
          `${formatDate(isoDateOfDbDate(e.occurredOn), ctx.lang)} · ${e.title?.slice(0, 24) ?? e.creditTypeCode} · ${formatNumber(e.quantity, ctx.lang)}`,
          callbackData.disputeSubject(wizard.nonce, e.id),
        )
        .row();
    }
  } else if (ctx.match[2] === 'a') {
    const applications = await ctx.services.applications.list(person);
    if (applications.length === 0) return void (await ctx.reply(ctx.t('disputes.no-applications')));
    wizard.subjectType = 'APPLICATION_STATUS';
    for (const a of applications.slice(0, 10)) {
      keyboard
        .text(`${a.title.slice(0, 40)} · ${ctx.t(`applications.status.${a.status}`)}`, callbackData.disputeSubject(wizard.nonce, a.id))
        .row();
    }
  } else {
    wizard.subjectType = 'PROFILE_FIELD';
    for (const field of DISPUTABLE_PROFILE_FIELDS)
      keyboard.text(ctx.t(`disputes.field.${field}`), callbackData.disputeField(wizard.nonce, field)).row();
  }
  wizard.step = 'subject';
  keyboard.text(ctx.t('common.cancel'), callbackData.disputeCancel(wizard.nonce));
  await ctx.reply(ctx.t('disputes.ask-subject'), { reply_markup: keyboard });
});

async function askReason(ctx: BotContext, wizard: DisputeWizard): Promise<void> {
  wizard.step = 'reason';
  await ctx.reply(ctx.t('disputes.ask-reason'), {
    reply_markup: new InlineKeyboard().text(ctx.t('common.cancel'), callbackData.disputeCancel(wizard.nonce)),
  });
}

linked.callbackQuery(callbackPattern.disputeSubject, async (ctx) => {
  const wizard = wizardOf(ctx, ctx.match[1]);
  if (!wizard || wizard.step !== 'subject' || wizard.subjectType === 'PROFILE_FIELD') return stale(ctx);
  // Checked at once: a crafted button with someone else's id learns nothing but «not found».
  const owned = await ctx.services.disputes.check(ctx.person!, {
    subjectType: wizard.subjectType!,
    subjectId: ctx.match[2],
    reason: 'x',
    documentIds: [],
  });
  if (!owned.ok && owned.reason === 'subject-not-found')
    return void (await ctx.answerCallbackQuery({ text: ctx.t('disputes.refused.subject-not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  wizard.subjectId = ctx.match[2];
  await askReason(ctx, wizard);
});

linked.callbackQuery(callbackPattern.disputeField, async (ctx) => {
  const wizard = wizardOf(ctx, ctx.match[1]);
  if (!wizard || wizard.step !== 'subject' || wizard.subjectType !== 'PROFILE_FIELD') return stale(ctx);
  if (!(DISPUTABLE_PROFILE_FIELDS as readonly string[]).includes(ctx.match[2])) return stale(ctx);
  await ctx.answerCallbackQuery();
  wizard.field = ctx.match[2];
  await askReason(ctx, wizard);
});

linked.callbackQuery(callbackPattern.disputeSkipValue, async (ctx) => {
  const wizard = wizardOf(ctx, ctx.match[1]);
  if (!wizard || wizard.step !== 'value') return stale(ctx);
  await ctx.answerCallbackQuery();
  await askEvidence(ctx, wizard);
});

async function askEvidence(ctx: BotContext, wizard: DisputeWizard): Promise<void> {
  const documents = await ctx.services.disputes.evidenceCandidates(ctx.person!);
  if (documents.length === 0) {
    // An unproven dispute is rejected anyway: the person uploads first and comes back.
    ctx.session.dispute = undefined;
    await ctx.reply(ctx.t('disputes.no-documents'));
    return;
  }
  wizard.step = 'evidence';
  await ctx.reply(ctx.t('disputes.ask-evidence'), { reply_markup: evidenceKeyboard(ctx, wizard, documents) });
}

function evidenceKeyboard(
  ctx: BotContext,
  wizard: DisputeWizard,
  documents: Array<{ id: string; originalName: string | null; kind: string; createdAt: Date }>,
): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const d of documents) {
    const mark = wizard.documentIds.includes(d.id) ? '✅ ' : '';
    const name = d.originalName ?? ctx.t(`applications.document-kind.${d.kind}`, { defaultValue: d.kind });
    keyboard.text(`${mark}${name.slice(0, 40)} · ${moscowDay(ctx, d.createdAt)}`, callbackData.disputeDocument(wizard.nonce, d.id)).row();
  }
  return keyboard
    .text(ctx.t('disputes.evidence-done'), callbackData.disputeDocumentsDone(wizard.nonce))
    .text(ctx.t('common.cancel'), callbackData.disputeCancel(wizard.nonce));
}

linked.callbackQuery(callbackPattern.disputeDocument, async (ctx) => {
  const wizard = wizardOf(ctx, ctx.match[1]);
  if (!wizard || wizard.step !== 'evidence') return stale(ctx);
  const documents = await ctx.services.disputes.evidenceCandidates(ctx.person!);
  const id = ctx.match[2];
  if (!documents.some((d) => d.id === id))
    return void (await ctx.answerCallbackQuery({ text: ctx.t('disputes.refused.document-not-found'), show_alert: true }));
  wizard.documentIds = wizard.documentIds.includes(id) ? wizard.documentIds.filter((d) => d !== id) : [...wizard.documentIds, id];
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: evidenceKeyboard(ctx, wizard, documents) }).catch(() => undefined);
});

linked.callbackQuery(callbackPattern.disputeDocumentsDone, async (ctx) => {
  const wizard = wizardOf(ctx, ctx.match[1]);
  if (!wizard || wizard.step !== 'evidence') return stale(ctx);
  if (wizard.documentIds.length === 0)
    return void (await ctx.answerCallbackQuery({ text: ctx.t('disputes.refused.evidence-required'), show_alert: true }));
  await ctx.answerCallbackQuery();
  wizard.step = 'confirm';
  const summary = ctx.t('disputes.summary', {
    subject: ctx.t(`disputes.subject.${wizard.subjectType}`) + (wizard.field ? ` — ${ctx.t(`disputes.field.${wizard.field}`)}` : ''),
    reason: escapeHtml(wizard.reason ?? ''),
    count: wizard.documentIds.length,
  });
  const value = wizard.requestedValue ? `\n${ctx.t('disputes.summary-value', { value: escapeHtml(wizard.requestedValue) })}` : '';
  await ctx.reply(summary + value, {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard()
      .text(ctx.t('disputes.send'), callbackData.disputeConfirm(wizard.nonce))
      .text(ctx.t('common.cancel'), callbackData.disputeCancel(wizard.nonce)),
  });
});

linked.callbackQuery(callbackPattern.disputeConfirm, async (ctx) => {
  const wizard = wizardOf(ctx, ctx.match[1]);
  if (!wizard || wizard.step !== 'confirm' || !wizard.subjectType) return stale(ctx);
  const outcome = await ctx.services.disputes.file(ctx.person!, {
    subjectType: wizard.subjectType,
    subjectId: wizard.subjectId,
    field: wizard.field,
    reason: wizard.reason ?? '',
    requestedValue: wizard.requestedValue,
    documentIds: wizard.documentIds,
  });
  if (!outcome.ok) return void (await ctx.answerCallbackQuery({ text: refusalText(ctx, outcome), show_alert: true }));
  ctx.session.dispute = undefined;
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(
    ctx.t('disputes.filed', {
      date: moscowDay(ctx, outcome.dispute.dueAt),
      provisional: provisionalNote(ctx.t, outcome.dispute.dueFallbackYear),
    }),
  );
});

/** /appeal: own rejected disputes, each with until when it may be appealed, or since when it may not. */
linked.command('appeal', async (ctx) => {
  const disputes = (await ctx.services.disputes.list(ctx.person!)).filter((d) => d.status === 'REJECTED');
  if (disputes.length === 0) return void (await ctx.reply(ctx.t('disputes.appeal.none')));
  const keyboard = new InlineKeyboard();
  let buttons = 0;
  const lines: string[] = [];
  for (const d of disputes.slice(0, 10)) {
    const header = ctx.t('disputes.appeal.line', { filed: moscowDay(ctx, d.filedAt), subject: ctx.t(`disputes.subject.${d.subjectType}`) });
    if (d.appeal) {
      lines.push(`${header} — ${ctx.t('disputes.appeal.already', { status: ctx.t(`disputes.status.${d.appeal.status}`) })}`);
      continue;
    }
    const eligible = await ctx.services.disputes.appealEligibility(ctx.person!, d.id);
    if (eligible.ok) {
      const until = { date: moscowDay(ctx, eligible.until), provisional: provisionalNote(ctx.t, eligible.fallbackYear) };
      lines.push(`${header} — ${ctx.t('disputes.appeal.open-until', until)}`);
      keyboard.text(ctx.t('disputes.appeal.button', { filed: moscowDay(ctx, d.filedAt) }), callbackData.appealStart(d.id)).row();
      buttons++;
    } else {
      lines.push(`${header} — ${refusalText(ctx, eligible)}`);
    }
  }
  await ctx.reply([ctx.t('disputes.appeal.title'), '', ...lines].join('\n'), buttons > 0 ? { reply_markup: keyboard } : {});
});

/** Also the button of the rejection notice. */
linked.callbackQuery(callbackPattern.appealStart, async (ctx) => {
  const eligible = await ctx.services.disputes.appealEligibility(ctx.person!, ctx.match[1]);
  if (!eligible.ok) return void (await ctx.answerCallbackQuery({ text: refusalText(ctx, eligible), show_alert: true }));
  await ctx.answerCallbackQuery();
  ctx.session.appeal = { disputeId: eligible.dispute.id };
  ctx.session.dispute = undefined;
  await ctx.reply(
    ctx.t('disputes.appeal.ask-reason', {
      date: moscowDay(ctx, eligible.until),
      provisional: provisionalNote(ctx.t, eligible.fallbackYear),
    }),
  );
});

/** The reason (and the correct value) of a dispute, or the reason of an appeal, typed as text. */
linked.on('message:text', async (ctx, next) => {
  const text = ctx.message.text;
  if (text.startsWith('/')) return next();
  const appeal = ctx.session.appeal;
  if (appeal) {
    const outcome = await ctx.services.disputes.fileAppeal(ctx.person!, appeal.disputeId, text);
    if (!outcome.ok && (outcome.reason === 'reason-required' || outcome.reason === 'reason-too-long'))
      return void (await ctx.reply(refusalText(ctx, outcome)));
    ctx.session.appeal = undefined;
    if (!outcome.ok) return void (await ctx.reply(refusalText(ctx, outcome)));
    await ctx.reply(
      ctx.t('disputes.appeal.filed', {
        date: moscowDay(ctx, outcome.appeal.dueAt),
        provisional: provisionalNote(ctx.t, outcome.appeal.dueFallbackYear),
      }),
    );
    return;
  }
  const wizard = ctx.session.dispute;
  if (!wizard || (wizard.step !== 'reason' && wizard.step !== 'value')) return next();
  if (wizard.step === 'reason') {
    const reason = text.trim();
    if (!reason) return void (await ctx.reply(ctx.t('disputes.refused.reason-required')));
    if (reason.length > 2000) return void (await ctx.reply(ctx.t('disputes.refused.reason-too-long')));
    wizard.reason = reason;
    if (wizard.subjectType === 'CREDIT_ENTRY') {
      wizard.step = 'value';
      await ctx.reply(ctx.t('disputes.ask-value'), {
        reply_markup: new InlineKeyboard().text(ctx.t('disputes.skip-value'), callbackData.disputeSkipValue(wizard.nonce)),
      });
      return;
    }
    return askEvidence(ctx, wizard);
  }
  const checked = await ctx.services.disputes.check(ctx.person!, {
    subjectType: 'CREDIT_ENTRY',
    subjectId: wizard.subjectId,
    reason: wizard.reason ?? 'x',
    requestedValue: text,
    documentIds: [],
  });
  // A number the rule set would not count as asked is refused here, before evidence is picked (R-RULES).
  if (!checked.ok && isRequestedValueRefusal(checked)) return void (await ctx.reply(refusalText(ctx, checked)));
  wizard.requestedValue = text.trim();
  await askEvidence(ctx, wizard);
});

export { composer as disputesFeature };
