import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import type { Bot } from 'grammy';
import type { i18n } from 'i18next';
import type { Redis } from 'ioredis';
import type { Registry } from 'prom-client';
import { ApplicationsService } from '../core/applications/applications.service';
import { CREDIT_ENTRIES_CHANGED_CHANNEL, CreditsService } from '../core/credits/credits.service';
import { DisputesService } from '../core/disputes/disputes.service';
import { DocumentsService } from '../core/documents/documents.service';
import { IdentityService } from '../core/identity/identity.service';
import { OnboardingService } from '../core/linking/onboarding.service';
import { CachedPeople, PEOPLE_CHANGED_CHANNEL } from '../core/people/cached-people';
import { PlanService } from '../core/plan/plan.service';
import { NotificationsService } from '../core/notifications/notifications.service';
import { ErasureService } from '../core/privacy/erasure.service';
import { PersonalDataExportService } from '../core/privacy/export.service';
import { PrivacyService } from '../core/privacy/privacy.service';
import { SettingsService } from '../core/settings/settings.service';
import { SUPPORT_TICKETS_CHANGED_CHANNEL, SupportService } from '../core/support/support.service';
import { PortfolioService } from '../core/portfolio/portfolio.service';
import { CannedRepliesService } from '../core/support/canned-replies';
import { OrgAdminsService } from '../core/organizations/org-admins.service';
import { AttendanceService } from '../core/attendance/attendance.service';
import { EventsService } from '../core/events/events.service';
import { AnnouncementsService } from '../core/announcements/announcements.service';
import { ComplianceReportService } from '../core/reports/compliance-report.service';
import { RULE_SETS_CHANGED_CHANNEL, RuleSetRepository } from '../core/rules/rule-set.repository';
import { ProgramReportService } from '../core/reports/program-report.service';
import type { Clock } from '../core/shared/clock';
import { type Database, sqlPoolOf } from '../core/shared/database';
import { type Config, required } from '../infra/config/config';
import { DatabaseChanges } from '../infra/database-changes';
import type { Logger } from '../infra/logger';
import { CLOCK, CONFIG, DATABASE, I18N, LOGGER, METRICS } from '../infra/nest/tokens';
import { createRedisClient, INTERACTIVE_REDIS } from '../infra/redis-client';
import { createBot } from './bot';
import { ChartFileIds } from './features/credits/chart-file-ids';
import type { BotContext, SessionData } from './context';
import { botSessionStorage, type RedisSessionStorage } from './middlewares/redis-session-storage';
import { registerCommands } from './shared/commands';
import { pendingQuestionKeysOf } from './shared/pending-questions';
import { OutageNotices } from './intake/outage-notices';
import { ALLOWED_UPDATES, UpdateIntake } from './intake/update-intake';
import { BotMetrics } from './metrics';

/**
 * The grammY bot as a Nest provider: built once; on boot it registers the webhook (or removes it for
 * polling) and starts the update intake; on shutdown it drains the intake within BOT_STOP_GRACE_MS.
 */
