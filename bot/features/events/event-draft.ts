/** The /event_new wizard's answers so far; the nonce makes buttons of an abandoned wizard stale. */
export interface EventDraft {
  nonce: string;
  step: 'title' | 'format' | 'kind' | 'start' | 'end' | 'where' | 'zet' | 'capacity' | 'confirm';
  title?: string;
  format?: 'WEBINAR' | 'CONFERENCE' | 'COURSE_SESSION';
  kind?: 'PK' | 'IOM' | 'EVENT';
  /** ISO instants. */
  startsAt?: string;
  endsAt?: string;
  place?: string | null;
  link?: string | null;
  zet?: number;
  capacity?: number | null;
}

/** /events_admin: the event whose new start or cancellation reason the admin is typing. */
export interface EventAdminAction {
  action: 'move' | 'cancel';
  eventId: string;
}
