import type { NotificationsService } from '../notifications/notifications.service';
import type { Clock } from '../shared/clock';
import type { CalendarSource } from './calendar-source';
import { type WorkingDayDeadline, workingDayDeadline } from './deadline';
import type { ProductionCalendar } from './production-calendar';

/** The support group's notice that a year's production calendar is missing (worker/notifications/render.ts). */
export const CALENDAR_YEAR_MISSING_KIND = 'calendar.year-missing';

export interface WorkingDayDeadlinesOptions {
  /** The support group told (once per year) that deadlines are being counted without a year's calendar. */
  supportChatId?: bigint;
  /** The log line said with that notice; once per year (per process when there is no support group). */
  warn?: (fields: { year: number }, message: string) => void;
}

/**
 * Deadlines in working days as the product stores them (R-DISPUTE, R-APPEAL): the instant, and the year
 * counted without a production calendar when there was one (a provisional date). The first time a
 * deadline falls on such a year, an admin is told once: a notice to the support group (idempotent per
 * year, so several processes and restarts say it once) and a log line.
 */
export class WorkingDayDeadlines {
  /** Years already raised by this process: a busy December asks the database once per year, not per deadline. */
  private readonly raised = new Set<number>();

  constructor(
    private readonly calendars: CalendarSource,
    private readonly notifications: NotificationsService,
    private readonly clock: Clock,
    private readonly options: WorkingDayDeadlinesOptions = {},
  ) {}

  calendar(): Promise<ProductionCalendar> {
    return this.calendars.current();
  }

  /** The end of the Nth working day after the event (see workingDayDeadline), raising a missing year. */
  async after(event: Date, workingDays: number): Promise<WorkingDayDeadline> {
    const deadline = workingDayDeadline(await this.calendars.current(), event, workingDays);
    if (deadline.fallbackYear !== null) await this.raiseMissingYear(deadline.fallbackYear);
    return deadline;
  }

  /**
   * Tells the support group and the log, once per year, that deadlines are counted without its calendar.
   * A failure to write the notice is logged and tried again with the next deadline: it must never cost
   * a person the dispute they are filing.
   */
  async raiseMissingYear(year: number): Promise<void> {
    if (this.raised.has(year)) return;
    const message = `no production calendar for ${year}: deadlines falling in it follow ТК РФ ст. 112 alone and are shown as provisional; load it with POST /admin/calendar/years or calendar:load`;
    const chatId = this.options.supportChatId;
    if (chatId === undefined) {
      this.raised.add(year);
      this.options.warn?.({ year }, message);
      return;
    }
    try {
      const { created } = await this.notifications.schedule({
        chatId,
        kind: CALENDAR_YEAR_MISSING_KIND,
        subjectId: String(year),
        dueAt: this.clock.now(),
        payload: { year },
        idempotencyKey: `chat:${chatId}:${CALENDAR_YEAR_MISSING_KIND}:${year}`,
      });
      this.raised.add(year);
      if (created) this.options.warn?.({ year }, message);
    } catch (error) {
      this.options.warn?.({ year }, `${message} (the support group could not be told: ${(error as Error).message})`);
    }
  }
}
