import { MAX_CREDIT_TYPE_CODE_LENGTH } from '../../core/rules/rule-set.schema';
import {
  anyOf,
  after,
  button,
  code,
  compactId,
  digit,
  int,
  nonce,
  oneOf,
  optional,
  shaped,
  uuid,
  type ButtonPayload,
} from './callback-schema';

/**
 * Every inline button payload, declared once (the grammar is in `callback-schema.ts`): a keyboard writes
 * one with `callbackData.<name>(…)`, a handler routes on `callbackPattern.<name>` and reads its fields
 * from `ctx.match` in the declared order (or typed, with `callbackButton.<name>.parse`). Each declaration
 * checks that its longest payload fits Telegram's 64 bytes. Wizards' buttons carry the draft's nonce, so a
 * button of a finished or replaced draft is recognised as stale.
 *
 * A payload already sent stays in people's chats: change a prefix or a field only together with the
 * handler of the old form.
 */
const STAFF_CATEGORY = code('category', '[A-Z_]', 32);
const CREDIT_TYPE = code('typeCode', '[a-z0-9_-]', MAX_CREDIT_TYPE_CODE_LENGTH);
const REVIEW_KIND = ['d', 'a', 'i'] as const;
const EVENT_FORMAT = ['W', 'C', 'S'] as const;
const EVENT_KIND = ['PK', 'IOM', 'EVENT'] as const;
/** The compliance report's filters in 3 characters: behind pace, deadline, category index (or '-'). */
const REPORT_STATE = shaped('state', '[01][01][0-5-]', '11-');

