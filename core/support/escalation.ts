import type { SupportTicket } from '../../generated/prisma/client';
import { moscowDateOf } from '../calendar/deadline';
import type { ProductionCalendar } from '../calendar/production-calendar';
import type { Clock } from '../shared/clock';
import type { Database } from '../shared/database';
import type { SupportHours } from './working-hours';

/** Tickets are raised this long before their first-response limit. */
export const ESCALATE_BEFORE_MS = 2 * 60 * 60 * 1000;

export interface CalendarSource {
  current(): Promise<ProductionCalendar>;
}

export interface Escalation {
  ticket: SupportTicket;
  deadline: Date;
  /** A year without a production calendar the limit was counted over (ТК РФ ст. 112 alone): a provisional limit. */
  fallbackYear: number | null;
}

function instantOf(date: string, minutes: number): Date {
  return new Date(new Date(`${date}T00:00:00+03:00`).getTime() + minutes * 60_000);
}

/**
 * The first-response limit: one working day of support hours (end − start) counted from the opening,
 * only within the hours of working days. Tue 12:00 (09–18) → Wed 12:00; Fri 20:00 → Mon 18:00.
 */
export function firstResponseDeadline(calendar: ProductionCalendar, hours: SupportHours, openedAt: Date): Date {
  let left = (hours.end - hours.start) * 60_000;
  let day = moscowDateOf(openedAt);
  let from = openedAt;
  for (let guard = 0; guard < 400; guard += 1) {
    if (calendar.isWorkingDay(day)) {
      const open = instantOf(day, hours.start);
      const close = instantOf(day, hours.end);
      const start = from > open ? from : open;
      if (start < close) {
        const available = close.getTime() - start.getTime();
        if (available >= left) return new Date(start.getTime() + left);
        left -= available;
      }
    }
    day = calendar.nextWorkingDay(day);
    from = instantOf(day, hours.start);
  }
  throw new RangeError('firstResponseDeadline: no working day within a year');
}

/**
 * R-SUPPORT «answer within 1 working day is tracked»: open tickets still unanswered whose limit is within
 * ESCALATE_BEFORE_MS (or past) are claimed once (escalatedAt set) for the caller to raise in the group.
 */
export class SupportEscalation {
  constructor(
    private readonly db: Database,
    private readonly calendars: CalendarSource,
    private readonly clock: Clock,
    private readonly hours: SupportHours,
  ) {}

  async claimDue(): Promise<Escalation[]> {
    const now = this.clock.now();
    const calendar = await this.calendars.current();
    const candidates = await this.db.supportTicket.findMany({
      where: { status: 'OPEN', firstResponseAt: null, escalatedAt: null },
      orderBy: { openedAt: 'asc' },
      take: 500,
    });
    const claimed: Escalation[] = [];
    for (const ticket of candidates) {
      const deadline = firstResponseDeadline(calendar, this.hours, ticket.openedAt);
      if (deadline.getTime() - now.getTime() > ESCALATE_BEFORE_MS) continue;
      // Claimed by a conditional update: two workers firing at once raise a ticket once.
      const { count } = await this.db.supportTicket.updateMany({
        where: { id: ticket.id, escalatedAt: null, firstResponseAt: null },
        data: { escalatedAt: now },
      });
      const fallbackYear = calendar.fallbackYearIn(moscowDateOf(ticket.openedAt), moscowDateOf(deadline));
      if (count === 1) claimed.push({ ticket: { ...ticket, escalatedAt: now }, deadline, fallbackYear });
    }
    return claimed;
  }
}
