import { Controller, Get, Header, Inject, Param, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ApplicationsService } from '../../../core/applications/applications.service';
import { CalendarRepository } from '../../../core/calendar/calendar.repository';
import { CreditsService } from '../../../core/credits/credits.service';
import { DisputesService } from '../../../core/disputes/disputes.service';
import { DocumentsService } from '../../../core/documents/documents.service';
import { EventsService } from '../../../core/events/events.service';
import { OnboardingService } from '../../../core/linking/onboarding.service';
import { OrgAdminsService } from '../../../core/organizations/org-admins.service';
import { PlanService } from '../../../core/plan/plan.service';
import { PortfolioService } from '../../../core/portfolio/portfolio.service';
import type { Clock } from '../../../core/shared/clock';
import { CLOCK, I18N } from '../../../infra/nest/tokens';
import type { i18n } from 'i18next';
import { TelegramBot } from '../../telegram-bot';
import { CabinetAuthGuard } from './cabinet-auth.guard';
import { UnlinkedAllowed, cabinetError, callerOf, personOf } from './cabinet-request';
import { safeFileName } from '../../../core/shared/text';
import { applicationView, disputeView } from './views/cases-view';
import { cycleView } from './views/cycle-view';
import { documentView, entryView } from './views/entries-view';
import { planView } from './views/plan-view';
import { portfolioView } from './views/portfolio-view';
import type { Cases, Cycle, Entries, Plan, Portfolio, Session } from './wire';

/** How many entries and documents the cabinet lists: years of a nurse's cycle fit in it many times over. */
const LIST_LIMIT = 500;
const OPEN_CASE = new Set(['SUBMITTED', 'UNDER_REVIEW']);

/**
 * What a member of staff reads in the cabinet (R-CABINET): the cycle with its chart, entries with their
 * documents, applications, disputes and appeals with their deadlines, the plan and the portfolio. Every
 * route reads through the same core services as the chat, for the person the initData proved.
 */
