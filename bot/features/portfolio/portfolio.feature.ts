import { escapeHtml } from '../../../core/shared/text';
import { Composer, InlineKeyboard } from 'grammy';
import type { AccessLevel } from '../../../generated/prisma/client';
import type { PortfolioView } from '../../../core/portfolio';
import { callbackButton, callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { formatDate, formatNumber } from '../../format';
import { portfolioPdfFile, portfolioXmlFile } from './portfolio-files';
import { goalIsCut, overviewText } from './portfolio-text';
import { clampPage, pageLine, pagerRow, paginate } from '../../keyboards/pager';

/**
 * /portfolio (R-PORTFOLIO): the accreditation portfolio of the current cycle — created with a goal,
 * an activity report (text, then an optional publication link), education imported from credit entries,
 * an access level per item, what is still missing, when it may be submitted, and PDF/XML exports.
 */
const composer = new Composer<BotContext>();
const linked = composer.chatType('private').filter(linkedOnly);

const ACCESS_BY_LETTER: Record<'p' | 'r' | 'u', AccessLevel> = { p: 'PRIVATE', r: 'RESTRICTED', u: 'PUBLIC' };
const LETTER_BY_ACCESS: Record<AccessLevel, 'p' | 'r' | 'u'> = { PRIVATE: 'p', RESTRICTED: 'r', PUBLIC: 'u' };
const ACCESS_ICON: Record<AccessLevel, string> = { PRIVATE: '🔒', RESTRICTED: '👥', PUBLIC: '🌐' };

function overviewKeyboard(ctx: BotContext, goalCut = false): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  if (goalCut) keyboard.text(ctx.t('portfolio.goal-button'), callbackData.portfolioGoal).row();
  return keyboard
    .text(ctx.t('portfolio.report-button'), callbackData.portfolioReport)
    .text(ctx.t('portfolio.import-button'), callbackData.portfolioImport)
    .row()
    .text(ctx.t('portfolio.items-button'), callbackData.portfolioItems)
    .row()
    .text(ctx.t('portfolio.pdf-button'), callbackData.portfolioPdf)
    .text(ctx.t('portfolio.xml-button'), callbackData.portfolioXml);
}

async function showPortfolio(ctx: BotContext): Promise<void> {
  ctx.session.portfolio = undefined;
  const view = await ctx.services.portfolio.view(ctx.person!);
  if (!view) {
    const credits = ctx.services.credits;
    const period = credits.periodOf(ctx.person!, await credits.ruleSetOf(ctx.person!));
    await ctx.reply(ctx.t('portfolio.none', { start: formatDate(period.start, ctx.lang), end: formatDate(period.end, ctx.lang) }), {
      reply_markup: new InlineKeyboard().text(ctx.t('portfolio.create-button'), callbackData.portfolioCreate),
    });
    return;
  }
  await ctx.reply(overviewText(ctx, view), { parse_mode: 'HTML', reply_markup: overviewKeyboard(ctx, goalIsCut(view.portfolio.goal)) });
}

linked.command('portfolio', showPortfolio);
linked.callbackQuery(callbackPattern.portfolio, async (ctx) => {
  await ctx.answerCallbackQuery();
  await showPortfolio(ctx);
});

/** The whole goal, which the overview cuts: plain text, as the person wrote it (up to 4,000 characters). */
linked.callbackQuery(callbackPattern.portfolioGoal, async (ctx) => {
  await ctx.answerCallbackQuery();
  const view = await ctx.services.portfolio.view(ctx.person!);
  if (!view?.portfolio.goal) return showPortfolio(ctx);
  await ctx.reply(ctx.t('portfolio.goal-full', { goal: view.portfolio.goal }), {
    reply_markup: new InlineKeyboard().text(ctx.t('portfolio.back-button'), callbackData.portfolio),
  });
});

linked.callbackQuery(callbackPattern.portfolioCreate, async (ctx) => {
  await ctx.answerCallbackQuery();
  ctx.session.portfolio = { step: 'goal' };
  await ctx.reply(ctx.t('portfolio.ask-goal'), {
    reply_markup: new InlineKeyboard().text(ctx.t('portfolio.skip-goal'), callbackData.portfolioSkipGoal),
  });
});

