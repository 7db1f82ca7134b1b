import { formatsPerTimeZone } from '../../core/shared/intl-formats';

const clockFormat = formatsPerTimeZone((timeZone) => new Intl.DateTimeFormat('ru-RU', { timeZone, hour: '2-digit', minute: '2-digit' }));

/** The clock time of an instant in a person's or an event's time zone, «14:05». */
export function timeOf(at: Date, timeZone: string): string {
  return clockFormat(timeZone).format(at);
}
