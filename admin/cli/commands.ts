import type { CalendarYearsService } from '../../core/calendar/calendar-years.service';
import type { AnnouncementsService } from '../../core/announcements/announcements.service';
import type { ComplianceFilters, ComplianceReportService } from '../../core/reports/compliance-report.service';
import type { ProgramReportService } from '../../core/reports/program-report.service';
import { createI18n } from '../../infra/i18n';
import { complianceReportFile, programReportFile, type ReportFile } from '../../infra/render/organization-report-files';
import { parseCategory } from '../../core/organizations/categories';
import { describeFileProblem, type ImportTable } from '../../core/organizations/import-table';
import type { ImportOutcome } from '../../core/organizations/import-report';
import { InviteRequestError, MAX_INVITE_DAYS } from '../../core/organizations/invites.service';
import { ADMIN_REFUSALS } from '../../core/organizations/org-admins.service';
import { attendanceDeepLink } from '../../core/attendance/attendance-code';
import { type IssueRefusal, MAX_CODE_DAYS, MAX_SHARED_CLAIMS } from '../../core/attendance/attendance.service';
import type { Organization } from '../../generated/prisma/client';
import { readTableInThread, TabularError } from '../../infra/tabular';
import type { AdminServices } from '../services';
import type { EventInput, EventPatch } from '../../core/events/event-input';
import type { EventsService } from '../../core/events/events.service';
import type { FailedFilter, FailedNotifications } from '../../core/notifications/failed-notifications';
import { formatInvites, formatOverview, formatReport } from './format';

/** Who the audit journal names for changes made from the command line. */
export const CLI_ACTOR = { type: 'admin', id: 'cli' } as const;

/** Bad input: printed as one line, and the process exits non-zero. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export interface CliContext {
  services: AdminServices;
  /** Results (what a script would redirect). */
  out(line: string): void;
  /** Notes for the person at the terminal. */
  err(line: string): void;
  readFile(path: string): Promise<Buffer>;
  /** The bot's username, for invite links (from --bot or asked of the Bot API). */
  botUsername(flag: string | undefined): Promise<string>;
  /** Said after an import when re-evaluation did not go through the queue. */
  evaluationNote?(): string | undefined;
  /** The production calendar's years (calendar:load). */
  calendar?: CalendarYearsService;
  /** Events and programs (events:*, programs:*). */
  events?: EventsService;
  /** Reports of an organization (report:compliance, report:programs); every read is journaled. */
  reports?: { compliance: ComplianceReportService; programs: ProgramReportService };
  /** Announcements to an organization's staff (announce). */
  announcements?: AnnouncementsService;
  /** Writes a report file (--out). */
  writeFile?(path: string, bytes: Buffer): Promise<void>;
  /** FAILED notifications and their retry (notifications:*); needs the outbound queue, so REDIS_URL. */
  failedNotifications?: FailedNotifications;
}

interface Parsed {
  args: string[];
  flags: Map<string, string>;
}

interface Command {
  usage: string;
  summary: string;
  minArgs: number;
  maxArgs?: number;
  run(parsed: Parsed, context: CliContext): Promise<void>;
}

