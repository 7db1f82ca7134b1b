import type { ProductionCalendar } from './production-calendar';

/** The production calendar in force (CalendarRepository implements it). */
export interface CalendarSource {
  current(): Promise<ProductionCalendar>;
}
