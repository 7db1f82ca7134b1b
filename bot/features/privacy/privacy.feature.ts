import { Composer, InlineKeyboard, InputFile } from 'grammy';
import type { ConsentPurpose } from '../../../generated/prisma/client';
import { CONSENT_POLICY_VERSION } from '../../../core/privacy/policy';
import { isTogglablePurpose, RECORD_KINDS, type DataSummary } from '../../../core/privacy/privacy.service';
import { isoDateOfDbDate } from '../../../core/shared/local-date';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { formatDate } from '../../format';
import { openDeletionRequest, takeDeletionRequest } from './deletion-request';
import { exportArchive } from './export-archive';

/**
 * The processing policy (152-ФЗ) is reachable from anywhere: a command and a button, linked or not.
 * Anyone the bot knows (linked or half way through onboarding) also gets their privacy centre: what is
 * stored and why, consents per purpose, a copy of their data, and deletion confirmed twice.
 */
const composer = new Composer<BotContext>();
const privateChat = composer.chatType('private');
const known = privateChat.filter((ctx): ctx is typeof ctx & { person: NonNullable<BotContext['person']> } => ctx.person !== null);

function centreKeyboard(ctx: BotContext): InlineKeyboard {
  return new InlineKeyboard()
    .text(ctx.t('privacy-center.data-button'), callbackData.privacyData)
    .row()
    .text(ctx.t('privacy-center.consents-button'), callbackData.privacyConsents)
    .row()
    .text(ctx.t('privacy-center.export-button'), callbackData.privacyExport)
    .row()
    .text(ctx.t('privacy-center.delete-button'), callbackData.privacyDelete);
}

async function showPolicy(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t('privacy.policy', { version: CONSENT_POLICY_VERSION }), {
    parse_mode: 'HTML',
    reply_markup: ctx.person ? centreKeyboard(ctx) : undefined,
  });
}

const day = (ctx: BotContext, at: Date) => formatDate(isoDateOfDbDate(at), ctx.lang);

function consentLine(ctx: BotContext, entry: DataSummary['consents'][number]): string {
  const purpose = ctx.t(`privacy-center.purpose.${entry.purpose}`);
  if (entry.state === 'none') return ctx.t('privacy-center.consent-none', { purpose });
  const values = { purpose, given: day(ctx, entry.consent.givenAt), version: entry.consent.policyVersion };
  return entry.state === 'given'
    ? ctx.t('privacy-center.consent-given', values)
    : ctx.t('privacy-center.consent-withdrawn', { ...values, withdrawn: day(ctx, entry.consent.withdrawnAt!) });
}

async function showData(ctx: BotContext): Promise<void> {
  const summary = await ctx.services.privacy.summary(ctx.person!);
  const lines = [ctx.t('privacy-center.data-title'), '', ctx.t('privacy-center.fields-title')];
  for (const field of summary.fields)
    lines.push(
      ctx.t('privacy-center.field-line', { field: ctx.t(`privacy-center.field.${field}`), why: ctx.t(`privacy-center.why.${field}`) }),
    );
  lines.push('', ctx.t('privacy-center.records-title'));
  for (const kind of RECORD_KINDS)
    lines.push(ctx.t('privacy-center.record-line', { kind: ctx.t(`privacy-center.count.${kind}`), count: summary.counts[kind] }));
  lines.push(
    '',
    ctx.t('privacy-center.consents-title'),
    ...summary.consents.map((c) => consentLine(ctx, c)),
    '',
    ctx.t('privacy-center.encrypted-note'),
  );
  await ctx.reply(lines.join('\n'), { parse_mode: 'HTML', reply_markup: centreKeyboard(ctx) });
}

async function showConsents(ctx: BotContext): Promise<void> {
  const summary = await ctx.services.privacy.summary(ctx.person!);
  const keyboard = new InlineKeyboard();
  for (const entry of summary.consents) {
    const purpose = ctx.t(`privacy-center.purpose.${entry.purpose}`);
    // Personal-data processing is given at onboarding; NOTIFICATIONS without a record is covered by it.
    const active = entry.state === 'given' || (entry.state === 'none' && entry.purpose !== 'SUPPORT_TRANSFER');
    if (active)
      keyboard.text(ctx.t('privacy-center.withdraw-button', { purpose }), callbackData.privacyConsentWithdraw(entry.purpose)).row();
    else if (isTogglablePurpose(entry.purpose))
      keyboard.text(ctx.t('privacy-center.give-button', { purpose }), callbackData.privacyConsentGive(entry.purpose)).row();
  }
  await ctx.reply([ctx.t('privacy-center.consents-title'), ...summary.consents.map((c) => consentLine(ctx, c))].join('\n'), {
    parse_mode: 'HTML',
    reply_markup: keyboard,
  });
}

