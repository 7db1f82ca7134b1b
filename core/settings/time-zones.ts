import { formatsPerTimeZone } from '../shared/intl-formats';

/**
 * Russian time zones offered in /settings, west to east (R-SETTINGS). Names are IANA zones so that
 * quiet hours and deadlines follow the tz database; what a person reads comes from locales/.
 */
export const RUSSIAN_TIME_ZONES = [
  'Europe/Kaliningrad',
  'Europe/Moscow',
  'Europe/Samara',
  'Asia/Yekaterinburg',
  'Asia/Omsk',
  'Asia/Krasnoyarsk',
  'Asia/Irkutsk',
  'Asia/Yakutsk',
  'Asia/Vladivostok',
  'Asia/Magadan',
  'Asia/Kamchatka',
] as const;

export type RussianTimeZone = (typeof RUSSIAN_TIME_ZONES)[number];

export const DEFAULT_TIME_ZONE: RussianTimeZone = 'Europe/Moscow';

export function isRussianTimeZone(zone: string): zone is RussianTimeZone {
  return (RUSSIAN_TIME_ZONES as readonly string[]).includes(zone);
}

const offsetFormat = formatsPerTimeZone((timeZone) => new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }));

/** "UTC+3", "UTC+5:30": computed from the tz database at `at`, so a future change of law is followed. */
export function utcOffsetLabel(zone: string, at: Date): string {
  const name =
    offsetFormat(zone)
      .formatToParts(at)
      .find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /^GMT([+-])(\d{2}):(\d{2})$/.exec(name);
  if (!match) return 'UTC+0';
  const hours = Number(match[2]);
  return `UTC${match[1]}${hours}${match[3] === '00' ? '' : `:${match[3]}`}`;
}
