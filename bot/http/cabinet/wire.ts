/**
 * What the cabinet's JSON API sends and takes: the one definition the server (bot/http/cabinet) and the
 * page (cabinet/src) both compile against. Pure types, no imports: the page's bundle takes nothing from
 * here but names. Dates are ISO strings: `YYYY-MM-DD` for calendar days, full ISO instants otherwise.
 * Labels a person reads that the chat already words (statuses, credit types, refusals) come translated
 * in the person's language; everything else is the page's own strings (locales/*.json → `cabinet`).
 */

export type Lang = 'ru' | 'en';

/** Every refusal: `error` is a machine code, `message` a sentence in the person's language. */
export interface ApiError {
  statusCode: number;
  error: string;
  message: string;
}

export interface Session {
  lang: Lang;
  /** The page's sentences in the person's language (locales → cabinet). */
  strings: Record<string, unknown>;
  /** null: this Telegram user has not linked the bot; `howToLink` says what to do in the chat. */
  person: { fullName: string; category: string | null; organization: string | null } | null;
  howToLink: string | null;
  /** The organization this person administers (education department), or null. */
  admin: { organization: string; code: string } | null;
  /** The bot's username, for a «back to the chat» link. */
  botUsername: string | null;
}

export interface ProgressPoint {
  date: string;
  /** Cumulative counted credits at the end of that day. */
  total: number;
}

export interface CreditTypeView {
  code: string;
  name: string;
  group: string | null;
  weight: number;
  quantity: { min: number; max: number; step: number | null; unit: string; unitLabel: string };
}

export interface GroupView {
  group: string;
  name: string;
  counted: number;
  minimum: number;
  shortfall: number;
  /** The group's counted credits over time, for the chart's minimum line. */
  progress: ProgressPoint[];
}

export interface Cycle {
  ruleSet: { code: string; name: string; unit: string; unitLabel: string };
  period: { start: string; end: string };
  asOf: string;
  daysLeft: number;
  total: number;
  required: number;
  remaining: number;
  percent: number;
  met: boolean;
  /** `lag`: how far behind (set only when behind), as the sentence words it. */
  pace: {
    status: 'ahead' | 'on-track' | 'behind';
    lag: 'slightly' | 'well' | 'at-risk' | null;
    expected: number;
    actual: number;
    sentence: string;
  };
  byType: Array<{ code: string; name: string; counted: number; raw: number; cap: number | null; unverified: number }>;
  groups: GroupView[];
  /** Ways to close the shortfall, worded as the chat words them. */
  suggestions: string[];
  warnings: string[];
  portfolioWindow: { opensOn: string; open: boolean } | null;
  /** Counted credits over time (steps as the engine counts them), for the chart. */
  progress: ProgressPoint[];
  creditTypes: CreditTypeView[];
}

export interface DocumentView {
  id: string;
  name: string;
  kind: string;
  kindLabel: string;
  mediaType: string;
  sizeBytes: number;
  uploadedAt: string;
}

export interface EntryView {
  id: string;
  date: string;
  typeCode: string;
  typeName: string;
  title: string | null;
  quantity: number;
  quantityLabel: string;
  credits: number;
  source: string;
  sourceLabel: string;
  state: string;
  stateLabel: string;
  /** Own unverified entries: the person may still change them (in the chat's /history). */
  editable: boolean;
  /** Open disputes cannot be doubled; the page offers «dispute» only when none is open. */
  disputable: boolean;
  documents: DocumentView[];
}

export interface Entries {
  entries: EntryView[];
  /** Every document of the person, newest first: what can be attached or used as evidence. */
  documents: DocumentView[];
  unitLabel: string;
}

export interface Deadline {
  at: string;
  /** Working days left, counting today when it is one; 0 once passed. */
  workingDaysLeft: number;
  /**
   * Computed on the fallback calendar (ТК РФ ст. 112) because the production calendar of a year it spans
   * is not loaded yet: shown as provisional, recomputed when the year is loaded.
   */
  provisional: boolean;
}

export interface TimelineStep {
  at: string;
  label: string;
  comment: string | null;
}

export interface ApplicationView {
  id: string;
  title: string;
  kind: string;
  status: string;
  statusLabel: string;
  statusChangedAt: string;
  responsibleBody: string | null;
  contacts: string | null;
  timeline: TimelineStep[];
  documents: DocumentView[];
  missingDocuments: string[];
  clarificationFrom: string | null;
  canRequestClarification: boolean;
}

