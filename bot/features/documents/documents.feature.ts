import { escapeHtml } from '../../../core/shared/text';
import { Composer, InlineKeyboard } from 'grammy';
import type { Document, DocumentKind } from '../../../generated/prisma/client';
import { mediaTypeLabel } from '../../../core/documents/detect';
import type { DocumentRefusal, ListedDocument } from '../../../core/documents/documents.service';
import { isoDateOfDbDate, localDateOf } from '../../../core/shared/local-date';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { waitingStep } from '../../wizards/wizards';
import { formatDate, formatNumber } from '../../format';
import { compactId, expandId } from '../../callback-data/compact-id';
import { receiveFile } from '../../shared/receive-file';

/**
 * R-DOCS in the chat: a linked person sends a certificate, diploma or report as a file or a photo; the
 * bot checks and keeps it, asks what it is, and attaches it to one of their credit entries. /documents lists them.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);
const SHOWN = 15;
const ENTRIES_OFFERED = 8;

/** One letter per kind in button payloads. */
const KIND_CODES: Record<string, DocumentKind> = { c: 'CERTIFICATE', d: 'DIPLOMA', r: 'REPORT', i: 'IDENTITY', o: 'OTHER' };
const CODE_OF_KIND = Object.fromEntries(Object.entries(KIND_CODES).map(([code, kind]) => [kind, code])) as Record<DocumentKind, string>;

function formatSize(ctx: BotContext, bytes: number): string {
  if (bytes < 1024 * 1024) return ctx.t('documents.size-kb', { size: formatNumber(Math.max(1, Math.round(bytes / 1024)), ctx.lang) });
  return ctx.t('documents.size-mb', { size: formatNumber(Math.round((bytes / (1024 * 1024)) * 10) / 10, ctx.lang) });
}

function uploadedOn(ctx: BotContext, document: Document): string {
  return formatDate(localDateOf(document.createdAt, ctx.person!.timeZone), ctx.lang);
}

function describe(ctx: BotContext, document: Document): Record<string, string> {
  return {
    kind: ctx.t(`documents.kind.${document.kind}`),
    type: mediaTypeLabel(document.mediaType),
    size: formatSize(ctx, document.sizeBytes),
    date: uploadedOn(ctx, document),
  };
}

function kindKeyboard(ctx: BotContext, document: Document): InlineKeyboard {
  const ref = compactId(document.id);
  const keyboard = new InlineKeyboard();
  (Object.keys(CODE_OF_KIND) as DocumentKind[]).forEach((kind, i) => {
    keyboard.text(ctx.t(`documents.kind.${kind}`), callbackData.documentKind(ref, CODE_OF_KIND[kind]));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row().text(ctx.t('documents.attach-button'), callbackData.documentAttachMenu(ref));
}

async function refuseButton(ctx: BotContext, reason: DocumentRefusal['reason']): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(`documents.refused.${reason}`), show_alert: true });
}

/**
 * Adding or correcting an entry waits for this person's input: its file (or its hint) is theirs. Other
 * wizards leave a file to «Мои документы» («just send a file» works anywhere), their draft kept.
 */
function entryWizardWaiting(ctx: BotContext): boolean {
  return ctx.session.addCredit !== undefined || ctx.session.editCredit !== undefined;
}

linked.on(['message:document', 'message:photo'], async (ctx, next) => {
  if (entryWizardWaiting(ctx)) return next();
  const outcome = await receiveFile(ctx);
  if (!outcome) return;
  const { document } = outcome;
  if (outcome.duplicate) {
    await ctx.reply(ctx.t('documents.duplicate', describe(ctx, document)), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t('documents.attach-button'), callbackData.documentAttachMenu(compactId(document.id)))
        .text(ctx.t('documents.list-button'), callbackData.documentList),
    });
    return;
  }
  await ctx.reply(ctx.t('documents.stored', describe(ctx, document)), { reply_markup: kindKeyboard(ctx, document) });
});

/**
 * Stickers, videos and voice-less media are not documents: say what is accepted instead of staying
 * silent, unless a wizard waits for something, whose step then gives its own hint (wizard-steps feature).
 */
linked.on(['message:sticker', 'message:animation', 'message:video', 'message:video_note', 'message:audio'], async (ctx, next) => {
  if (await waitingStep(ctx)) return next();
  await ctx.reply(ctx.t('documents.not-a-document'));
});

function listLine(ctx: BotContext, listed: ListedDocument, n: number): string {
  const { document } = listed;
  let line = `${n}. ${ctx.t('documents.line', describe(ctx, document))}`;
  if (document.originalName) line += ctx.t('documents.line-name', { name: escapeHtml(document.originalName) });
  if (listed.links > 0) line += ctx.t('documents.line-links', { count: listed.links });
  if (listed.duplicateUploads > 0) line += ctx.t('documents.line-duplicates', { count: listed.duplicateUploads });
  return line;
}

