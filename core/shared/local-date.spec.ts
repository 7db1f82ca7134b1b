import { instantAtLocal } from './local-date';

describe('instantAtLocal', () => {
  it('is 09:00 on the clock of the zone', () => {
    expect(instantAtLocal('2027-01-31', 9, 'Europe/Moscow').toISOString()).toBe('2027-01-31T06:00:00.000Z');
    expect(instantAtLocal('2027-01-31', 9, 'Asia/Vladivostok').toISOString()).toBe('2027-01-30T23:00:00.000Z');
    expect(instantAtLocal('2027-07-01', 9, 'Europe/London').toISOString()).toBe('2027-07-01T08:00:00.000Z');
  });
});
