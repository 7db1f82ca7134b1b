/** Notification kinds this module schedules; worker/notifications/render.ts renders each one. */
export const REMINDER_KIND = {
  /** To the person: the appeal window of a rejected dispute ends on the next working day. */
  appealWindowClosing: 'appeal.window-closing',
  /** To reviewers in the support group: disputes and appeals due by the end of the next working day. */
  reviewDue: 'review.due',
  /** To the person: the identity confirmation expires in 30 or 7 days. */
  identityExpiring: 'identity.expiring',
  /** To the support group: the registry sync has not succeeded for more than 2 hours. */
  syncLate: 'sync.late',
} as const;

export type ReminderKind = (typeof REMINDER_KIND)[keyof typeof REMINDER_KIND];

/**
 * The chain of every post in the support group's review topic (the queue, cases, prompts, decisions and
 * the daily due list): sent one at a time, in order, so the worker never creates the topic twice at once.
 */
export const REVIEW_TOPIC_CHAIN = 'reviews:topic';