/** /delete_me, first message: what goes, what stays anonymous, and the first of two buttons. */
async function askDeletion(ctx: BotContext): Promise<void> {
  await ctx.reply(ctx.t('privacy-center.delete-explain'), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard()
      .text(ctx.t('privacy-center.delete-first'), callbackData.privacyDeleteFirst)
      .text(ctx.t('common.cancel'), callbackData.privacyData),
  });
}

async function sendExport(ctx: BotContext): Promise<void> {
  await ctx.replyWithChatAction('upload_document').catch(() => undefined);
  const bundle = await ctx.services.personalDataExport.export(ctx.person!.id);
  const zip = await exportArchive(bundle);
  const name = `nmo-my-data-${bundle.exportedAt.toISOString().slice(0, 10)}.zip`;
  await ctx.replyWithDocument(new InputFile(zip, name), {
    caption: ctx.t('privacy-center.export-caption', { files: bundle.files.length }),
  });
}

function onButton(pattern: RegExp, handler: (ctx: BotContext & { match: RegExpMatchArray }) => Promise<unknown>): void {
  known.callbackQuery(pattern, async (ctx) => {
    await ctx.answerCallbackQuery();
    await handler(ctx as BotContext & { match: RegExpMatchArray });
  });
}

privateChat.command('privacy', showPolicy);
privateChat.callbackQuery(callbackPattern.privacyPolicy, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showPolicy(ctx);
});

known.command('export_my_data', sendExport);
known.command('delete_me', askDeletion);
onButton(callbackPattern.privacyData, showData);
onButton(callbackPattern.privacyConsents, showConsents);
onButton(callbackPattern.privacyExport, sendExport);
onButton(callbackPattern.privacyDelete, askDeletion);

onButton(callbackPattern.privacyConsentGive, async (ctx) => {
  const purpose = ctx.match[1];
  if (!isTogglablePurpose(purpose)) return;
  await ctx.services.privacy.give(ctx.person!, purpose);
  await ctx.reply(ctx.t(`privacy-center.given.${purpose}`));
  await showConsents(ctx);
});

onButton(callbackPattern.privacyConsentWithdraw, async (ctx) => {
  const purpose = ctx.match[1] as ConsentPurpose;
  if (purpose === 'PERSONAL_DATA_PROCESSING') {
    // Without this consent nothing may be kept: withdrawing it is deletion, confirmed like /delete_me.
    await ctx.reply(ctx.t('privacy-center.withdraw-processing'), {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text(ctx.t('privacy-center.delete-button'), callbackData.privacyDelete),
    });
    return;
  }
  if (!isTogglablePurpose(purpose)) return;
  await ctx.services.privacy.withdraw(ctx.person!, purpose);
  await ctx.reply(ctx.t(`privacy-center.withdrawn.${purpose}`));
  await showConsents(ctx);
});

onButton(callbackPattern.privacyDeleteFirst, async (ctx) => {
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const nonce = await openDeletionRequest(ctx);
  await ctx.reply(ctx.t('privacy-center.delete-warning'), {
    parse_mode: 'HTML',
    reply_markup: new InlineKeyboard()
      .text(ctx.t('privacy-center.delete-second'), callbackData.privacyDeleteSecond(nonce))
      .row()
      .text(ctx.t('common.cancel'), callbackData.privacyData),
  });
});

onButton(callbackPattern.privacyDeleteSecond, async (ctx) => {
  const requestedAt = await takeDeletionRequest(ctx, ctx.match[1]);
  if (!requestedAt) {
    await ctx.reply(ctx.t('privacy-center.delete-expired'));
    return;
  }
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  const outcome = await ctx.services.erasure.erase(ctx.person!.id, requestedAt);
  ctx.session = {};
  ctx.person = null;
  await ctx.reply(ctx.t(outcome.ok ? 'privacy-center.deleted' : 'privacy-center.delete-expired'));
});

export { composer as privacyFeature };
