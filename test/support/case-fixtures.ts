import { CalendarRepository } from '../../core/calendar/calendar.repository';
import { CalendarYearsService } from '../../core/calendar/calendar-years.service';
import { WorkingDayDeadlines } from '../../core/calendar/working-day-deadlines';
import { CreditsService } from '../../core/credits/credits.service';
import { DisputesService } from '../../core/disputes/disputes.service';
import { ProvisionalDeadlines } from '../../core/disputes/provisional-deadlines';
import { NotificationsService } from '../../core/notifications/notifications.service';
import { RuleSetRepository } from '../../core/rules/rule-set.repository';
import type { Clock } from '../../core/shared/clock';
import type { Database } from '../../core/shared/database';

/** Rows the integration tests of applications and disputes need, written directly. */
export async function createPerson(db: Database, name = 'Иванова Мария Петровна') {
  return db.person.create({ data: { fullName: name, onboardingStep: 'LINKED' } });
}

export async function createDocument(
  db: Database,
  personId: string,
  kind: 'CERTIFICATE' | 'DIPLOMA' | 'REPORT' | 'IDENTITY' | 'OTHER' = 'CERTIFICATE',
) {
  const sha = `${personId}-${kind}-${Math.random().toString(16).slice(2)}`;
  return db.document.create({
    data: {
      personId,
      kind,
      sha256: sha,
      mediaType: 'application/pdf',
      sizeBytes: 1000,
      storageKey: `k/${sha}`,
      originalName: 'certificate.pdf',
    },
  });
}

export async function createEntry(db: Database, personId: string, quantity = 36) {
  return db.creditEntry.create({
    data: { personId, creditTypeCode: 'pk', quantity, occurredOn: new Date('2025-10-01T00:00:00Z'), source: 'IMPORT' },
  });
}

export const noDispatch = { dispatch: async () => undefined };

export function recordingEvaluations() {
  const requests: string[] = [];
  return { requests, request: async (personId: string) => void requests.push(personId) };
}

/**
 * Disputes with the services around them as the processes wire them (infra.module.ts): the calendar in
 * force, deadlines that raise a missing year to `supportChatId`, the rule-set check of a corrected
 * quantity, and loading a year that settles provisional dates. Notifications are rows; nothing is queued.
 */
export function disputeServices(db: Database, clock: Clock, options: { supportChatId?: bigint; calendar?: CalendarRepository } = {}) {
  const calendar = options.calendar ?? new CalendarRepository(db, { clock });
  const notifications = new NotificationsService(db, noDispatch, clock);
  const warnings: Array<{ year: number; message: string }> = [];
  const deadlines = new WorkingDayDeadlines(calendar, notifications, clock, {
    supportChatId: options.supportChatId,
    warn: ({ year }, message) => warnings.push({ year, message }),
  });
  const evaluations = recordingEvaluations();
  const credits = new CreditsService(db, new RuleSetRepository(db), evaluations, clock);
  const disputes = new DisputesService(db, deadlines, credits, notifications, evaluations, clock);
  const provisional = new ProvisionalDeadlines(db, deadlines, notifications, clock);
  const years = new CalendarYearsService(calendar, provisional);
  return { calendar, notifications, deadlines, warnings, evaluations, credits, disputes, provisional, years };
}

/**
 * The database as a process sees it that dies the instant its transaction commits: the transaction
 * runs and commits for real, then nothing after it happens (the caller gets an error instead).
 * What must survive such a crash has to be written inside the transaction.
 */
export function crashingAfterCommit(db: Database): Database {
  return new Proxy(db, {
    get(target, property, receiver) {
      if (property !== '$transaction') return Reflect.get(target, property, receiver) as unknown;
      return async (...args: Parameters<Database['$transaction']>) => {
        await (target.$transaction as (...a: unknown[]) => Promise<unknown>)(...args);
        throw new Error('the process died right after the commit');
      };
    },
  });
}
