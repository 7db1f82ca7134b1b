import type { StaffCategory } from '../../../generated/prisma/client';

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