const COMMANDS: Record<string, Command> = {
  'rule-set:list': {
    usage: 'rule-set:list',
    summary: 'installed rule sets, newest version first',
    minArgs: 0,
    maxArgs: 0,
    async run(_parsed, { services, out }) {
      const ruleSets = await services.ruleSets.list();
      if (ruleSets.length === 0) out('No rule sets installed (the shipped ones apply until installed).');
      for (const r of ruleSets) out(`${r.code}\tv${r.version}\t${r.name}\t${r.createdAt.toISOString().slice(0, 10)}`);
    },
  },
  'rule-set:install': {
    usage: 'rule-set:install <file.json>',
    summary: 'validate and install a rule set definition',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [file] }, { services, out, readFile }) {
      let json: unknown;
      try {
        json = JSON.parse((await readFile(file)).toString('utf8').replace(/^\uFEFF/, ''));
      } catch (error) {
        throw new CliError(`${file}: not valid JSON (${(error as Error).message})`);
      }
      const result = await services.ruleSets.install(json, CLI_ACTOR);
      if (!result.ok) throw new CliError(`rule set refused: ${result.errors.join('; ')}`);
      out(
        result.created
          ? `Installed ${result.ruleSet.code} v${result.ruleSet.version}.`
          : `${result.ruleSet.code} v${result.ruleSet.version} is already installed with this content.`,
      );
    },
  },
  'rule-set:assign': {
    usage: 'rule-set:assign <ORG> <rule-set-code> [category]',
    summary: 'choose the rule set of an organization, or of one staff category in it',
    minArgs: 2,
    maxArgs: 3,
    async run({ args: [code, ruleSetCode, categoryText] }, context) {
      const organization = await findOrganization(context, code);
      const category = categoryText ? parseCategory(categoryText) : null;
      if (categoryText && !category)
        throw new CliError(`unknown category "${categoryText}" (DOCTOR, NURSE, PHARMACIST, LAB_TECHNICIAN, SANITARY, ADMINISTRATOR)`);
      const assigned = await context.services.organizations.assignRuleSet(organization, ruleSetCode, category, CLI_ACTOR);
      if (!assigned.ok) throw new CliError(`no rule set "${ruleSetCode}" is installed`);
      context.out(`${organization.code}: ${category ?? 'all categories'} → ${ruleSetCode}`);
    },
  },
  'org:create': {
    usage: 'org:create <CODE> <name…> [--contacts <text>]',
    summary: 'create an organization',
    minArgs: 2,
    async run({ args: [code, ...name], flags }, { services, out }) {
      const created = await services.organizations.create({ code, name: name.join(' '), contacts: flags.get('contacts') }, CLI_ACTOR);
      if (!created.ok) {
        const why = {
          'code-taken': `organization ${code.toUpperCase()} already exists`,
          'code-format': 'the code must be 2–32 Latin capitals, digits, "_" or "-", e.g. GKB1',
          'name-empty': 'the name must not be empty',
        };
        throw new CliError(why[created.reason]);
      }
      out(`Created ${created.organization.code} — ${created.organization.name}.`);
    },
  },
  'org:show': {
    usage: 'org:show <ORG>',
    summary: 'an organization with its roster, invites and rule sets',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code] }, context) {
      const organization = await findOrganization(context, code);
      for (const line of formatOverview(await context.services.organizations.overview(organization))) context.out(line);
    },
  },
  'roster:import': {
    usage: 'roster:import <ORG> <file.csv|file.xlsx>',
    summary: 'import or update the staff roster',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, file] }, context) {
      const organization = await findOrganization(context, code);
      const table = await readTableFile(context, file);
      const outcome = await context.services.roster.import(organization.id, table, CLI_ACTOR);
      printOutcome(context, `Roster import into ${organization.code}`, file, outcome);
      const note = context.evaluationNote?.();
      if (outcome.ok && note && outcome.report.updated > 0) context.err(note);
    },
  },
  'credits:import': {
    usage: 'credits:import <ORG> <file.csv|file.xlsx>',
    summary: 'import credit records of the staff',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, file] }, context) {
      const organization = await findOrganization(context, code);
      const table = await readTableFile(context, file);
      const outcome = await context.services.credits.import(organization.id, table, CLI_ACTOR);
      printOutcome(context, `Credit import into ${organization.code}`, file, outcome);
      const note = context.evaluationNote?.();
      if (outcome.ok && note && outcome.report.created + outcome.report.updated > 0) context.err(note);
    },
  },
  'invites:issue': {
    usage: 'invites:issue <ORG> [externalId…] [--days <1-365>] [--bot <username>]',
    summary: 'one-time invite codes for the given staff, or for everyone not linked yet (printed once, as TSV)',
    minArgs: 1,
    async run({ args: [code, ...externalIds], flags }, context) {
      const organization = await findOrganization(context, code);
      const days = flags.has('days') ? Number(flags.get('days')) : undefined;
      if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_INVITE_DAYS))
        throw new CliError(`--days must be a whole number from 1 to ${MAX_INVITE_DAYS}`);
      const botUsername = await context.botUsername(flags.get('bot'));
      try {
        const result = await context.services.invites.issue(
          organization.id,
          { botUsername, externalIds: externalIds.length ? externalIds : undefined, validForDays: days },
          CLI_ACTOR,
        );
        const { table, notes } = formatInvites(result);
        if (result.invites.length > 0) for (const line of table) context.out(line);
        for (const line of notes) context.err(line);
      } catch (error) {
        if (error instanceof InviteRequestError) throw new CliError(error.message);
        throw error;
      }
    },
  },
  'invites:revoke': {
    usage: 'invites:revoke <ORG> [externalId…]',
    summary: 'make unused invite codes of the given staff (or of everyone) expire now',
    minArgs: 1,
    async run({ args: [code, ...externalIds] }, context) {
      const organization = await findOrganization(context, code);
      const { revoked } = await context.services.invites.revoke(organization.id, externalIds.length ? externalIds : undefined, CLI_ACTOR);
      context.out(`${revoked} invite code(s) revoked.`);
    },
  },
  'codes:issue': {
    usage: 'codes:issue <ORG> <eventId> [personId…] [--shared <maxClaims>] [--days <1-90>] [--bot <username>]',
    summary:
      'attendance codes of an event: one shared code with a limit, or personal ones (the given people, or everyone signed up); printed once, as TSV',
    minArgs: 2,
    async run({ args: [code, eventId, ...personIds], flags }, context) {
      const organization = await findOrganization(context, code);
      const days = flags.has('days') ? Number(flags.get('days')) : undefined;
      if (days !== undefined && !(Number.isInteger(days) && days >= 1 && days <= MAX_CODE_DAYS))
        throw new CliError(`--days must be a whole number from 1 to ${MAX_CODE_DAYS}`);
      const shared = flags.has('shared') ? Number(flags.get('shared')) : undefined;
      if (shared !== undefined && !(Number.isInteger(shared) && shared >= 1 && shared <= MAX_SHARED_CLAIMS))
        throw new CliError(`--shared must be a whole number from 1 to ${MAX_SHARED_CLAIMS}`);
      if (shared !== undefined && personIds.length > 0)
        throw new CliError('a shared code is for everyone: give --shared or person ids, not both');
      const botUsername = await context.botUsername(flags.get('bot'));
      const outcome = await context.services.attendance.issue(
        organization.id,
        eventId,
        shared !== undefined
          ? { mode: 'shared', maxClaims: shared, validForDays: days }
          : { mode: 'personal', personIds: personIds.length ? personIds : undefined, validForDays: days },
        CLI_ACTOR,
      );
      if (!outcome.ok) throw new CliError(attendanceRefusal(outcome));
      if (outcome.codes.length > 0) context.out(['fullName', 'code', 'link', 'maxClaims', 'expiresAt'].join('\t'));
      for (const c of outcome.codes)
        context.out(
          [c.fullName ?? '-', c.code, attendanceDeepLink(botUsername, c.code), c.maxClaims, c.expiresAt.toISOString()].join('\t'),
        );
      if (outcome.codes.length === 0) context.err('No codes issued: nobody is signed up, or everyone was already credited.');
      if (outcome.notFound.length > 0) context.err(`Not linked staff of ${organization.code}: ${outcome.notFound.join(', ')}`);
      if (outcome.alreadyClaimed.length > 0) context.err(`Already credited for this event: ${outcome.alreadyClaimed.length}`);
    },
  },
  'codes:claims': {
    usage: 'codes:claims <ORG> <eventId>',
    summary: 'who claimed an event with an attendance code, and when (TSV)',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, eventId] }, context) {
      const organization = await findOrganization(context, code);
      const listing = await context.services.attendance.claims(organization.id, eventId);
      if (!listing) throw new CliError(`no event ${eventId} in ${organization.code}`);
      context.err(
        `${listing.event.title}: ${listing.claims.length} claim(s); codes used ${listing.codes.reduce((n, c) => n + c.claimCount, 0)} of ${listing.codes.reduce((n, c) => n + c.maxClaims, 0)}.`,
      );
      for (const c of listing.claims)
        context.out([c.claimedAt.toISOString(), c.fullName ?? '-', c.personalCode ? 'personal' : 'shared', c.quantity ?? '-'].join('\t'));
    },
  },
  'admins:list': {
    usage: 'admins:list <ORG>',
    summary: 'who holds the ADMIN role of an organization, with their active API keys',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code] }, context) {
      const organization = await findOrganization(context, code);
      const admins = await context.services.orgAdmins.list(organization.id);
      if (admins.length === 0) context.err(`${organization.code} has no admins yet (admins:grant ${organization.code} <externalId>).`);
      for (const a of admins)
        context.out(
          `${a.externalId}\t${a.fullName}\t${a.linked ? 'linked' : 'not linked yet'}\t${a.keys.length} key(s)${a.keys.map((k) => `\t${k.id}${k.label ? ` (${k.label})` : ''}`).join('')}`,
        );
    },
  },
  'admins:grant': {
    usage: 'admins:grant <ORG> <externalId>',
    summary: 'give the ADMIN role to a roster entry (its person has it now or when they link)',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, externalId] }, context) {
      const organization = await findOrganization(context, code);
      const outcome = await context.services.orgAdmins.grant(organization.id, externalId, CLI_ACTOR);
      if (!outcome.ok) throw new CliError(ADMIN_REFUSALS[outcome.reason]);
      const when = outcome.personId ? '' : ' (from the moment they link the bot)';
      context.out(
        outcome.changed
          ? `${outcome.fullName} is now an admin of ${organization.code}${when}.`
          : `${outcome.fullName} already is an admin of ${organization.code}.`,
      );
    },
  },
  'admins:revoke': {
    usage: 'admins:revoke <ORG> <externalId>',
    summary: 'take the ADMIN role back (their API keys stop working)',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, externalId] }, context) {
      const organization = await findOrganization(context, code);
      const outcome = await context.services.orgAdmins.revoke(organization.id, externalId, CLI_ACTOR);
      if (!outcome.ok) throw new CliError(ADMIN_REFUSALS[outcome.reason]);
      context.out(
        outcome.changed
          ? `${outcome.fullName} is no longer an admin of ${organization.code}.`
          : `${outcome.fullName} was not an admin of ${organization.code}.`,
      );
    },
  },
  'admins:key': {
    usage: 'admins:key <ORG> <externalId> [--label <text>]',
    summary: 'an admin API key for an admin of the organization (printed once; it acts for that organization only)',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, externalId], flags }, context) {
      const organization = await findOrganization(context, code);
      const outcome = await context.services.orgAdmins.issueKey(organization.id, externalId, flags.get('label') ?? null, CLI_ACTOR);
      if (!outcome.ok) throw new CliError(ADMIN_REFUSALS[outcome.reason]);
      context.out(outcome.key);
      context.err(`Key ${outcome.id} issued; it is shown only now. Use it as "Authorization: Bearer <key>".`);
    },
  },
  'calendar:load': {
    usage: 'calendar:load <file.xml>',
    summary: 'load a year of the production calendar (xmlcalendar format), replacing that year; recompute the deadlines counted without it',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [file] }, { calendar, readFile, out }) {
      if (!calendar) throw new CliError('the production calendar is not available here');
      let xml: string;
      try {
        xml = (await readFile(file)).toString('utf8');
      } catch (error) {
        throw new CliError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
      }
      const result = await calendar.load(xml, CLI_ACTOR);
      if (!result.ok) throw new CliError(`${file}: calendar refused: ${result.error}`);
      out(`${result.replaced ? 'Replaced' : 'Loaded'} the production calendar for ${result.year}.`);
      const { recomputed, moved, told } = result.deadlines;
      if (recomputed > 0)
        out(`Provisional deadlines recomputed: ${recomputed}; moved: ${moved}; people told: ${told} (the worker sends the notices).`);
    },
  },
  'events:list': {
    usage: 'events:list <ORG>',
    summary: "the organization's events, oldest first: id, start, status, seats taken/capacity, title",
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code] }, context) {
      const { events, organization } = await eventsContext(context, code);
      const list = await events.listEvents(organization.id);
      if (list.length === 0) context.out('No events.');
      for (const e of list)
        context.out(`${e.id}\t${e.startsAt.toISOString()}\t${e.status}\t${e.seatsTaken}/${e.capacity ?? '∞'}\t${e.title}`);
    },
  },
  'events:create': {
    usage:
      'events:create <ORG> --title=… --format=WEBINAR|CONFERENCE|COURSE_SESSION --kind=PK|IOM|EVENT --starts=<ISO> --ends=<ISO> --zet=<n> [--link=…] [--place=…] [--capacity=<n>] [--categories=NURSE,DOCTOR] [--responsible=…] [--budget-line=…] [--cost=<roubles>] [--program=<id>]',
    summary: 'create an event (checked like the admin API: dates, link, ЗЕТ, seats)',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code], flags }, context) {
      const { events, organization } = await eventsContext(context, code);
      const number = (name: string) => (flags.has(name) ? Number(flags.get(name)!.replace(',', '.')) : undefined);
      const input = {
        title: flags.get('title') ?? '',
        format: flags.get('format')?.toUpperCase(),
        kind: flags.get('kind')?.toUpperCase(),
        startsAt: flags.get('starts'),
        endsAt: flags.get('ends'),
        link: flags.get('link') ?? null,
        place: flags.get('place') ?? null,
        zet: number('zet'),
        capacity: number('capacity') ?? null,
        categories:
          flags
            .get('categories')
            ?.split(',')
            .map((c) => c.trim().toUpperCase())
            .filter(Boolean) ?? [],
        responsible: flags.get('responsible') ?? null,
        budgetLine: flags.get('budget-line') ?? null,
        cost: number('cost') ?? null,
        programId: flags.get('program') ?? null,
      } as EventInput;
      const outcome = await events.createEvent(organization.id, input, CLI_ACTOR);
      if (!outcome.ok)
        throw new CliError(
          outcome.reason === 'invalid'
            ? `event refused: ${outcome.problems.map((p) => `${p.field}: ${p.code}`).join('; ')}`
            : `event refused: ${outcome.reason}`,
        );
      context.out(`Created ${outcome.event.id}\t${outcome.event.startsAt.toISOString()}\t${outcome.event.title}`);
    },
  },
  'events:cancel': {
    usage: 'events:cancel <ORG> <event-id> --reason=…',
    summary: 'cancel an event; everybody signed up is told, with the reason',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, id], flags }, context) {
      const { events, organization } = await eventsContext(context, code);
      const outcome = await events.cancelEvent(organization.id, id, flags.get('reason') ?? '', CLI_ACTOR);
      if (!outcome.ok)
        throw new CliError(
          outcome.reason === 'invalid'
            ? 'pass --reason=… (what signed-up people will read)'
            : outcome.reason === 'not-found'
              ? `no event ${id} in ${organization.code}`
              : 'the event is cancelled already',
        );
      context.out(`Cancelled ${outcome.event.id}\t${outcome.event.title}`);
    },
  },
  'programs:create': {
    usage: 'programs:create <ORG> --title=… [--goal=…] [--criteria=…] [--budget=<roubles>]',
    summary: 'group events into a program with a goal and success criteria',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code], flags }, context) {
      const { events, organization } = await eventsContext(context, code);
      const budget = flags.get('budget');
      const outcome = await events.createProgram(
        organization.id,
        {
          title: flags.get('title') ?? '',
          goal: flags.get('goal') ?? null,
          criteria: flags.get('criteria') ?? null,
          budget: budget === undefined ? null : Number(budget.replace(',', '.')),
        },
        CLI_ACTOR,
      );
      if (!outcome.ok)
        throw new CliError(
          outcome.reason === 'invalid'
            ? `program refused: ${outcome.problems.map((p) => `${p.field}: ${p.code}`).join('; ')}`
            : outcome.reason,
        );
      context.out(`Created program ${outcome.program.id}\t${outcome.program.title}`);
    },
  },
  'events:edit': {
    usage:
      'events:edit <ORG> <event-id> [--title=…] [--description=…] [--starts=<ISO>] [--ends=<ISO>] [--place=…] [--link=…] [--zet=<n>] [--capacity=<n>] [--responsible=…] [--budget-line=…] [--cost=<roubles>] [--program=<id>]  (an empty value, e.g. --place=, clears an optional field; --capacity= means no limit)',
    summary:
      'change some fields of an event (checked again as a whole; seats not below those signed up; a new time or place is told to everybody signed up)',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, id], flags }, context) {
      const { events, organization } = await eventsContext(context, code);
      const unknown = [...flags.keys()].filter((name) => !(name in EVENT_EDIT_FLAGS));
      if (unknown.length > 0) throw new CliError(`unknown flag --${unknown[0]} (see: help)`, 2);
      if (flags.size === 0) throw new CliError('nothing to change: pass at least one of --title, --capacity, … (see: help)', 2);
      const patch: Record<string, unknown> = {};
      for (const [name, value] of flags) {
        const { field, kind } = EVENT_EDIT_FLAGS[name];
        const clears = value.trim() === '' && !['title', 'startsAt', 'endsAt', 'zet'].includes(field);
        patch[field] = clears ? null : kind === 'number' ? Number(value.replace(',', '.')) : value;
      }
      const outcome = await events.updateEvent(organization.id, id, patch as EventPatch, CLI_ACTOR);
      if (!outcome.ok) {
        if (outcome.reason === 'invalid')
          throw new CliError(
            `event refused: ${outcome.problems
              .map(
                (p) =>
                  `${p.field}: ${p.code}${
                    p.params
                      ? ` (${Object.entries(p.params)
                          .map(([k, v]) => `${k} ${v}`)
                          .join(', ')})`
                      : ''
                  }`,
              )
              .join('; ')}`,
          );
        throw new CliError(
          outcome.reason === 'not-found' ? `no event ${id} in ${organization.code}` : 'the event is cancelled: it cannot be changed',
        );
      }
      context.out(`Updated ${outcome.event.id}\t${outcome.event.startsAt.toISOString()}\t${outcome.event.title}`);
    },
  },
  'programs:list': {
    usage: 'programs:list <ORG>',
    summary: "the organization's programs: id, status, events, budget, title, goal, criteria",
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code] }, context) {
      const { events, organization } = await eventsContext(context, code);
      const list = await events.listPrograms(organization.id);
      if (list.length === 0) context.out('No programs.');
      for (const p of list)
        context.out(
          [
            p.id,
            p.archivedAt ? 'ARCHIVED' : 'ACTIVE',
            p.events,
            p.budget === null ? '-' : Number(p.budget),
            p.title,
            p.goal ?? '-',
            p.criteria ?? '-',
          ].join('\t'),
        );
    },
  },
  'programs:edit': {
    usage:
      'programs:edit <ORG> <program-id> [--title=…] [--goal=…] [--criteria=…] [--budget=<roubles>]  (an empty value clears goal, criteria or budget)',
    summary: "change a program's title, goal, criteria or budget",
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, id], flags }, context) {
      const { events, organization } = await eventsContext(context, code);
      const unknown = [...flags.keys()].filter((name) => !['title', 'goal', 'criteria', 'budget'].includes(name));
      if (unknown.length > 0) throw new CliError(`unknown flag --${unknown[0]} (see: help)`, 2);
      if (flags.size === 0) throw new CliError('nothing to change: pass --title, --goal, --criteria or --budget', 2);
      const text = (name: string) => (flags.has(name) ? flags.get(name)!.trim() || null : undefined);
      const budget = flags.get('budget');
      const patch = {
        title: flags.get('title'),
        goal: text('goal'),
        criteria: text('criteria'),
        budget: budget === undefined ? undefined : budget.trim() === '' ? null : Number(budget.replace(',', '.')),
      };
      const outcome = await events.updateProgram(organization.id, id, patch, CLI_ACTOR);
      if (!outcome.ok)
        throw new CliError(
          outcome.reason === 'invalid'
            ? `program refused: ${outcome.problems.map((p) => `${p.field}: ${p.code}`).join('; ')}`
            : `no program ${id} in ${organization.code}`,
        );
      context.out(`Updated program ${outcome.program.id}\t${outcome.program.title}`);
    },
  },
  'programs:archive': {
    usage: 'programs:archive <ORG> <program-id>',
    summary: 'archive a program: its events stay, it is no longer offered for new ones',
    minArgs: 2,
    maxArgs: 2,
    async run({ args: [code, id] }, context) {
      const { events, organization } = await eventsContext(context, code);
      const outcome = await events.archiveProgram(organization.id, id, CLI_ACTOR);
      if (!outcome.ok) throw new CliError(`no program ${id} in ${organization.code}`);
      context.out(`Archived program ${outcome.program.id}\t${outcome.program.title}`);
    },
  },
  'report:compliance': {
    usage:
      'report:compliance <ORG> [--format json|xlsx|pdf] [--out <file>] [--behind-pace yes] [--deadline-months <n>] [--category NURSE] [--lang ru|en]',
    summary: 'every staff member with credits, cycle end, pace, open disputes and appeals, last activity (journaled)',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code], flags }, context) {
      if (!context.reports) throw new CliError('reports are not available here');
      const organization = await findOrganization(context, code);
      const format = reportFormat(flags);
      const filters: ComplianceFilters = {};
      if (flags.has('behind-pace') && !['no', 'false', '0'].includes(flags.get('behind-pace')!)) filters.behindPace = true;
      if (flags.has('deadline-months')) {
        const months = Number(flags.get('deadline-months'));
        if (!Number.isInteger(months) || months < 0 || months > 120)
          throw new CliError('--deadline-months takes a whole number of months (0–120)', 2);
        filters.deadlineWithinMonths = months;
      }
      if (flags.has('category')) {
        const category = parseCategory(flags.get('category')!);
        if (!category) throw new CliError(`unknown category "${flags.get('category')}"`, 2);
        filters.category = category;
      }
      const report = await context.reports.compliance.read(organization, filters, { actor: CLI_ACTOR, format, channel: 'cli' });
      if (format === 'json') return emitJson(context, flags, report);
      const lang = flags.get('lang') === 'en' ? 'en' : 'ru';
      await emitFile(context, flags, await complianceReportFile(report, format, createI18n().getFixedT(lang), lang, new Date()));
    },
  },
  'report:programs': {
    usage: 'report:programs <ORG> [--format json|xlsx|pdf] [--out <file>] [--lang ru|en]',
    summary: 'budget, spending, sign-ups, attendance and ЗЕТ awarded per program (journaled)',
    minArgs: 1,
    maxArgs: 1,
    async run({ args: [code], flags }, context) {
      if (!context.reports) throw new CliError('reports are not available here');
      const organization = await findOrganization(context, code);
      const format = reportFormat(flags);
      const report = await context.reports.programs.read(organization, { actor: CLI_ACTOR, format, channel: 'cli' });
      if (format === 'json') return emitJson(context, flags, report);
      const lang = flags.get('lang') === 'en' ? 'en' : 'ru';
      await emitFile(context, flags, await programReportFile(report, format, createI18n().getFixedT(lang), lang));
    },
  },
  announce: {
    usage: 'announce <ORG> [--category NURSE] <text…>',
    summary: "send an announcement to the organization's staff (or one category) through the outbound queue",
    minArgs: 2,
    async run({ args: [code, ...words], flags }, context) {
      if (!context.announcements) throw new CliError('announcements are not available here');
      const organization = await findOrganization(context, code);
      let category = null;
      if (flags.has('category')) {
        category = parseCategory(flags.get('category')!);
        if (!category) throw new CliError(`unknown category "${flags.get('category')}"`, 2);
      }
      const outcome = await context.announcements.send(organization.id, { category, text: words.join(' ') }, CLI_ACTOR);
      if (!outcome.ok) {
        throw new CliError(
          outcome.reason === 'text-too-long'
            ? `the text is longer than ${outcome.limit} characters`
            : outcome.reason === 'no-recipients'
              ? 'nobody to send to: no linked staff with a chat in this audience'
              : 'the text is empty',
        );
      }
      context.out(`Announcement ${outcome.announcement.id} queued for ${outcome.announcement.recipients} people.`);
    },
  },
  'notifications:failed': {
    usage: 'notifications:failed [--kind <kind>]',
    summary: 'the newest FAILED notifications (at most 200): id, kind, due, attempts, retryable or why not, last error (TSV)',
    minArgs: 0,
    maxArgs: 0,
    async run({ flags }, context) {
      const failed = await failedNotifications(context).list(notificationFilter(flags, []));
      if (failed.length === 0) {
        context.err('No FAILED notifications.');
        return;
      }
      for (const n of failed) {
        const retryable = n.retryable ? 'retryable' : `held:${n.held ?? ''}`;
        context.out([n.id, n.kind, n.dueAt.toISOString(), n.attempts, retryable, (n.lastError ?? '').replace(/\s+/g, ' ')].join('\t'));
      }
    },
  },
  'notifications:retry': {
    usage: 'notifications:retry [--kind <kind>] [<notification-id>…]',
    summary: 'put FAILED notifications that did not reach Telegram back on the outbound queue, once each (all, or those named)',
    minArgs: 0,
    async run({ args, flags }, context) {
      const outcome = await failedNotifications(context).retry(notificationFilter(flags, args), CLI_ACTOR);
      for (const id of outcome.requeued) context.out(id);
      context.err(
        `Queued again: ${outcome.requeued.length}. Still FAILED and left alone (perhaps delivered, or the person blocked the bot or was deleted): ${outcome.held}.`,
      );
    },
  },
};

