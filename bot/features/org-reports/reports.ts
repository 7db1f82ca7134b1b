import { Composer, InlineKeyboard, InputFile } from 'grammy';
import { STAFF_CATEGORIES } from '../../../core/organizations/categories';
import type { ComplianceFilters } from '../../../core/reports/compliance-report.service';
import type { StaffCategory } from '../../../generated/prisma/client';
import { complianceReportFile, programReportFile } from '../../../infra/render/organization-report-files';
import { complianceLabels } from '../../../infra/render/report-labels';
import { callbackData, callbackPattern } from '../../callback-data/callback-data';
import type { BotContext } from '../../context';
import { linkedOnly } from '../../filters/linked-only';
import { requireOrgAdmin } from '../../filters/org-admin';

/**
 * /report for an organization's admins: the compliance report (XLSX or PDF) with the filters the
 * department uses most — behind pace, the cycle ending within 6 months, one category — and the programs'
 * budget and participation. The filters ride in the buttons (3 characters), so no session is needed and
 * an old menu still works.
 */
const composer = new Composer<BotContext>();
const admins = composer.chatType('private').filter(linkedOnly);

/** The deadline filter's horizon in the bot; the API takes any number of months. */
const DEADLINE_MONTHS = 6;

interface MenuState {
  behindPace: boolean;
  deadline: boolean;
  category: StaffCategory | null;
}

export function encodeState(state: MenuState): string {
  const category = state.category ? String(STAFF_CATEGORIES.indexOf(state.category)) : '-';
  return `${state.behindPace ? 1 : 0}${state.deadline ? 1 : 0}${category}`;
}

export function decodeState(code: string): MenuState {
  return {
    behindPace: code[0] === '1',
    deadline: code[1] === '1',
    category: code[2] === '-' ? null : (STAFF_CATEGORIES[Number(code[2])] ?? null),
  };
}

function filtersOf(state: MenuState): ComplianceFilters {
  return {
    ...(state.behindPace ? { behindPace: true } : {}),
    ...(state.deadline ? { deadlineWithinMonths: DEADLINE_MONTHS } : {}),
    ...(state.category ? { category: state.category } : {}),
  };
}

function menu(ctx: BotContext, state: MenuState): { text: string; keyboard: InlineKeyboard } {
  const code = encodeState(state);
  const mark = (on: boolean) => (on ? '☑' : '☐');
  const labels = complianceLabels(ctx.t, filtersOf(state), '');
  const keyboard = new InlineKeyboard()
    .text(ctx.t('reports.compliance-xlsx'), callbackData.reportsCompliance('x', code))
    .text(ctx.t('reports.compliance-pdf'), callbackData.reportsCompliance('p', code))
    .row()
    .text(
      ctx.t('reports.toggle-behind', { mark: mark(state.behindPace) }),
      callbackData.reportsMenu(encodeState({ ...state, behindPace: !state.behindPace })),
    )
    .text(
      ctx.t('reports.toggle-deadline', { mark: mark(state.deadline) }),
      callbackData.reportsMenu(encodeState({ ...state, deadline: !state.deadline })),
    )
    .row()
    .text(
      ctx.t('reports.choose-category', { category: state.category ? labels.categories[state.category] : ctx.t('reports.all-categories') }),
      callbackData.reportsCategories(code),
    )
    .row()
    .text(ctx.t('reports.programs-xlsx'), callbackData.reportsPrograms('x'))
    .text(ctx.t('reports.programs-pdf'), callbackData.reportsPrograms('p'));
  return { text: ctx.t('reports.menu', { filters: labels.filterLine }), keyboard };
}

admins.command('report', async (ctx) => {
  if (!(await requireOrgAdmin(ctx))) return;
  const { text, keyboard } = menu(ctx, { behindPace: false, deadline: false, category: null });
  await ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard });
});

admins.callbackQuery(callbackPattern.reportsMenu, async (ctx) => {
  if (!(await requireOrgAdmin(ctx))) return;
  await ctx.answerCallbackQuery();
  const { text, keyboard } = menu(ctx, decodeState(ctx.match[1]));
  await ctx
    .editMessageText(text, { parse_mode: 'HTML', reply_markup: keyboard })
    .catch(() => ctx.reply(text, { parse_mode: 'HTML', reply_markup: keyboard }));
});

admins.callbackQuery(callbackPattern.reportsCategories, async (ctx) => {
  if (!(await requireOrgAdmin(ctx))) return;
  await ctx.answerCallbackQuery();
  const state = decodeState(ctx.match[1]);
  const keyboard = new InlineKeyboard()
    .text(ctx.t('reports.all-categories'), callbackData.reportsMenu(encodeState({ ...state, category: null })))
    .row();
  for (const category of STAFF_CATEGORIES)
    keyboard.text(ctx.t(`reports.categories.${category}`), callbackData.reportsMenu(encodeState({ ...state, category }))).row();
  await ctx
    .editMessageText(ctx.t('reports.category-prompt'), { reply_markup: keyboard })
    .catch(() => ctx.reply(ctx.t('reports.category-prompt'), { reply_markup: keyboard }));
});

admins.callbackQuery(callbackPattern.reportsCompliance, async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  await ctx.answerCallbackQuery();
  const format = ctx.match[1] === 'x' ? 'xlsx' : 'pdf';
  const report = await ctx.services.complianceReports.read(admin.organization, filtersOf(decodeState(ctx.match[2])), {
    actor: { type: 'admin', id: admin.person.id },
    format,
    channel: 'bot',
  });
  const file = await complianceReportFile(report, format, ctx.t, ctx.lang, ctx.services.clock.now());
  await ctx.replyWithDocument(new InputFile(file.bytes, file.fileName), {
    caption: ctx.t('reports.compliance-caption', { organization: admin.organization.name, count: report.rows.length }),
  });
});

admins.callbackQuery(callbackPattern.reportsPrograms, async (ctx) => {
  const admin = await requireOrgAdmin(ctx);
  if (!admin) return;
  await ctx.answerCallbackQuery();
  const format = ctx.match[1] === 'x' ? 'xlsx' : 'pdf';
  const report = await ctx.services.programReports.read(admin.organization, {
    actor: { type: 'admin', id: admin.person.id },
    format,
    channel: 'bot',
  });
  const file = await programReportFile(report, format, ctx.t, ctx.lang);
  await ctx.replyWithDocument(new InputFile(file.bytes, file.fileName), {
    caption: ctx.t('reports.programs-caption', { organization: admin.organization.name }),
  });
});

export { composer as reportsComposer };