export const callbackButton = {
  /** Applications, disputes and appeals: ids are UUIDs (36 characters); wizard buttons carry the draft's nonce. */
  applications: button('apps:list'),
  applicationCard: button('app', uuid('applicationId')),
  applicationClarify: button('app:clr', uuid('applicationId')),
  disputeStart: button('dsp:start'),
  disputeKind: button('dsp:k', nonce(), oneOf('kind', ['e', 'f', 'a'])),
  disputeSubject: button('dsp:s', nonce(), uuid('subjectId')),
  disputeField: button('dsp:f', nonce(), code('field', '[A-Za-z]', 32)),
  disputeSkipValue: button('dsp:skip', nonce()),
  disputeDocument: button('dsp:d', nonce(), uuid('documentId')),
  disputeDocumentsDone: button('dsp:dd', nonce()),
  disputeConfirm: button('dsp:ok', nonce()),
  disputeCancel: button('dsp:x', nonce()),
  appealStart: button('apl', uuid('disputeId')),
  /** Identity confirmation: the state, and the upload prompt (also the rejection notice's «Загрузить снова»). */
  identity: button('idn:show'),
  identityUpload: button('idn:up'),
  /** Attaching an own document to an own application from its card: compact ids (22 characters each). */
  applicationAttachMenu: button('app:att', uuid('applicationId')),
  applicationAttach: button('appd', compactId('appRef'), compactId('docRef')),
  language: button('lang', oneOf('lang', ['ru', 'en'])),
  consent: button('consent', oneOf('answer', ['yes', 'no'])),
  category: button('cat', STAFF_CATEGORY),
  onboardingBack: button('onb:back'),
  /** Correcting an earlier answer before linking: the menu, one answer, closing the menu, keeping the old answer. */
  onboardingFixMenu: button('onb:fix'),
  onboardingFix: button('onb:fix', code('step', '[A-Z_]', 32)),
  onboardingFixClose: button('onb:nofix'),
  onboardingKeep: button('onb:keep'),
  onboardingStartOver: button('onb:over'),
  privacyPolicy: button('privacy:policy'),
  showCredits: button('credits:show'),
  addStart: button('add:start'),
  addType: button('add:t', nonce(), CREDIT_TYPE),
  addToday: button('add:today', nonce()),
  addConfirm: button('add:ok', nonce()),
  addCancel: button('add:x', nonce()),
  addNoProof: button('add:np', nonce()),
  history: button('hist:show'),
  exportCsv: button('export:csv'),
  exportPdf: button('export:pdf'),
  entryCard: button('entry', uuid('entryId')),
  entryEdit: button('entry', oneOf('field', ['q', 'd']), uuid('entryId')),
  entryDelete: button('entry:del', uuid('entryId')),
  entryDeleteConfirmed: button('entry:del!', uuid('entryId')),
  /** Documents: ids are compact (22 characters of base64url) so that two fit under 64 bytes. */
  documentList: button('doc:list'),
  documentKind: button('doc:k', compactId('docRef'), code('kind', '[a-z]', 1)),
  documentAttachMenu: button('doc:a', compactId('docRef')),
  documentAttach: button('doc:e', compactId('docRef'), compactId('entryRef')),
  documentAttachPortfolio: button('doc:p', compactId('docRef'), compactId('itemRef')),
  settings: button('set:show'),
  settingsLanguage: button('set:lang', oneOf('lang', ['ru', 'en'])),
  settingsKinds: button('set:kinds'),
  settingsKindToggle: button('set:kind', code('kind', '[a-z0-9.-]', 50)),
  settingsQuiet: button('set:quiet'),
  /** Quiet hours from `start` to `end`, minutes after midnight: `set:quiet:1320-420`. */
  settingsQuietPreset: button('set:quiet', int('start', 4), after('-', int('end', 4))),
  settingsQuietCustom: button('set:quiet:custom'),
  settingsZones: button('set:tz'),
  /** An IANA zone of RUSSIAN_TIME_ZONES ('Asia/Yekaterinburg'). */
  settingsZone: button('set:tz', shaped('zone', '[A-Za-z]{1,20}\\/[A-Za-z_]{1,30}', `${'A'.repeat(20)}/${'A'.repeat(30)}`)),
  privacyData: button('pc:data'),
  privacyConsents: button('pc:consents'),
  privacyConsentGive: button('pc:g', code('purpose', '[A-Z_]', 32)),
  privacyConsentWithdraw: button('pc:w', code('purpose', '[A-Z_]', 32)),
  privacyExport: button('pc:export'),
  privacyDelete: button('pc:del'),
  privacyDeleteFirst: button('pc:del:1'),
  /** The second confirmation carries the nonce the first one issued: no single press can delete. */
  privacyDeleteSecond: button('pc:del:2', code('nonce', '[a-z0-9]', 32, 8)),
  /** Support: FAQ, calling an operator, closing and rating a ticket (ids are the ticket's UUID). */
  supportMenu: button('sup:menu'),
  /** The topics of SUPPORT_FAQ_TOPICS (bot/features/support/faq.ts), exactly. */
  supportFaq: button('sup:faq', oneOf('topic', ['access', 'faults', 'updates', 'contacts'])),
  supportCall: button('sup:call'),
  supportClose: button('sup:close', uuid('ticketId')),
  supportRate: button('sup:r', uuid('ticketId'), digit('rating', 1, 5)),
  /** The agents' «close» button on the ticket's card in the support group. */
  supportAgentClose: button('sup:ac', uuid('ticketId')),
  /** Portfolio: items by UUID; access p(rivate), r(estricted), u (public). */
  portfolio: button('pf:show'),
  portfolioCreate: button('pf:new'),
  portfolioSkipGoal: button('pf:nogoal'),
  portfolioReport: button('pf:rep'),
  portfolioNoLink: button('pf:nolink'),
  portfolioImport: button('pf:imp'),
  /** The items list: `pf:items` is its first page, `pf:items:<page>` another. */
  portfolioItems: button('pf:items', optional(int('page', 4))),
  /** The whole goal, which the overview cuts when long. */
  portfolioGoal: button('pf:goal'),
  portfolioItem: button('pf:i', uuid('itemId')),
  portfolioAccess: button('pf:a', uuid('itemId'), oneOf('level', ['p', 'r', 'u'])),
  portfolioPdf: button('pf:pdf'),
  portfolioXml: button('pf:xml'),
  /** Study plan: the add wizard's buttons carry the draft's nonce; items are removed by their UUID. */
  planShow: button('plan:show'),
  planAdd: button('plan:add'),
  planKind: button('plan:k', nonce(), CREDIT_TYPE),
  planNoProvider: button('plan:np', nonce()),
  planConfirm: button('plan:ok', nonce()),
  planCancel: button('plan:x', nonce()),
  planRemoveMenu: button('plan:rm'),
  planRemove: button('plan:rm', uuid('itemId')),
  planIcs: button('plan:ics'),
  planPdf: button('plan:pdf'),
  /** Reviews in the support group: kind d(ispute), a(ppeal), i(dentity); decision a(pprove) or r(eject); identity error code by index. */
  reviewOpen: button('rv:o', oneOf('kind', REVIEW_KIND), uuid('id')),
  reviewDecide: button('rv', oneOf('decision', ['a', 'r']), oneOf('kind', REVIEW_KIND), uuid('id')),
  reviewErrorCode: button('rv:e', uuid('id'), int('index', 1)),
  /** Events: staff sign up and cancel by the event's UUID; the /event_new wizard's buttons carry its nonce; f(ormat) W/C/S. */
  /** /events: `ev:list` is its first page, `ev:list:<page>` another; /events_admin's pages. */
  eventsList: button('ev:list', optional(int('page', 4))),
  eventsAdminPage: button('eva:list', int('page', 4)),
  eventSignUp: button('ev:su', uuid('eventId')),
  eventCancelSignUp: button('ev:cx', uuid('eventId')),
  eventNewFormat: button('evn:f', nonce(), oneOf('format', EVENT_FORMAT)),
  eventNewKind: button('evn:k', nonce(), oneOf('kind', EVENT_KIND)),
  eventNewNoLimit: button('evn:nl', nonce()),
  eventNewConfirm: button('evn:ok', nonce()),
  eventNewCancel: button('evn:x', nonce()),
  eventAdminMove: button('eva:mv', uuid('eventId')),
  eventAdminCancel: button('eva:cx', uuid('eventId')),
  /** /events_admin «✏️ Изменить»: the edit's nonce, a field letter (see EDIT_FIELDS in bot/features/events/event-edit.ts), a program's UUID. */
  eventAdminEdit: button('eva:ed', uuid('eventId')),
  eventEditField: button('eve:f', nonce(), code('field', '[a-z]', 1)),
  eventEditClear: button('eve:clr', nonce()),
  eventEditProgram: button('eve:p', nonce(), uuid('programId')),
  eventEditNoProgram: button('eve:p0', nonce()),
  eventEditCancel: button('eve:x', nonce()),
  /** /event_new's optional program step. */
  eventNewProgram: button('evn:pg', nonce(), uuid('programId')),
  eventNewNoProgram: button('evn:pg0', nonce()),
  /** The audience step of /event_new and of «✏️ Изменить»: a StaffCategory code toggles; «для всех» clears; then on (done / save). */
  eventNewCategory: button('evn:c', nonce(), STAFF_CATEGORY),
  eventNewAllCategories: button('evn:ca', nonce()),
  eventNewCategoriesDone: button('evn:cd', nonce()),
  eventEditCategory: button('eve:c', nonce(), STAFF_CATEGORY),
  eventEditAllCategories: button('eve:ca', nonce()),
  eventEditCategoriesSave: button('eve:cs', nonce()),
  /** «✏️ Изменить» of the format (W/C/S as in /event_new) and of the kind. */
  eventEditFormat: button('eve:fm', nonce(), oneOf('format', EVENT_FORMAT)),
  eventEditKind: button('eve:k', nonce(), oneOf('kind', EVENT_KIND)),
  /**
   * /programs (organization admins): the new program wizard's nonce; archive (asks first), restore and edit
   * by the program's UUID; the archive confirmation and the edit carry their nonce, the edit a field letter.
   */
  programNew: button('prg:new'),
  /** A page of /programs (the first is the command itself). */
  programsPage: button('prg:list', int('page', 4)),
  programNewSkip: button('prg:skip', nonce()),
  programNewCancel: button('prg:x', nonce()),
  programArchive: button('prg:ar', uuid('programId')),
  programArchiveConfirm: button('prg:ar2', nonce()),
  programRestore: button('prg:rs', uuid('programId')),
  programEdit: button('prg:ed', uuid('programId')),
  programEditField: button('prg:f', nonce(), code('field', '[a-z]', 1)),
  programEditClear: button('prg:clr', nonce()),
  programEditCancel: button('prg:ex', nonce()),
  /** Attendance codes (/codes, organization admins): the wizard's nonce, an event's UUID, p(ersonal) or s(hared), days. */
  codesEvent: button('cod:e', nonce(), uuid('eventId')),
  codesMode: button('cod:m', nonce(), oneOf('mode', ['p', 's'])),
  codesDays: button('cod:d', nonce(), int('days', 2)),
  codesCancel: button('cod:x', nonce()),
  /** After picking the event: who claimed it; revoke its unused codes (asks first, then the second press revokes). */
  codesClaims: button('cod:w', nonce()),
  codesRevoke: button('cod:r', nonce()),
  codesRevokeConfirm: button('cod:r2', nonce()),
  /** Organization reports (/report): the compliance filters ride in 3 characters; x(lsx) or p(df). */
  reportsMenu: button('rep:m', REPORT_STATE),
  reportsCategories: button('rep:cat', REPORT_STATE),
  reportsCompliance: button('rep:c', oneOf('format', ['x', 'p']), REPORT_STATE),
  reportsPrograms: button('rep:p', oneOf('format', ['x', 'p'])),
  /** Announcements (/announce): the wizard's nonce; the audience is a category code or '-' for everybody. */
  announceAudience: button('ann:a', nonce(), shaped('category', '[A-Z_]{1,32}|-', 'A'.repeat(32))),
  announceConfirm: button('ann:ok', nonce()),
  announceCancel: button('ann:x', nonce()),
  announceStatus: button('ann:st'),
} as const satisfies Record<string, ButtonPayload>;