@Injectable()
export class TelegramBot implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly bot: Bot<BotContext>;
  started = false;
  intake?: UpdateIntake;
  private readonly redis: Redis;
  private readonly sessions: RedisSessionStorage<SessionData>;
  /**
   * Changes to people and to rule sets, heard from PostgreSQL: what lets `people` and the rule sets keep
   * them in memory between updates.
   */
  private readonly tableChanges: DatabaseChanges;
  private readonly metrics: BotMetrics;
  private readonly notices: OutageNotices;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(LOGGER) private readonly logger: Logger,
    @Inject(I18N) private readonly i18n: i18n,
    @Inject(DATABASE) private readonly db: Database,
    @Inject(CLOCK) clock: Clock,
    @Inject(METRICS) registry: Registry,
    onboarding: OnboardingService,
    credits: CreditsService,
    plan: PlanService,
    applications: ApplicationsService,
    disputes: DisputesService,
    documents: DocumentsService,
    identity: IdentityService,
    notifications: NotificationsService,
    settings: SettingsService,
    privacy: PrivacyService,
    personalDataExport: PersonalDataExportService,
    erasure: ErasureService,
    support: SupportService,
    portfolio: PortfolioService,
    cannedReplies: CannedRepliesService,
    orgAdmins: OrgAdminsService,
    announcements: AnnouncementsService,
    complianceReports: ComplianceReportService,
    programReports: ProgramReportService,
    attendance: AttendanceService,
    events: EventsService,
    ruleSets: RuleSetRepository,
  ) {
    this.redis = createRedisClient(required(config, 'REDIS_URL'), logger, 'bot', INTERACTIVE_REDIS);
    // A private message's pending questions are read along with its session (RedisSessionStorage.keysOf).
    this.sessions = botSessionStorage<SessionData>(this.redis, config.REDIS_PREFIX, (update) =>
      pendingQuestionKeysOf(update, config.REDIS_PREFIX),
    );
    this.tableChanges = new DatabaseChanges(
      required(config, 'DATABASE_URL'),
      [PEOPLE_CHANGED_CHANNEL, RULE_SETS_CHANGED_CHANNEL, CREDIT_ENTRIES_CHANGED_CHANNEL, SUPPORT_TICKETS_CHANGED_CHANNEL],
      logger,
    );
    this.tableChanges.alsoHearOn(sqlPoolOf(db));
    ruleSets.keepWhileHeard(this.tableChanges.of(RULE_SETS_CHANGED_CHANNEL));
    credits.keepWhileHeard(this.tableChanges.of(CREDIT_ENTRIES_CHANGED_CHANNEL));
    support.keepWhileHeard(this.tableChanges.of(SUPPORT_TICKETS_CHANGED_CHANNEL));
    this.metrics = new BotMetrics(registry);
    this.notices = new OutageNotices((chatId, text) => this.bot.api.sendMessage(chatId, text), i18n);
    const services = {
      config,
      logger,
      i18n: this.i18n,
      redis: this.redis,
      sessions: this.sessions,
      people: new CachedPeople(
        (telegramUserId) => onboarding.findByTelegramUser(telegramUserId),
        this.tableChanges.of(PEOPLE_CHANGED_CHANNEL),
      ),
      clock,
      metrics: this.metrics,
      notices: this.notices,
      onboarding,
      credits,
      chartFileIds: new ChartFileIds(this.redis, config.REDIS_PREFIX),
      plan,
      notifications,
      documents,
      identity,
      applications,
      disputes,
      settings,
      privacy,
      personalDataExport,
      erasure,
      support,
      portfolio,
      cannedReplies,
      orgAdmins,
      attendance,
      events,
      announcements,
      complianceReports,
      programReports,
    };
    this.bot = createBot(services, { token: required(config, 'TELEGRAM_BOT_TOKEN'), apiRoot: config.TELEGRAM_API_ROOT });
  }

  async onApplicationBootstrap(): Promise<void> {
    this.tableChanges.start();
    await this.bot.init();
    this.logger.info({ username: this.bot.botInfo.username, mode: this.config.BOT_MODE }, 'bot starting');
    if (this.config.SEND_STARTUP_COMMANDS) {
      await registerCommands(this.bot.api, { ru: this.i18n.getFixedT('ru'), en: this.i18n.getFixedT('en') });
      await this.registerMenuButton();
    }
    this.intake = new UpdateIntake(this.bot, this.db, this.notices, this.metrics, this.logger, {
      mode: this.config.BOT_MODE,
      redisUrl: required(this.config, 'REDIS_URL'),
      redisPrefix: this.config.REDIS_PREFIX,
      maxInFlight: this.config.BOT_MAX_UPDATES_IN_FLIGHT,
      firstRead: this.sessions,
    });
    await this.intake.start();
    if (this.config.BOT_MODE === 'webhook') {
      await this.bot.api.setWebhook(required(this.config, 'WEBHOOK_URL'), {
        secret_token: required(this.config, 'WEBHOOK_SECRET'),
        allowed_updates: [...ALLOWED_UPDATES],
        max_connections: this.config.WEBHOOK_MAX_CONNECTIONS,
      });
    } else {
      // Polling after a webhook was set would fail with 409: remove it first, keeping pending updates.
      await this.bot.api.deleteWebhook();
    }
    this.started = true;
  }

  /**
   * The button left of the message field of every private chat: the cabinet when CABINET_URL is set
   * (Telegram opens it as a Mini App and signs the person in), Telegram's default otherwise, so removing
   * the variable also removes the button.
   */
  private async registerMenuButton(): Promise<void> {
    const url = this.config.CABINET_URL;
    await this.bot.api.setChatMenuButton({
      menu_button: url
        ? { type: 'web_app', text: this.i18n.getFixedT('ru')('cabinet.menu-button'), web_app: { url } }
        : { type: 'default' },
    });
  }

  /** SIGTERM (every deploy): stop taking updates, finish or hand back those in hand. */
  async beforeApplicationShutdown(): Promise<void> {
    this.started = false;
    await this.intake?.stop(this.config.BOT_STOP_GRACE_MS);
  }

  async onApplicationShutdown(): Promise<void> {
    this.redis.disconnect();
    await this.tableChanges.stop();
  }
}
