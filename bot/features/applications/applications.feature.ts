import { cutWithEllipsis } from '../../../infra/telegram/text-parts';
import { escapeHtml } from '../../../core/shared/text';
import { Composer, InlineKeyboard } from 'grammy';
import type { Application } from '../../../generated/prisma/client';
import { actorTypeOf } from '../../../core/applications/actor';
import type { ApplicationCard } from '../../../core/applications/applications.service';
import { mediaTypeLabel } from '../../../core/documents/detect';
import type { ListedDocument } from '../../../core/documents/documents.service';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { moscowDay } from '../../shared/moscow-day';
import { compactId, expandId } from '../../callback-data/compact-id';

/**
 * /applications (R-APPS): own applications with their status in words, and a card with the last change,
 * the responsible body and contacts, required documents, the history of transitions, and «Запросить
 * разъяснение» once an application has been under review for 30 days.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

function line(ctx: BotContext, application: Application): string {
  return ctx.t('applications.line', {
    // A registry's title may be long: the list keeps each line short, the card shows it whole.
    title: escapeHtml(cutWithEllipsis(application.title, 200)),
    status: ctx.t(`applications.status.${application.status}`),
    changed: moscowDay(ctx, application.statusChangedAt),
  });
}

async function showList(ctx: BotContext): Promise<void> {
  const applications = await ctx.services.applications.list(ctx.person!);
  if (applications.length === 0) {
    await ctx.reply(ctx.t('applications.empty'));
    return;
  }
  const keyboard = new InlineKeyboard();
  applications.slice(0, 20).forEach((a, i) => keyboard.text(`${i + 1}. ${a.title.slice(0, 40)}`, callbackData.applicationCard(a.id)).row());
  const lines = applications.slice(0, 20).map((a, i) => `${i + 1}. ${line(ctx, a)}`);
  await ctx.reply([ctx.t('applications.title'), '', ...lines].join('\n'), { parse_mode: 'HTML', reply_markup: keyboard });
}

function cardText(ctx: BotContext, card: ApplicationCard): string {
  const { application } = card;
  const kinds = (list: string[]) => list.map((k) => ctx.t(`applications.document-kind.${k}`, { defaultValue: k })).join(', ');
  const parts = [
    `<b>${escapeHtml(application.title)}</b>`,
    ctx.t('applications.card.status', {
      status: ctx.t(`applications.status.${application.status}`),
      changed: moscowDay(ctx, application.statusChangedAt),
    }),
    ctx.t('applications.card.body', { body: escapeHtml(application.responsibleBody ?? ctx.t('applications.card.unknown')) }),
    ctx.t('applications.card.contacts', { contacts: escapeHtml(application.contacts ?? ctx.t('applications.card.unknown')) }),
  ];
  if (application.requiredDocuments.length > 0) {
    parts.push(ctx.t('applications.card.required', { kinds: kinds(application.requiredDocuments) }));
    parts.push(
      card.missingDocuments.length > 0
        ? ctx.t('applications.card.missing', { kinds: kinds(card.missingDocuments) })
        : ctx.t('applications.card.complete'),
    );
  }
  parts.push('', ctx.t('applications.card.history'));
  for (const t of card.transitions) {
    parts.push(
      ctx.t('applications.card.transition', {
        date: moscowDay(ctx, t.at),
        status: ctx.t(`applications.status.${t.toStatus}`),
        actor: ctx.t(`applications.actor.${actorTypeOf(t.actor)}`),
      }) + (t.comment ? ` — ${escapeHtml(t.comment)}` : ''),
    );
  }
  if (card.clarificationFrom && !card.canRequestClarification)
    parts.push('', ctx.t('applications.card.clarification-from', { date: moscowDay(ctx, card.clarificationFrom) }));
  return parts.join('\n');
}

linked.command('applications', showList);
linked.callbackQuery(callbackPattern.applications, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showList(ctx);
});

linked.callbackQuery(callbackPattern.applicationCard, async (ctx) => {
  const card = await ctx.services.applications.card(ctx.person!, ctx.match[1]);
  if (!card) return void (await ctx.answerCallbackQuery({ text: ctx.t('applications.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const keyboard = new InlineKeyboard();
  if (card.application.status === 'ACTION_REQUIRED' && card.missingDocuments.length > 0)
    keyboard.text(ctx.t('applications.attach-button'), callbackData.applicationAttachMenu(card.application.id)).row();
  if (card.canRequestClarification)
    keyboard.text(ctx.t('applications.clarify-button'), callbackData.applicationClarify(card.application.id)).row();
  keyboard.text(ctx.t('disputes.start-button'), callbackData.disputeStart).text(ctx.t('applications.back'), callbackData.applications);
  await ctx.reply(cardText(ctx, card), { parse_mode: 'HTML', reply_markup: keyboard });
});

linked.callbackQuery(callbackPattern.applicationClarify, async (ctx) => {
  const outcome = await ctx.services.applications.requestClarification(ctx.person!, ctx.match[1]);
  if (!outcome.ok) {
    const text =
      outcome.reason === 'clarification-too-early'
        ? ctx.t('applications.clarification-too-early', { date: moscowDay(ctx, outcome.params.from) })
        : ctx.t(outcome.reason === 'application-not-found' ? 'applications.not-found' : 'applications.clarification-unavailable');
    return void (await ctx.answerCallbackQuery({ text, show_alert: true }));
  }
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('applications.clarification-sent'));
});

const ATTACH_OFFERED = 10;

function documentKinds(ctx: BotContext, kinds: string[]): string {
  return kinds.map((k) => ctx.t(`applications.document-kind.${k}`, { defaultValue: k })).join(', ');
}

/** Own documents not yet on the application, those of a missing kind first. */
function offered(listed: ListedDocument[], card: ApplicationCard): ListedDocument[] {
  const attached = new Set(card.documents.map((d) => d.id));
  const missing = new Set(card.missingDocuments);
  return listed
    .filter((l) => !attached.has(l.document.id))
    .sort((a, b) => Number(missing.has(b.document.kind)) - Number(missing.has(a.document.kind)))
    .slice(0, ATTACH_OFFERED);
}