type Buttons = typeof callbackButton;
type Encoder<B> = B extends ButtonPayload<infer Fields> ? (Fields extends readonly [] ? string : B['data']) : never;

function encoders(): { [K in keyof Buttons]: Encoder<Buttons[K]> } {
  const entries = Object.entries(callbackButton).map(([name, payload]) => {
    const b = payload as ButtonPayload;
    return [name, b.fields.length === 0 ? b.data() : b.data.bind(b)];
  });
  return Object.fromEntries(entries) as { [K in keyof Buttons]: Encoder<Buttons[K]> };
}

/** What keyboards write: a payload without fields is its text, one with fields a function of them. */
export const callbackData = {
  ...encoders(),
  /** The first page of the items list (`pf:items`) and another one. */
  portfolioItems: callbackButton.portfolioItems.data(undefined),
  portfolioItemsPage: (page: number) => callbackButton.portfolioItems.data(page),
  /** The first page of /events (`ev:list`) and another one. */
  eventsList: callbackButton.eventsList.data(undefined),
  eventsPage: (page: number) => callbackButton.eventsList.data(page),
  eventsAdminPage: (page: number) => callbackButton.eventsAdminPage.data(page),
};

/** What handlers route on: `composer.callbackQuery(callbackPattern.<name>, …)`. */
export const callbackPattern = {
  ...(Object.fromEntries(Object.entries(callbackButton).map(([name, b]) => [name, b.pattern])) as { [K in keyof Buttons]: RegExp }),
  /** Any review button: only agents may press them. */
  reviewAny: anyOf(callbackButton.reviewOpen, callbackButton.reviewDecide, callbackButton.reviewErrorCode),
};
