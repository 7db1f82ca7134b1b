/**
 * The proactive messages a person can switch on and off in /settings. Deadline notices whose loss
 * costs the person their accreditation (period end with a shortfall, review deadlines) cannot be muted;
 * /settings says so. New kinds the worker learns to send are added here, one line each.
 */
export interface NotificationKindInfo {
  code: string;
  mutable: boolean;
}

export const NOTIFICATION_KINDS: readonly NotificationKindInfo[] = [
  { code: 'credits.met', mutable: true },
  { code: 'credits.behind-pace', mutable: true },
  { code: 'credits.period-end', mutable: false },
  { code: 'application.status', mutable: true },
  { code: 'dispute.decided', mutable: false },
  { code: 'appeal.decided', mutable: false },
  { code: 'appeal.window-closing', mutable: false },
  { code: 'deadline.moved', mutable: false },
  { code: 'identity.decided', mutable: false },
  { code: 'identity.expiring', mutable: true },
  { code: 'plan.starts', mutable: true },
  { code: 'plan.deadline', mutable: true },
  { code: 'event.tomorrow', mutable: true },
  { code: 'event.soon', mutable: true },
];

export function kindInfo(code: string): NotificationKindInfo | undefined {
  return NOTIFICATION_KINDS.find((k) => k.code === code);
}
