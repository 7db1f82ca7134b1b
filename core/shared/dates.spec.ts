import fc from 'fast-check';
import { addDays, addMonths, addYears, daysBetween, fromDayNumber, isIsoDate, parseIsoDate, toDayNumber } from './dates';

describe('calendar dates', () => {
  it('accepts only real days in YYYY-MM-DD form', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2024-13-01')).toBe(false);
    expect(isIsoDate('2024-1-01')).toBe(false);
    expect(isIsoDate('01.02.2024')).toBe(false);
    expect(parseIsoDate('2000-02-29')).toEqual({ year: 2000, month: 2, day: 29 });
  });

  it('counts days across leap years', () => {
    expect(toDayNumber('1970-01-01')).toBe(0);
    expect(daysBetween('2023-03-15', '2028-03-15')).toBe(1827);
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
  });

  it('moves a missing day to the end of the month when adding months or years (ГК РФ ст. 192)', () => {
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2025-03-31', -1)).toBe('2025-02-28');
    expect(addYears('2024-02-29', 5)).toBe('2029-02-28');
    expect(addMonths('2025-12-15', 1)).toBe('2026-01-15');
  });

  it('round-trips day numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: toDayNumber('0001-01-01'), max: toDayNumber('9999-12-31') }), (day) => {
        expect(toDayNumber(fromDayNumber(day))).toBe(day);
      }),
    );
  });

  it('refuses to compute with something that is not a date', () => {
    expect(() => toDayNumber('2024-02-30')).toThrow(RangeError);
  });
});