@Controller('cabinet/api')
@UseGuards(CabinetAuthGuard)
export class StaffReadController {
  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(I18N) private readonly i18n: i18n,
    private readonly telegram: TelegramBot,
    private readonly onboarding: OnboardingService,
    private readonly orgAdmins: OrgAdminsService,
    private readonly credits: CreditsService,
    private readonly documents: DocumentsService,
    private readonly applications: ApplicationsService,
    private readonly disputes: DisputesService,
    private readonly calendars: CalendarRepository,
    private readonly plan: PlanService,
    private readonly portfolio: PortfolioService,
    private readonly events: EventsService,
  ) {}

  /** Who the page is for and its sentences; an unlinked Telegram user learns how to link in the chat. */
  @Get('session')
  @UnlinkedAllowed()
  async session(@Req() request: Request): Promise<Session> {
    const { person, lang, t } = callerOf(request);
    const strings = (this.i18n.getResource(lang, 'translation', 'cabinet') ?? {}) as Record<string, unknown>;
    const botUsername = this.telegram.bot.isInited() ? this.telegram.bot.botInfo.username : null;
    if (!person) return { lang, strings, person: null, howToLink: t('cabinet.errors.not-linked'), admin: null, botUsername };
    const [organization, admin] = await Promise.all([
      person.organizationId ? this.onboarding.organizationName(person.organizationId) : null,
      this.orgAdmins.adminOf(person.id),
    ]);
    return {
      lang,
      strings,
      person: { fullName: person.fullName ?? '', category: person.category ? t(`category.${person.category}`) : null, organization },
      howToLink: null,
      admin: admin ? { organization: admin.organization.name, code: admin.organization.code } : null,
      botUsername,
    };
  }

  @Get('cycle')
  async cycle(@Req() request: Request): Promise<Cycle> {
    const { t, lang } = callerOf(request);
    return cycleView(await this.credits.balance(personOf(request)), t, lang);
  }

  @Get('entries')
  async entries(@Req() request: Request): Promise<Entries> {
    const person = personOf(request);
    const { t, lang } = callerOf(request);
    const [ruleSet, entries, documents, disputes] = await Promise.all([
      this.credits.ruleSetOf(person),
      this.credits.history(person.id, LIST_LIMIT),
      this.documents.list(person, LIST_LIMIT),
      this.disputes.list(person),
    ]);
    const attached = await this.documents.attachedTo(
      person,
      'CREDIT_ENTRY',
      entries.map((e) => e.id),
    );
    const disputed = new Set(
      disputes.filter((d) => d.subjectType === 'CREDIT_ENTRY' && OPEN_CASE.has(d.status) && d.subjectId).map((d) => d.subjectId!),
    );
    return {
      entries: entries.map((entry) => entryView(entry, ruleSet, attached.get(entry.id) ?? [], disputed, t, lang)),
      documents: documents.map(({ document }) => documentView(document, t)),
      unitLabel: t(`credits.unit.${ruleSet.unit}`),
    };
  }

  /**
   * A document's bytes, for the page to show it (it fetches them with its initData header and opens them
   * in place). Only the person's own; another's answers exactly like a missing one.
   */
  @Get('documents/:id')
  @Header('Cache-Control', 'no-store')
  async document(@Req() request: Request, @Res() response: Response, @Param('id') id: string): Promise<void> {
    const person = personOf(request);
    const { t } = callerOf(request);
    const document = await this.documents.get(person, id);
    const bytes = document ? await this.documents.content(person, id) : null;
    if (!document || !bytes) throw cabinetError(404, 'document-not-found', t('documents.refused.not-found'));
    const name = safeFileName(documentView(document, t).name);
    response
      .status(200)
      .setHeader('Content-Type', document.mediaType)
      .setHeader('Content-Length', String(bytes.length))
      .setHeader('Content-Disposition', `inline; filename*=UTF-8''${encodeURIComponent(name)}`)
      // The bytes are a person's upload: never a page that runs anything, even if a browser opens it directly.
      .setHeader('Content-Security-Policy', "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'")
      .end(bytes);
  }

  @Get('cases')
  async cases(@Req() request: Request): Promise<Cases> {
    const person = personOf(request);
    const { t } = callerOf(request);
    const [applications, disputes, calendar] = await Promise.all([
      this.applications.list(person),
      this.disputes.list(person),
      this.calendars.current(),
    ]);
    const cards = await Promise.all(applications.map((a) => this.applications.card(person, a.id)));
    const evidence = await this.documents.attachedTo(
      person,
      'DISPUTE',
      disputes.map((d) => d.id),
    );
    const now = this.clock.now();
    return {
      applications: cards.flatMap((card) => (card ? [applicationView(card, t)] : [])),
      disputes: await Promise.all(
        disputes.map(async (dispute) =>
          disputeView(
            dispute,
            { calendar, now, appealWindow: await this.disputes.appealWindow(dispute), evidence: evidence.get(dispute.id) ?? [] },
            t,
          ),
        ),
      ),
    };
  }

  @Get('plan')
  async studyPlan(@Req() request: Request): Promise<Plan> {
    const person = personOf(request);
    const { t, lang } = callerOf(request);
    const [overview, events] = await Promise.all([this.plan.overview(person), this.events.upcomingFor(person)]);
    return planView(overview, events, { today: this.credits.today(person), timeZone: person.timeZone }, t, lang);
  }

  @Get('portfolio')
  async portfolioOf(@Req() request: Request): Promise<Portfolio> {
    const person = personOf(request);
    const { t, lang } = callerOf(request);
    const view = await this.portfolio.view(person);
    if (view) return portfolioView(view, view.window, view.ruleSet.unit, t, lang);
    const { ruleSet, evaluation } = await this.credits.balance(person);
    return portfolioView(null, evaluation.portfolioWindow, ruleSet.unit, t, lang);
  }
}
