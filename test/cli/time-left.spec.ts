import { formatTimeLeft } from '../../src/cli/time-left.js';

describe('a progress bar’s time left', () => {
  it('rounds before it splits into minutes, so no "3m60s"', () => {
    // cli-progress's own formatter prints 238 and 239 as "3m60s", 3599 as "59m60s".
    expect(formatTimeLeft(238)).toBe('4m00s');
    expect(formatTimeLeft(239)).toBe('4m00s');
    expect(formatTimeLeft(237)).toBe('3m55s');
    expect(formatTimeLeft(3599)).toBe('1h00m');
  });

  it('says seconds to the second up to ten, then to five', () => {
    expect(formatTimeLeft(0)).toBe('0s');
    expect(formatTimeLeft(9.6)).toBe('10s');
    expect(formatTimeLeft(58)).toBe('1m00s');
    expect(formatTimeLeft(42)).toBe('40s');
    expect(formatTimeLeft(65)).toBe('1m05s');
  });

  it('says hours and minutes past an hour', () => {
    expect(formatTimeLeft(3725)).toBe('1h02m');
    expect(formatTimeLeft(7199)).toBe('2h00m');
  });

  it('says it does not know rather than printing a nonsense figure', () => {
    // cli-progress passes '0' before the first update, then 'INF' or 'NULL' until it has a rate.
    expect(formatTimeLeft('0')).toBe('?');
    expect(formatTimeLeft('INF')).toBe('?');
    expect(formatTimeLeft('NULL')).toBe('?');
    expect(formatTimeLeft(0)).toBe('0s');
    expect(formatTimeLeft(Number.POSITIVE_INFINITY)).toBe('?');
  });
});