export interface AppealView {
  id: string;
  status: string;
  statusLabel: string;
  reason: string;
  filedAt: string;
  due: Deadline | null;
  decidedAt: string | null;
  decisionComment: string | null;
  timeline: TimelineStep[];
}

export interface DisputeView {
  id: string;
  subject: string;
  subjectType: string;
  subjectId: string | null;
  reason: string;
  requestedValue: string | null;
  status: string;
  statusLabel: string;
  filedAt: string;
  due: Deadline | null;
  decidedAt: string | null;
  decisionComment: string | null;
  timeline: TimelineStep[];
  /** A rejected dispute without an appeal, inside its window: until when an appeal is accepted. */
  appealWindow: Deadline | null;
  appeal: AppealView | null;
  evidence: DocumentView[];
}

export interface Cases {
  applications: ApplicationView[];
  disputes: DisputeView[];
}

export interface PlanItemView {
  id: string;
  title: string;
  provider: string | null;
  typeCode: string;
  typeName: string;
  startsOn: string;
  endsOn: string;
  hours: number;
  deadline: string | null;
  overlapping: boolean;
}

export interface EventView {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  format: string;
  formatLabel: string;
  kindLabel: string;
  zet: number;
  place: string | null;
  link: string | null;
  capacity: number | null;
  seatsTaken: number;
  signedUp: boolean;
}

export interface Plan {
  period: { start: string; end: string };
  items: PlanItemView[];
  projection: { met: boolean; sentence: string; groups: string[] };
  events: EventView[];
  /** The person's today and zone: the calendar opens on this month, events show in this zone. */
  today: string;
  timeZone: string;
}

export interface PortfolioItemView {
  id: string;
  section: string;
  title: string;
  typeLabel: string;
  description: string | null;
  hours: number | null;
  date: string | null;
  url: string | null;
  accessLabel: string;
  documents: DocumentView[];
}

export interface Portfolio {
  /** null: no portfolio for this cycle yet (it is created in the chat, /portfolio). */
  portfolio: {
    name: string;
    goal: string | null;
    period: { start: string; end: string };
    complete: boolean;
    educationCredits: number;
    required: number;
    gaps: string[];
    items: PortfolioItemView[];
  } | null;
  window: { opensOn: string; open: boolean } | null;
  unitLabel: string;
}

/** The result of an action: what changed, worded for the person. */
export interface ActionResult {
  message: string;
}

export interface NewEntry {
  typeCode: string;
  quantity: number;
  date: string;
  title?: string;
}

export interface NewDispute {
  subjectType: 'CREDIT_ENTRY' | 'APPLICATION_STATUS' | 'PROFILE_FIELD';
  subjectId?: string;
  field?: string;
  reason: string;
  requestedValue?: string;
  documentIds: string[];
}

// ─────────── the education department ───────────

export interface ComplianceRowView {
  personId: string | null;
  fullName: string;
  externalId: string | null;
  department: string | null;
  category: string | null;
  categoryLabel: string;
  linked: boolean;
  cycleEnd: string;
  daysLeft: number;
  total: number;
  required: number;
  remaining: number;
  percent: number;
  met: boolean;
  pace: 'ahead' | 'on-track' | 'behind';
  paceLabel: string;
  openDisputes: number;
  openAppeals: number;
  lastActivity: string | null;
}

export interface Compliance {
  organization: { code: string; name: string };
  asOf: string;
  rows: ComplianceRowView[];
  categories: Array<{ code: string; label: string }>;
  departments: string[];
  unitLabel: string;
}

export interface AdminEventView {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  formatLabel: string;
  kindLabel: string;
  zet: number;
  capacity: number | null;
  seatsTaken: number;
  cancelled: boolean;
  program: string | null;
}

export interface AdminEvents {
  events: AdminEventView[];
  programs: Array<{ id: string; title: string; events: number; archived: boolean; budget: number | null }>;
}

export interface EventPeople {
  event: AdminEventView;
  registrations: Array<{ fullName: string; categoryLabel: string; signedUpAt: string; cancelledAt: string | null }>;
  claims: Array<{ fullName: string; claimedAt: string; quantity: number | null; personalCode: boolean }>;
}

export interface AnnouncementView {
  id: string;
  text: string;
  categoryLabel: string;
  createdAt: string;
  recipients: number;
  delivered: number;
  blocked: number;
  failed: number;
  pending: number;
  skipped: number;
}
