import type { CalendarActor, CalendarRepository } from './calendar.repository';
import type { ProductionCalendar } from './production-calendar';

/** What loading a year changed in the dates already given to people. */
export interface SettledDeadlines {
  /** Provisional dates counted again on the calendar now in force. */
  recomputed: number;
  /** Of those, how many came out different. */
  moved: number;
  /** People told that their date moved. */
  told: number;
}

/** Recomputes the dates counted without a year that is now loaded (ProvisionalDeadlines implements it). */
export interface DeadlineSettler {
  settle(actor: CalendarActor): Promise<SettledDeadlines>;
}

export type LoadYearOutcome = { ok: true; year: number; replaced: boolean; deadlines: SettledDeadlines } | { ok: false; error: string };

/**
 * The production calendar's years as an admin handles them (the HTTP API and the CLI both come here):
 * which are in force, and loading a newly published year, after which every date counted without it is
 * settled on the real calendar at once.
 */
export class CalendarYearsService {
  constructor(
    private readonly repository: CalendarRepository,
    private readonly settler: DeadlineSettler,
  ) {}

  current(): Promise<ProductionCalendar> {
    return this.repository.current();
  }

  storedYears(): Promise<Array<{ year: number; loadedAt: Date }>> {
    return this.repository.storedYears();
  }

  /**
   * Stores the year (refused with the reason when the XML is wrong), then settles the provisional dates.
   * If settling fails half way, the year stays loaded and the error is thrown: loading it again, or the
   * nightly reference refresh, settles what is left.
   */
  async load(xml: string, actor: CalendarActor): Promise<LoadYearOutcome> {
    const loaded = await this.repository.loadYear(xml, actor);
    if (!loaded.ok) return loaded;
    return { ...loaded, deadlines: await this.settler.settle(actor) };
  }
}
