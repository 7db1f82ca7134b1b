import type { Context, SessionFlavor } from 'grammy';
import type { Person, StaffCategory } from '../generated/prisma/client';
import type { Lang, Translate } from '../infra/i18n';
import type { Logger } from '../infra/logger';
import type { BotServices } from './services';
import type { PlanDraft } from './features/plan/plan-draft';
import type { CodesDraft } from './features/attendance/codes-draft';
import type { EventAdminAction, EventDraft, EventEditDraft, ProgramDraft, ProgramEditDraft } from './features/events/event-draft';

/** Short-lived wizard state; what must survive (onboarding, entries) lives in the database. */
export interface SessionData {
  addCredit?: AddCreditDraft;
  /** An own entry whose quantity or date the person is typing anew. */
  editCredit?: { entryId: string; field: 'quantity' | 'date' };
  /** /portfolio: the goal, the report text or the report's publication link the person is typing. */
  portfolio?: { step: 'goal' | 'report-text' | 'report-url'; itemId?: string };
  /** The /plan add wizard. */
  plan?: PlanDraft;
  /** The /announce wizard (organization admins). */
  announce?: AnnounceDraft;
  /** A bare /code was sent: the next text is the attendance code. */
  attendanceCode?: { awaiting: true };
  /** The /codes wizard (organization admins). */
  codes?: CodesDraft;
  /** The /event_new wizard (organization admins). */
  eventNew?: EventDraft;
  /** /events_admin: a move or a cancellation waiting for the admin's typed answer. */
  eventAdmin?: EventAdminAction;
  /** /events_admin «✏️ Изменить»: the event and the field whose new value the admin is typing. */
  eventEdit?: EventEditDraft;
  /** The /programs «new program» wizard (organization admins). */
  programNew?: ProgramDraft;
  /** /programs: an archive waiting for confirmation, or the program and field whose new value the admin is typing. */
  programEdit?: ProgramEditDraft;
}

export interface AddCreditDraft {
  /** Changes on every new /add, so buttons of an abandoned wizard are recognised as stale. */
  nonce: string;
  step: 'type' | 'quantity' | 'date' | 'proof' | 'confirm';
  typeCode?: string;
  quantity?: number;
  date?: string;
  /** The proof the person attached (optional): a certificate, a diploma. */
  documentId?: string;
}

/** An announcement being written: audience, then text, then the preview's confirmation. */
export interface AnnounceDraft {
  nonce: string;
  step: 'audience' | 'text' | 'confirm';
  /** null: everybody in the organization. */
  category: StaffCategory | null;
  text?: string;
}

interface Flavor {
  /** `t` bound to the person's language. */
  t: Translate;
  lang: Lang;
  /** The person behind a private chat, or null before their first /start. */
  person: Person | null;
  log: Logger;
  services: BotServices;
}

export type BotContext = Context & SessionFlavor<SessionData> & Flavor;