async function create(ctx: BotContext, goal: string | null): Promise<void> {
  ctx.session.portfolio = undefined;
  const person = ctx.person!;
  const period = ctx.services.credits.periodOf(person, await ctx.services.credits.ruleSetOf(person));
  const name = ctx.t('portfolio.default-name', { start: formatDate(period.start, ctx.lang), end: formatDate(period.end, ctx.lang) });
  const outcome = await ctx.services.portfolio.create(person, { name, goal });
  if (!outcome.ok) {
    await ctx.reply(ctx.t(`portfolio.refused.${outcome.reason}`));
    return;
  }
  await ctx.reply(ctx.t(outcome.created ? 'portfolio.created' : 'portfolio.exists'));
  await showPortfolio(ctx);
}

linked.callbackQuery(callbackPattern.portfolioSkipGoal, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await create(ctx, null);
});

linked.callbackQuery(callbackPattern.portfolioReport, async (ctx) => {
  await ctx.answerCallbackQuery();
  ctx.session.portfolio = { step: 'report-text' };
  await ctx.reply(ctx.t('portfolio.ask-report'));
});

linked.callbackQuery(callbackPattern.portfolioNoLink, async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup({ reply_markup: undefined }).catch(() => undefined);
  await showPortfolio(ctx);
});

linked.callbackQuery(callbackPattern.portfolioImport, async (ctx) => {
  await ctx.answerCallbackQuery();
  const outcome = await ctx.services.portfolio.importEducation(ctx.person!);
  if (!outcome.ok) {
    await ctx.reply(ctx.t(`portfolio.refused.${outcome.reason}`));
    return;
  }
  await ctx.reply(outcome.added > 0 ? ctx.t('portfolio.imported', { count: outcome.added }) : ctx.t('portfolio.nothing-to-import'));
  await showPortfolio(ctx);
});

function itemLine(ctx: BotContext, view: PortfolioView, v: PortfolioView['items'][number], n: number): string {
  const type = view.ruleSet.creditTypes.find((t) => t.code === v.typeCode);
  const kind = type ? type.name[ctx.lang] : ctx.t(`portfolio.kind.${v.typeCode === 'publication' ? 'publication' : 'report'}`);
  const parts = [escapeHtml(v.item.title), escapeHtml(kind)];
  if (v.item.hours !== null) parts.push(ctx.t('portfolio.hours', { hours: formatNumber(v.item.hours, ctx.lang) }));
  if (v.date) parts.push(formatDate(v.date, ctx.lang));
  parts.push(ctx.t('portfolio.documents-count', { count: v.documents.length }));
  return `${n}. ${ACCESS_ICON[v.item.accessLevel]} ${parts.join(' · ')}`;
}

/** Items per page: each has a button, and ten lines of titles stay well within one message. */
const ITEMS_PER_PAGE = 10;

linked.callbackQuery(callbackPattern.portfolioItems, async (ctx) => {
  await ctx.answerCallbackQuery();
  const view = await ctx.services.portfolio.view(ctx.person!);
  if (!view) return showPortfolio(ctx);
  if (view.items.length === 0) {
    await ctx.reply(ctx.t('portfolio.no-items'), { reply_markup: overviewKeyboard(ctx) });
    return;
  }
  const lines = view.items.map((v, i) => itemLine(ctx, view, v, i + 1));
  const pages = paginate(lines, { perPage: ITEMS_PER_PAGE, separator: 1 });
  const page = clampPage(Number(ctx.match[1] ?? 0), pages.length);
  const keyboard = new InlineKeyboard();
  pages[page].forEach((index, n) => {
    const v = view.items[index];
    keyboard.text(`${ACCESS_ICON[v.item.accessLevel]} ${index + 1}`, callbackData.portfolioItem(v.item.id));
    if (n % 5 === 4) keyboard.row();
  });
  pagerRow(keyboard, ctx.t, page, pages.length, (p) => callbackData.portfolioItemsPage(p));
  const shown = pages[page].map((index) => lines[index]);
  await ctx.reply(
    [ctx.t('portfolio.items-title'), ...pageLine(ctx.t, page, pages.length), '', ...shown, '', ctx.t('portfolio.items-hint')].join('\n'),
    { parse_mode: 'HTML', reply_markup: keyboard },
  );
});

