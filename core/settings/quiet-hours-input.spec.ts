import { formatMinutes, parseQuietHours } from './quiet-hours-input';
import { RUSSIAN_TIME_ZONES, utcOffsetLabel } from './time-zones';

describe('custom quiet hours', () => {
  it.each([
    ['23:00–07:00', { start: 1380, end: 420 }],
    ['8:30-20:15', { start: 510, end: 1215 }],
    [' 00.00 — 06.00 ', { start: 0, end: 360 }],
  ])('reads %s', (text, value) => {
    expect(parseQuietHours(text)).toEqual({ ok: true, value });
  });

  it.each(['24:00–07:00', '07:60-08:00', '23-07', 'ночью', '23:00'])('refuses %s', (text) => {
    expect(parseQuietHours(text)).toEqual({ ok: false, reason: 'format' });
  });

  it('refuses an empty range', () => {
    expect(parseQuietHours('22:00-22:00')).toEqual({ ok: false, reason: 'same-time' });
  });

  it('formats minutes as HH:MM', () => {
    expect(formatMinutes(1320)).toBe('22:00');
    expect(formatMinutes(425)).toBe('07:05');
  });
});

describe('Russian time zones', () => {
  it('run from Kaliningrad (UTC+2) to Kamchatka (UTC+12)', () => {
    const at = new Date('2026-11-25T09:00:00Z');
    expect(RUSSIAN_TIME_ZONES.map((z) => utcOffsetLabel(z, at))).toEqual([
      'UTC+2',
      'UTC+3',
      'UTC+4',
      'UTC+5',
      'UTC+6',
      'UTC+7',
      'UTC+8',
      'UTC+9',
      'UTC+10',
      'UTC+11',
      'UTC+12',
    ]);
  });
});