function failedNotifications(context: CliContext): FailedNotifications {
  if (!context.failedNotifications) throw new CliError('FAILED notifications are not available here');
  return context.failedNotifications;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function notificationFilter(flags: Map<string, string>, ids: readonly string[]): FailedFilter {
  for (const id of ids) if (!UUID.test(id)) throw new CliError(`"${id}" is not a notification id (a UUID from notifications:failed)`, 2);
  for (const flag of flags.keys()) if (flag !== 'kind') throw new CliError(`unknown option --${flag}`, 2);
  const kind = flags.get('kind')?.trim();
  return { ...(ids.length ? { ids } : {}), ...(kind ? { kind } : {}) };
}

/** events:edit flags and the event fields they set. */
const EVENT_EDIT_FLAGS: Record<string, { field: keyof EventPatch; kind: 'text' | 'number' }> = {
  title: { field: 'title', kind: 'text' },
  description: { field: 'description', kind: 'text' },
  starts: { field: 'startsAt', kind: 'text' },
  ends: { field: 'endsAt', kind: 'text' },
  place: { field: 'place', kind: 'text' },
  link: { field: 'link', kind: 'text' },
  zet: { field: 'zet', kind: 'number' },
  capacity: { field: 'capacity', kind: 'number' },
  responsible: { field: 'responsible', kind: 'text' },
  'budget-line': { field: 'budgetLine', kind: 'text' },
  cost: { field: 'cost', kind: 'number' },
  program: { field: 'programId', kind: 'text' },
};

function reportFormat(flags: Map<string, string>): 'json' | 'xlsx' | 'pdf' {
  const format = flags.get('format') ?? 'json';
  if (format !== 'json' && format !== 'xlsx' && format !== 'pdf') throw new CliError('--format is json, xlsx or pdf', 2);
  if (format !== 'json' && !flags.has('out')) throw new CliError(`--format ${format} writes a file: pass --out <file>`, 2);
  return format;
}

async function emitJson(context: CliContext, flags: Map<string, string>, report: unknown): Promise<void> {
  const json = JSON.stringify(report, null, 2);
  if (!flags.has('out')) return context.out(json);
  await emitFile(context, flags, { bytes: Buffer.from(`${json}\n`, 'utf8'), fileName: flags.get('out')!, contentType: 'application/json' });
}

async function emitFile(context: CliContext, flags: Map<string, string>, file: ReportFile): Promise<void> {
  if (!context.writeFile) throw new CliError('writing files is not available here');
  const path = flags.get('out')!;
  await context.writeFile(path, file.bytes);
  context.err(`Wrote ${path} (${file.bytes.length} bytes).`);
}

function attendanceRefusal(outcome: IssueRefusal): string {
  switch (outcome.reason) {
    case 'event-not-found':
      return 'no such event in this organization';
    case 'event-cancelled':
      return 'the event is cancelled: nobody can be credited for it';
    case 'expiry-invalid':
      return `the codes must expire in the future, at most ${MAX_CODE_DAYS} days from now`;
    case 'max-claims-invalid':
      return `--shared must be a whole number from 1 to ${MAX_SHARED_CLAIMS}`;
    case 'zet-not-creditable':
      return `the rule set cannot credit ${outcome.params.zet} ЗЕТ as one "${outcome.params.typeCode}" entry (${outcome.params.problem}); split the event into days`;
  }
}

export function usage(): string {
  const width = Math.max(...Object.values(COMMANDS).map((c) => c.usage.length));
  return [
    'Usage: node dist/admin/cli.js <command> [arguments]',
    '',
    ...Object.values(COMMANDS).map((c) => `  ${c.usage.padEnd(width)}  ${c.summary}`),
  ].join('\n');
}

/** `--name value` and `--name=value` anywhere; everything else is a positional argument. */
export function parseArgs(argv: readonly string[]): Parsed {
  const args: string[] = [];
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const flag = /^--([a-z][a-z-]*)(?:=(.*))?$/.exec(arg);
    if (!flag) {
      args.push(arg);
      continue;
    }
    const value = flag[2] ?? argv[++i];
    if (value === undefined) throw new CliError(`--${flag[1]} needs a value`, 2);
    flags.set(flag[1], value);
  }
  return { args, flags };
}