function accessKeyboard(ctx: BotContext, itemId: string, current: AccessLevel): InlineKeyboard {
  const keyboard = new InlineKeyboard();
  for (const level of ['PRIVATE', 'RESTRICTED', 'PUBLIC'] as const) {
    const mark = level === current ? '✅ ' : '';
    keyboard.text(`${mark}${ctx.t(`portfolio.access.${level}`)}`, callbackData.portfolioAccess(itemId, LETTER_BY_ACCESS[level]));
  }
  return keyboard.row().text(ctx.t('portfolio.back-button'), callbackData.portfolio);
}

linked.callbackQuery(callbackPattern.portfolioItem, async (ctx) => {
  const item = await ctx.services.portfolio.ownItem(ctx.person!, ctx.match[1]);
  if (!item) return refuse(ctx, 'item-not-found');
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t('portfolio.item-card', { title: escapeHtml(item.title), access: ctx.t(`portfolio.access.${item.accessLevel}`) }), {
    parse_mode: 'HTML',
    reply_markup: accessKeyboard(ctx, item.id, item.accessLevel),
  });
});

linked.callbackQuery(callbackPattern.portfolioAccess, async (ctx) => {
  const { itemId, level: letter } = callbackButton.portfolioAccess.fieldsOf(ctx.match);
  const level = ACCESS_BY_LETTER[letter];
  const outcome = await ctx.services.portfolio.setAccess(ctx.person!, itemId, level);
  if (!outcome.ok) return refuse(ctx, outcome.reason);
  await ctx.answerCallbackQuery({ text: ctx.t('portfolio.access-set', { access: ctx.t(`portfolio.access.${level}`) }) });
  await ctx.editMessageReplyMarkup({ reply_markup: accessKeyboard(ctx, outcome.item.id, outcome.item.accessLevel) }).catch(() => undefined);
});

linked.callbackQuery(callbackPattern.portfolioPdf, async (ctx) => {
  await ctx.answerCallbackQuery();
  const view = await ctx.services.portfolio.view(ctx.person!);
  if (!view) return showPortfolio(ctx);
  await ctx.replyWithChatAction('upload_document').catch(() => undefined);
  await ctx.replyWithDocument(await portfolioPdfFile(ctx, view), { caption: ctx.t('portfolio.pdf-caption') });
});

linked.callbackQuery(callbackPattern.portfolioXml, async (ctx) => {
  await ctx.answerCallbackQuery();
  const view = await ctx.services.portfolio.view(ctx.person!);
  if (!view) return showPortfolio(ctx);
  await ctx.replyWithDocument(portfolioXmlFile(ctx, view), { caption: ctx.t('portfolio.xml-caption') });
});

/** The goal, the report text or the publication link typed after the matching button. */
linked.on('message:text', async (ctx, next) => {
  const draft = ctx.session.portfolio;
  if (!draft || ctx.message.text.startsWith('/')) return next();
  const portfolio = ctx.services.portfolio;
  const person = ctx.person!;
  const text = ctx.message.text;
  if (draft.step === 'goal') return create(ctx, text);
  if (draft.step === 'report-text') {
    const outcome = await portfolio.addReportItem(person, 'report', { title: ctx.t('portfolio.report-title'), description: text });
    if (!outcome.ok) return void (await ctx.reply(ctx.t(`portfolio.refused.${outcome.reason}`)));
    ctx.session.portfolio = { step: 'report-url', itemId: outcome.item.id };
    await ctx.reply(ctx.t('portfolio.ask-link'), {
      reply_markup: new InlineKeyboard().text(ctx.t('portfolio.no-link'), callbackData.portfolioNoLink),
    });
    return;
  }
  const outcome = await portfolio.setItemUrl(person, draft.itemId ?? '', text);
  if (!outcome.ok) return void (await ctx.reply(ctx.t(`portfolio.refused.${outcome.reason}`)));
  await ctx.reply(ctx.t('portfolio.link-saved'));
  await showPortfolio(ctx);
});

async function refuse(ctx: BotContext, reason: string): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t(`portfolio.refused.${reason}`), show_alert: true });
}

export { composer as portfolioFeature };
