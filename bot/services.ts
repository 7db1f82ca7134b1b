import type { i18n } from 'i18next';
import type { Redis } from 'ioredis';
import type { ApplicationsService } from '../core/applications/applications.service';
import type { CreditsService } from '../core/credits/credits.service';
import type { DisputesService } from '../core/disputes/disputes.service';
import type { DocumentsService } from '../core/documents/documents.service';
import type { IdentityService } from '../core/identity/identity.service';
import type { OnboardingService } from '../core/linking/onboarding.service';
import type { CachedPeople } from '../core/people/cached-people';
import type { PortfolioService } from '../core/portfolio/portfolio.service';
import type { PlanService } from '../core/plan/plan.service';
import type { NotificationsService } from '../core/notifications/notifications.service';
import type { ErasureService } from '../core/privacy/erasure.service';
import type { PersonalDataExportService } from '../core/privacy/export.service';
import type { PrivacyService } from '../core/privacy/privacy.service';
import type { SettingsService } from '../core/settings/settings.service';
import type { SupportService } from '../core/support/support.service';
import type { CannedRepliesService } from '../core/support/canned-replies';
import type { OrgAdminsService } from '../core/organizations/org-admins.service';
import type { AttendanceService } from '../core/attendance/attendance.service';
import type { EventsService } from '../core/events/events.service';
import type { AnnouncementsService } from '../core/announcements/announcements.service';
import type { ComplianceReportService } from '../core/reports/compliance-report.service';
import type { ProgramReportService } from '../core/reports/program-report.service';
import type { Clock } from '../core/shared/clock';
import type { Config } from '../infra/config/config';
import type { Logger } from '../infra/logger';
import type { ChartFileIds } from './features/credits/chart-file-ids';
import type { OutageNotices } from './intake/outage-notices';
import type { SessionData } from './context';
import type { BotMetrics } from './metrics';
import type { RedisSessionStorage } from './middlewares/redis-session-storage';

/** Everything the handlers need, handed over once when the bot is built (no globals). */
export interface BotServices {
  config: Config;
  logger: Logger;
  i18n: i18n;
  /** Fails a command after one reconnection attempt: an outage postpones the update instead of hanging it. */
  redis: Redis;
  /** Private chats' sessions (on `redis`); the update intake reads one along with its update's claim. */
  sessions: RedisSessionStorage<SessionData>;
  clock: Clock;
  metrics: BotMetrics;
  /** «Briefly unavailable, we will answer», once per outage per chat. */
  notices: OutageNotices;
  onboarding: OnboardingService;
  /** The person behind a Telegram user, kept between updates while PostgreSQL's change notices are heard. */
  people: CachedPeople;
  credits: CreditsService;
  /** Progress charts already sent, by their Telegram file_id (Redis, and kept in this process). */
  chartFileIds: ChartFileIds;
  plan: PlanService;
  applications: ApplicationsService;
  disputes: DisputesService;
  documents: DocumentsService;
  identity: IdentityService;
  notifications: NotificationsService;
  settings: SettingsService;
  privacy: PrivacyService;
  personalDataExport: PersonalDataExportService;
  erasure: ErasureService;
  support: SupportService;
  portfolio: PortfolioService;
  cannedReplies: CannedRepliesService;
  orgAdmins: OrgAdminsService;
  announcements: AnnouncementsService;
  complianceReports: ComplianceReportService;
  programReports: ProgramReportService;
  attendance: AttendanceService;
  events: EventsService;
}
