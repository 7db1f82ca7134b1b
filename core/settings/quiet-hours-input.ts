/** Quiet hours as stored on Person: minutes after local midnight; equal start and end mean "off". */
export interface QuietHoursSetting {
  start: number;
  end: number;
}

export const QUIET_HOURS_OFF: QuietHoursSetting = { start: 0, end: 0 };

/** Presets offered as buttons (shift workers pick one in a tap); "custom" is typed. */
export const QUIET_HOURS_PRESETS: readonly QuietHoursSetting[] = [
  { start: 22 * 60, end: 8 * 60 },
  { start: 23 * 60, end: 7 * 60 },
  { start: 0, end: 9 * 60 },
  { start: 8 * 60, end: 20 * 60 },
];

export type QuietHoursRefusal = 'format' | 'same-time';
export type QuietHoursParse = { ok: true; value: QuietHoursSetting } | { ok: false; reason: QuietHoursRefusal };

const RANGE = /^\s*(\d{1,2})[:.](\d{2})\s*[-–—]\s*(\d{1,2})[:.](\d{2})\s*$/;

/** Parses "23:00–07:00" (also with "-", "—" or dots); 24:00 and 07:60 are refused. */
export function parseQuietHours(text: string): QuietHoursParse {
  const match = RANGE.exec(text);
  if (!match) return { ok: false, reason: 'format' };
  const [h1, m1, h2, m2] = match.slice(1).map(Number);
  if (h1 > 23 || h2 > 23 || m1 > 59 || m2 > 59) return { ok: false, reason: 'format' };
  const value = { start: h1 * 60 + m1, end: h2 * 60 + m2 };
  if (value.start === value.end) return { ok: false, reason: 'same-time' };
  return { ok: true, value };
}

export function isQuietHoursOff(setting: QuietHoursSetting): boolean {
  return setting.start === setting.end;
}

/** "22:00" from minutes after midnight. */
export function formatMinutes(minutes: number): string {
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
