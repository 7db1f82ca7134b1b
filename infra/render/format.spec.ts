import { formatDate, formatDateTime, formatNumber } from './format';

describe('formatDate', () => {
  it('writes dd.mm.yyyy in Russian and keeps ISO in English', () => {
    expect(formatDate('2025-03-04', 'ru')).toBe('04.03.2025');
    expect(formatDate('2025-03-04', 'en')).toBe('2025-03-04');
  });

  it('refuses what is not a calendar date', () => {
    expect(() => formatDate('2025-02-30', 'ru')).toThrow(RangeError);
  });
});

describe('formatNumber', () => {
  it('uses a decimal comma in Russian, a point in English, at most two decimals', () => {
    expect(formatNumber(1.5, 'ru')).toBe('1,5');
    expect(formatNumber(1.5, 'en')).toBe('1.5');
    expect(formatNumber(0.1 + 0.2, 'ru')).toBe('0,3');
    expect(formatNumber(2 / 3, 'en')).toBe('0.67');
    expect(formatNumber(144, 'ru')).toBe('144');
    expect(formatNumber(-0, 'ru')).toBe('0');
  });
});

describe('formatDateTime', () => {
  it('shows the wall clock of the given zone, not of the machine', () => {
    const moment = new Date('2025-12-31T21:30:00Z');
    expect(formatDateTime(moment, 'ru', 'Europe/Moscow')).toBe('01.01.2026 00:30');
    expect(formatDateTime(moment, 'en', 'UTC')).toBe('2025-12-31 21:30');
  });
});