async function eventsContext(context: CliContext, code: string) {
  if (!context.events) throw new CliError('events are not available here');
  const organization = await context.services.organizations.findByCode(code);
  if (!organization) throw new CliError(`no organization "${code}"`);
  return { events: context.events, organization };
}

/** Runs one command; throws CliError on bad input. */
export async function runCommand(argv: readonly string[], context: CliContext): Promise<void> {
  const [name, ...rest] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    context.out(usage());
    return;
  }
  const command = COMMANDS[name];
  if (!command) throw new CliError(`unknown command "${name}" (see: node dist/admin/cli.js help)`, 2);
  const parsed = parseArgs(rest);
  if (parsed.args.length < command.minArgs || (command.maxArgs !== undefined && parsed.args.length > command.maxArgs)) {
    throw new CliError(`usage: ${command.usage}`, 2);
  }
  await command.run(parsed, context);
}

async function findOrganization(context: CliContext, code: string): Promise<Organization> {
  const organization = await context.services.organizations.findByCode(code);
  if (!organization) throw new CliError(`no organization "${code}" (create it with org:create)`);
  return organization;
}

async function readTableFile(context: CliContext, file: string): Promise<ImportTable> {
  let bytes: Buffer;
  try {
    bytes = await context.readFile(file);
  } catch (error) {
    throw new CliError(`${file}: cannot read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  if (bytes.length > 10 * 1024 * 1024) throw new CliError(`${file}: larger than 10 MB; split it`);
  try {
    return await readTableInThread(bytes);
  } catch (error) {
    if (error instanceof TabularError) throw new CliError(`${file}: ${error.message}`);
    throw error;
  }
}

function printOutcome(context: CliContext, what: string, file: string, outcome: ImportOutcome): void {
  if (!outcome.ok) throw new CliError(`${file}: ${describeFileProblem(outcome.problem)}`);
  for (const line of formatReport(what, outcome.report)) context.out(line);
}
