// First: every feature below registers its filters when imported, and they must decide directly (#14).
import './grammy-composition';
import { autoRetry } from '@grammyjs/auto-retry';
import { fitMessages } from '../infra/telegram/fit-messages';
import { grammyFetch } from '../infra/telegram/lean-fetch';
import { botBudgetLimit, SendBudget, withinSendBudget } from '../infra/telegram/send-budget';
import { Bot } from 'grammy';
import { BotContextClass, chatSession } from './bot-context';
import type { BotContext } from './context';
import { addCreditFeature } from './features/add-credit/add-credit.feature';
import { applicationsFeature } from './features/applications/applications.feature';
import { attendanceDeepLinkFeature, attendanceFeature } from './features/attendance/attendance.feature';
import { creditsFeature } from './features/credits/credits.feature';
import { historyFeature } from './features/credits/history.feature';
import { disputesFeature } from './features/disputes/disputes.feature';
import { documentsFeature } from './features/documents/documents.feature';
import { helpFeature } from './features/help/help.feature';
import { portfolioFeature } from './features/portfolio/portfolio.feature';
import { orgAdminFeature } from './features/org-admin/org-admin.feature';
import { planFeature } from './features/plan/plan.feature';
import { eventsFeature } from './features/events/events.feature';
import { identityFeature } from './features/identity/identity.feature';
import { reviewsFeature } from './features/reviews/reviews.feature';
import { privacyFeature } from './features/privacy/privacy.feature';
import { settingsFeature } from './features/settings/settings.feature';
import { startFeature } from './features/start/start.feature';
import { supportFeature, supportRelayFeature } from './features/support/support.feature';
import { orgReportsFeature } from './features/org-reports/org-reports.feature';
import { unhandledFeature } from './features/unhandled/unhandled.feature';
import { wizardCancelFeature, wizardHintFeature } from './features/wizard-steps/wizard-steps.feature';
import { attachServices, loadPerson } from './middlewares/attach-context';
import { errorBoundary } from './middlewares/error-boundary';
import { sessionKeyOf } from './middlewares/redis-session-storage';
import type { BotServices } from './services';

export interface BotOptions {
  token: string;
  apiRoot: string;
  /** Known in advance (tests, restarts) to skip a getMe round trip. */
  botInfo?: Bot['botInfo'];
}

/**
 * Builds the bot: the same handlers whether updates come by polling, webhook or a local stand-in.
 * Updates reach it through the update log (bot/intake/), which already keeps one chat's updates in
 * order, one at a time, and never hands an update to two processes.
 */
export function createBot(services: BotServices, options: BotOptions): Bot<BotContext> {
  // grammyFetch instead of node-fetch: every reply, answer and chart costs a fraction of the CPU (#14).
  const bot = new Bot<BotContext>(options.token, {
    client: { apiRoot: options.apiRoot, fetch: grammyFetch },
    botInfo: options.botInfo,
    // Every context of one shape, its session and logger accessors of the class (bot-context.ts, #14).
    ContextConstructor: BotContextClass,
  });

  // Installed first, so it runs next to the network: every attempt and every part of a split message
  // takes its place in the global budget the worker's notices share (TELEGRAM_RATE_LIMIT, send-budget.ts).
  const budget = new SendBudget(services.redis, services.config.REDIS_PREFIX, botBudgetLimit(services.config.TELEGRAM_RATE_LIMIT));
  bot.api.config.use(
    withinSendBudget(budget, (error) => services.logger.warn({ err: error }, 'send budget unavailable: replying without it')),
  );
  // Interactive replies retry a 429 or a 5xx briefly; they never queue behind proactive sends. A network
  // error is not retried here (the plugin would retry it forever): the error boundary tells the person.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 2, maxDelaySeconds: 5, rethrowHttpErrors: true }));
  // A button press answered late (a slow moment, an update handled again after an outage) is no failure:
  // Telegram has already stopped the spinner, and the rest of the handler must still run.
  bot.api.config.use(async (prev, method, payload, signal) => {
    const result = await prev(method, payload, signal);
    if (
      method === 'answerCallbackQuery' &&
      !result.ok &&
      result.error_code === 400 &&
      /query is too old|query ID is invalid/.test(result.description)
    ) {
      return { ok: true, result: true } as unknown as typeof result;
    }
    return result;
  });
  // Installed last, so it runs first: a message one view lets grow too long goes out in parts (each one
  // retried by the line above), never refused. Views are meant to fit by themselves; this is the guard.
  bot.api.config.use(fitMessages(services.logger));

  bot.use(attachServices(services));
  // Everything after this point fails into one boundary (replays, outages, our own bugs).
  bot.use(errorBoundary(services.notices));
  bot.use(
    chatSession({
      initial: () => ({}),
      getSessionKey: (ctx) => sessionKeyOf(ctx.chat),
      storage: services.sessions,
    }),
  );
  bot.use(loadPerson());

  // The support group's updates and the person's support buttons first: nothing else may claim them.
  // Reviews, /reply and /canned in the support group go before the support feature, which claims the rest of the group.
  bot.use(reviewsFeature);
  bot.use(supportFeature);
  bot.use(helpFeature);
  bot.use(privacyFeature);
  // A linked person's `/start code_…` claims an attendance code; every other /start is the start feature's.
  bot.use(attendanceDeepLinkFeature);
  bot.use(startFeature);
  // /cancel of a linked person ends whichever wizard runs (linking has its own, in the start feature).
  bot.use(wizardCancelFeature);
  bot.use(creditsFeature);
  bot.use(historyFeature);
  bot.use(addCreditFeature);
  bot.use(planFeature);
  bot.use(applicationsFeature);
  bot.use(disputesFeature);
  bot.use(identityFeature);
  bot.use(documentsFeature);
  bot.use(settingsFeature);
  bot.use(portfolioFeature);
  bot.use(eventsFeature);
  bot.use(attendanceFeature);
  // Organization admins' reports and announcements; its wizard takes typed text only while a draft waits for it.
  bot.use(orgReportsFeature);
  bot.use(orgAdminFeature);
  // What a wizard's step cannot take gets the step's hint (after the features, so their own answers win).
  bot.use(wizardHintFeature);
  // After the wizards (their typed answers win), before `unhandled`: free messages to an open ticket.
  bot.use(supportRelayFeature);
  bot.use(unhandledFeature);

  return bot;
}