async function showList(ctx: BotContext): Promise<void> {
  const listed = await ctx.services.documents.list(ctx.person!, SHOWN + 1);
  if (listed.length === 0) {
    await ctx.reply(ctx.t('documents.empty'));
    return;
  }
  const shown = listed.slice(0, SHOWN);
  const lines = shown.map((l, i) => listLine(ctx, l, i + 1));
  if (listed.length > SHOWN) lines.push(ctx.t('documents.more', { count: SHOWN }));
  const keyboard = new InlineKeyboard();
  shown.forEach((l, i) => {
    keyboard.text(ctx.t('documents.attach-numbered', { n: i + 1 }), callbackData.documentAttachMenu(compactId(l.document.id)));
    if (i % 5 === 4) keyboard.row();
  });
  await ctx.reply([ctx.t('documents.title'), '', ...lines, '', ctx.t('documents.hint')].join('\n'), {
    parse_mode: 'HTML',
    reply_markup: keyboard,
  });
}

linked.command('documents', showList);
linked.callbackQuery(callbackPattern.documentList, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showList(ctx);
});

linked.callbackQuery(callbackPattern.documentKind, async (ctx) => {
  const kind = KIND_CODES[ctx.match[2]];
  if (!kind) return refuseButton(ctx, 'not-found');
  const outcome = await ctx.services.documents.setKind(ctx.person!, expandId(ctx.match[1]), kind);
  if (!outcome.ok) return refuseButton(ctx, outcome.reason);
  await ctx.answerCallbackQuery({ text: ctx.t('documents.kind-set', { kind: ctx.t(`documents.kind.${kind}`) }) });
  await ctx.reply(ctx.t('documents.kind-set', { kind: ctx.t(`documents.kind.${kind}`) }), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('documents.attach-button'), callbackData.documentAttachMenu(ctx.match[1]))
      .text(ctx.t('documents.list-button'), callbackData.documentList),
  });
});

linked.callbackQuery(callbackPattern.documentAttachMenu, async (ctx) => {
  const person = ctx.person!;
  const document = await ctx.services.documents.get(person, expandId(ctx.match[1]));
  if (!document) return refuseButton(ctx, 'not-found');
  await ctx.answerCallbackQuery();
  const credits = ctx.services.credits;
  const entries = await credits.history(person.id, ENTRIES_OFFERED);
  const portfolioItems = (await ctx.services.portfolio.view(person))?.items.slice(-ENTRIES_OFFERED) ?? [];
  if (entries.length === 0 && portfolioItems.length === 0) {
    await ctx.reply(ctx.t('documents.no-entries'), {
      reply_markup: new InlineKeyboard().text(ctx.t('credits.add-button'), callbackData.addStart),
    });
    return;
  }
  const ruleSet = await credits.ruleSetOf(person);
  const keyboard = new InlineKeyboard();
  for (const entry of entries) {
    const type = ruleSet.creditTypes.find((t) => t.code === entry.creditTypeCode);
    const label = ctx.t('documents.entry-button', {
      date: formatDate(isoDateOfDbDate(entry.occurredOn), ctx.lang),
      type: type?.name[ctx.lang] ?? entry.creditTypeCode,
      quantity: formatNumber(entry.quantity, ctx.lang),
      attached: entry.documentId === document.id ? '📎 ' : '',
    });
    keyboard.text(label, callbackData.documentAttach(ctx.match[1], compactId(entry.id))).row();
  }
  // The portfolio's items take documents too (a certificate for a course, a publication's copy).
  for (const { item, documents } of portfolioItems) {
    const attached = documents.some((d) => d.id === document.id) ? '📎 ' : '';
    keyboard
      .text(
        ctx.t('documents.portfolio-item-button', { title: item.title.slice(0, 40), attached }),
        callbackData.documentAttachPortfolio(ctx.match[1], compactId(item.id)),
      )
      .row();
  }
  await ctx.reply(ctx.t('documents.choose-entry', describe(ctx, document)), { reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.documentAttachPortfolio, async (ctx) => {
  const outcome = await ctx.services.portfolio.attachDocument(ctx.person!, expandId(ctx.match[2]), expandId(ctx.match[1]));
  if (!outcome.ok) return refuseButton(ctx, outcome.reason === 'not-found' ? 'not-found' : 'subject-not-found');
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t('documents.attached-portfolio'), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('documents.list-button'), callbackData.documentList)
      .text(ctx.t('documents.portfolio-button'), callbackData.portfolio),
  });
});

linked.callbackQuery(callbackPattern.documentAttach, async (ctx) => {
  const outcome = await ctx.services.documents.attach(ctx.person!, expandId(ctx.match[1]), {
    type: 'CREDIT_ENTRY',
    id: expandId(ctx.match[2]),
  });
  if (!outcome.ok) return refuseButton(ctx, outcome.reason);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(ctx.t(outcome.alreadyAttached ? 'documents.already-attached' : 'documents.attached', describe(ctx, outcome.document)), {
    reply_markup: new InlineKeyboard()
      .text(ctx.t('documents.list-button'), callbackData.documentList)
      .text(ctx.t('history.button'), callbackData.history),
  });
});

export { composer as documentsFeature };