linked.callbackQuery(callbackPattern.applicationAttachMenu, async (ctx) => {
  const card = await ctx.services.applications.card(ctx.person!, ctx.match[1]);
  if (!card) return void (await ctx.answerCallbackQuery({ text: ctx.t('applications.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  const documents = offered(await ctx.services.documents.list(ctx.person!, 50), card);
  if (documents.length === 0) {
    await ctx.reply(ctx.t('applications.attach-none'), {
      reply_markup: new InlineKeyboard().text(ctx.t('documents.list-button'), callbackData.documentList),
    });
    return;
  }
  const keyboard = new InlineKeyboard();
  const appRef = compactId(card.application.id);
  for (const { document } of documents) {
    const label = ctx.t('applications.attach-line', {
      kind: ctx.t(`documents.kind.${document.kind}`),
      name: document.originalName ?? mediaTypeLabel(document.mediaType),
      date: moscowDay(ctx, document.createdAt),
    });
    keyboard.text(label, callbackData.applicationAttach(appRef, compactId(document.id))).row();
  }
  keyboard.text(ctx.t('applications.back'), callbackData.applicationCard(card.application.id));
  const missing = card.missingDocuments.length > 0 ? card.missingDocuments : card.application.requiredDocuments;
  await ctx.reply(ctx.t('applications.attach-choose', { title: escapeHtml(card.application.title), kinds: documentKinds(ctx, missing) }), {
    parse_mode: 'HTML',
    reply_markup: keyboard,
  });
});

/** Attached through DocumentsService (ownership checked, journaled), whose afterAttach moves a complete ACTION_REQUIRED application on. */
linked.callbackQuery(callbackPattern.applicationAttach, async (ctx) => {
  const person = ctx.person!;
  const applicationId = expandId(ctx.match[1]);
  const attached = await ctx.services.documents.attach(person, expandId(ctx.match[2]), { type: 'APPLICATION', id: applicationId });
  if (!attached.ok) {
    const text = attached.reason === 'subject-not-found' ? ctx.t('applications.not-found') : ctx.t(`documents.refused.${attached.reason}`);
    return void (await ctx.answerCallbackQuery({ text, show_alert: true }));
  }
  const application = await ctx.services.applications.own(person, applicationId);
  if (!application) return void (await ctx.answerCallbackQuery({ text: ctx.t('applications.not-found'), show_alert: true }));
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await ctx.reply(
    ctx.t('applications.attached', { title: escapeHtml(application.title), status: ctx.t(`applications.status.${application.status}`) }),
    {
      parse_mode: 'HTML',
      reply_markup: new InlineKeyboard().text(ctx.t('notifications.open-application'), callbackData.applicationCard(applicationId)),
    },
  );
});

export { composer as applicationsFeature };
