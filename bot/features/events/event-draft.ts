import type { StaffCategory } from '../../../generated/prisma/client';
import type { Wizard } from '../../wizards/wizard';

/** The /event_new wizard's answers so far; the nonce makes buttons of an abandoned wizard stale. */
export interface EventDraft {
  nonce: string;
  step: 'title' | 'format' | 'kind' | 'audience' | 'start' | 'end' | 'where' | 'zet' | 'capacity' | 'program' | 'confirm';
  title?: string;
  format?: 'WEBINAR' | 'CONFERENCE' | 'COURSE_SESSION';
  kind?: 'PK' | 'IOM' | 'EVENT';
  /** Who the event is for; empty means everybody. */
  categories?: StaffCategory[];
  /** ISO instants. */
  startsAt?: string;
  endsAt?: string;
  place?: string | null;
  link?: string | null;
  zet?: number;
  capacity?: number | null;
  programId?: string | null;
}

/** /events_admin: the event whose new start or cancellation reason the admin is typing. */
export interface EventAdminAction {
  action: 'move' | 'cancel';
  eventId: string;
}

/** The fields «✏️ Изменить» offers, with the one-letter code their buttons carry. */
export type EditableField =
  | 'title'
  | 'format'
  | 'kind'
  | 'categories'
  | 'description'
  | 'place'
  | 'link'
  | 'zet'
  | 'capacity'
  | 'responsible'
  | 'budgetLine'
  | 'cost'
  | 'programId';

/** Fields picked from buttons rather than typed. */
export const BUTTON_FIELDS: ReadonlySet<EditableField> = new Set(['format', 'kind', 'categories', 'programId']);

/** An edit of one event's field: the nonce makes buttons of an earlier edit stale; `field` once chosen. */
export interface EventEditDraft {
  nonce: string;
  eventId: string;
  field?: EditableField;
  /** The audience being toggled (field `categories`), saved with «Сохранить»; empty means everybody. */
  categories?: StaffCategory[];
}

/** /programs «new program»: title, then goal, criteria and budget (each may be skipped). */
export interface ProgramDraft {
  nonce: string;
  step: 'title' | 'goal' | 'criteria' | 'budget';
  title?: string;
  goal?: string | null;
  criteria?: string | null;
}

/** The fields of a program the bot edits, with the one-letter code their buttons carry. */
export type ProgramField = 'title' | 'goal' | 'criteria' | 'budget';

/**
 * /programs: an archive waiting for its second press, or an edit of one program's field (`field` once
 * chosen). The nonce makes buttons of an earlier confirmation or edit stale.
 */
export interface ProgramEditDraft {
  nonce: string;
  programId: string;
  action: 'archive' | 'edit';
  field?: ProgramField;
}

/** /event_new: each step's hint is `wizard-hint.event-new.<step>`. */
export const eventNewWizard: Wizard = {
  waiting: (ctx) => (ctx.session.eventNew ? { hint: `wizard-hint.event-new.${ctx.session.eventNew.step}` } : null),
  cancel(ctx) {
    ctx.session.eventNew = undefined;
    return 'events.new.cancelled';
  },
};

/** /events_admin: the new start or the reason of a cancellation being typed. */
export const eventAdminWizard: Wizard = {
  waiting: (ctx) => (ctx.session.eventAdmin ? { hint: `wizard-hint.event-admin.${ctx.session.eventAdmin.action}` } : null),
  cancel(ctx) {
    ctx.session.eventAdmin = undefined;
    return 'events.admin.aborted';
  },
};

/** /events_admin «✏️ Изменить»: the field to pick, then its value typed or picked from buttons. */
export const eventEditWizard: Wizard = {
  waiting(ctx) {
    const draft = ctx.session.eventEdit;
    if (!draft) return null;
    const step = !draft.field ? 'field' : BUTTON_FIELDS.has(draft.field) ? 'choice' : 'value';
    return { hint: `wizard-hint.event-edit.${step}` };
  },
  cancel(ctx) {
    ctx.session.eventEdit = undefined;
    return 'events.admin.aborted';
  },
};

/** /programs «Новая программа»: each step's hint is `wizard-hint.program-new.<step>`. */
export const programNewWizard: Wizard = {
  waiting: (ctx) => (ctx.session.programNew ? { hint: `wizard-hint.program-new.${ctx.session.programNew.step}` } : null),
  cancel(ctx) {
    ctx.session.programNew = undefined;
    return 'programs.cancelled';
  },
};

/** /programs: an archive waiting for its second press, or a field to pick and its new value. */
export const programEditWizard: Wizard = {
  waiting(ctx) {
    const draft = ctx.session.programEdit;
    if (!draft) return null;
    const step = draft.action === 'archive' ? 'archive' : draft.field ? 'value' : 'field';
    return { hint: `wizard-hint.program-edit.${step}` };
  },
  cancel(ctx) {
    ctx.session.programEdit = undefined;
    return 'programs.edit-cancelled';
  },
};
